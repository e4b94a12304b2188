"""A citizen's account and personal data can be erased (UU 27/2022, the right to erasure),
while the record of the public service stays: their reports, with their history,
follow-ups, ratings and supports, under an account that names nobody
(lapor/accounts/erasure.py, docs/decisions/0007-account-erasure.md)."""
import datetime
import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken
from axes.models import AccessLog
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from lapor.accounts import pseudonyms
from lapor.accounts.erasure import account_erase
from lapor.accounts.models import PendingMail, PhoneClaim, Pseudonym, ReporterProfile, User
from lapor.api.models import ApiToken, IdempotencyKey
from lapor.api.tokens import token_issue
from lapor.audit.models import AuditEntry
from lapor.core.crypto import lookup_hash
from lapor.core.security import axes_username
from lapor.following.models import Follow
from lapor.following.services import follow_create
from lapor.notifications.models import Notification, Preference
from lapor.notifications.services import notifications_fan_out
from lapor.portal.personal_data import personal_data
from lapor.reports import policy, services
from lapor.reports.models import Report, ReportEvent, Support
from lapor.sms.inbound import receive_sms
from lapor.sms.models import InboundSms
from lapor.transparency.models import IkmResponse, PollAnswer, ServiceRating
from lapor.transparency.services import ikm_respond, ikm_survey_open, poll_answer, poll_publish, service_rating_give

from ..office.staff import give_totp
from .people import EMAIL, NAME, NIK, PASSWORD, PHONE, USERNAME, WAITING_PHONE, siti  # noqa: F401 (siti: a fixture)
from ..portal.conftest import answered, published, submitted
from ..portal.test_account_email_at_rest import text_in_every_column

pytestmark = pytest.mark.django_db

SMS_TIME = "1795451099"


@pytest.fixture
def life(world, siti):
    """Siti's years in Lapor: reports of every kind, what she did beside them, and what
    the system kept about her while she did."""
    now = timezone.now()
    named = answered(world, reporter=siti, title="Jalan berlubang di depan SDN 3", show_reporter_name=True)
    unverified = submitted(world, reporter=siti, title="Saluran air tersumbat di Jalan Mawar")
    anonymous = published(world, reporter=siti, title="Pungutan liar di loket KTP", is_anonymous=True)
    for_her = published(world, reporter=siti, filed_by=world.proxy, title="Lampu jalan mati di gang Melati")
    ReporterProfile.objects.filter(user=siti).update(is_proxy=True)
    by_her = published(world, reporter=world.other_citizen, filed_by=User.objects.get(pk=siti.pk),
                       title="Sampah menumpuk di pasar")
    theirs = published(world, reporter=world.other_citizen, title="Trotoar rusak di Jalan Sudirman")
    services.report_support(report=theirs, by=siti)
    follow_create(user=siti, report=theirs)
    service_rating_give(report=named, by=siti, level=3, comment="Cepat, tapi tambalannya kasar.")
    poll = poll_publish(agency=world.pemkot, by=world.agency_admin, question="Perlukah jalur sepeda?",
                        options=["Perlu", "Tidak perlu"], closes_at=now + datetime.timedelta(days=7))
    poll_answer(poll=poll, option=poll.options.get(text="Perlu"), by=siti)
    today = timezone.localdate()
    survey = ikm_survey_open(agency=world.pemkot, by=world.agency_admin, title="Survei Pelayanan 2026",
                             opens_on=today, closes_on=today + datetime.timedelta(days=30))
    ikm_respond(survey=survey, by=siti, scores=[4, 3, 3, 2, 4, 3, 3, 4, 2])
    # What staff and Siti were told: the routers' message names her as the reporter.
    for report in (named, for_her, by_her):
        for event in report.events.all():
            notifications_fan_out(event=event)
    Preference.objects.create(user=siti, language="en", by_email=False, by_sms=True)
    app = SocialApp.objects.create(provider="google", name="Google", client_id="id", secret="app-secret")
    google = SocialAccount.objects.create(user=siti, provider="google", uid="104233017788",
                                          extra_data={"name": NAME})
    SocialToken.objects.create(app=app, account=google, token="ya29.token-rahasia", token_secret="segel")
    token_issue(user=siti, label="Ponsel Siti")
    IdempotencyKey.objects.create(user=siti, key="kirim-1", request_hash="x" * 64, report=unverified, created_at=now)
    PhoneClaim.objects.create(phone_hash=lookup_hash(WAITING_PHONE), address_hash=lookup_hash("address:203.0.113.7"),
                              code_hash="c" * 64, created_at=now, expires_at=now + datetime.timedelta(minutes=15))
    PendingMail.objects.create(message=json.dumps({
        "subject": "[Lapor] Atur ulang kata sandi", "body": f"Halo {USERNAME}", "from": "lapor@contoh.id",
        "to": [EMAIL], "cc": [], "bcc": [], "reply_to": [], "headers": {}, "alternatives": []}),
        created_at=now, next_try_at=now)
    for login in (USERNAME, EMAIL):
        client = Client(REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Siti's Phone/1.0")
        client.post("/akun/login/", {"login": login, "password": PASSWORD})
        assert client.session["_auth_user_id"] == str(siti.pk)
    give_totp(siti)  # a second factor she set up later
    receive_sms(sender="0812-9988-7766", text=f"CEK {unverified.tracking_id}", timestamp=SMS_TIME)
    LogEntry.objects.create(user=world.national_admin, content_type=ContentType.objects.get_for_model(User),
                            object_id=str(siti.pk), object_repr=NAME, action_flag=CHANGE,
                            change_message=json.dumps([{"changed": {"fields": ["Nama lengkap"]}}]))
    return {"named": named, "unverified": unverified, "anonymous": anonymous, "for_her": for_her, "by_her": by_her,
            "theirs": theirs, "poll": poll, "survey": survey}


def everything_as_read() -> str:
    """Every text value of every table as the application reads it: encrypted columns
    (NIK, phone, e-mail, the mail kept for sending) decrypted."""
    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields
                 if f.get_internal_type() in ("CharField", "TextField", "EmailField", "JSONField")]
        if names and model._meta.managed and not model._meta.proxy:
            for row in model._base_manager.values_list(*names):
                found.extend(str(value) for value in row if value)
    return "\n".join(found).lower()


def traces() -> dict:
    """Siti's personal data as any table could hold it: in clear, or as a keyed hash."""
    return {
        "name": NAME, "username": USERNAME, "email": EMAIL, "nik": NIK, "phone": PHONE, "waiting phone": WAITING_PHONE,
        "phone (local)": "081299887766",
        "nik hash": lookup_hash(NIK), "phone hash": lookup_hash(PHONE), "email hash": lookup_hash(EMAIL),
        "waiting phone hash": lookup_hash(WAITING_PHONE),
        "sign-in by username": axes_username(None, {"username": USERNAME}),
        "sign-in by e-mail": axes_username(None, {"username": EMAIL}),
    }


def found_in_database(values: dict) -> set[str]:
    stored = text_in_every_column() + "\n" + everything_as_read()
    return {what for what, value in values.items() if value.lower() in stored}


def test_after_erasure_no_table_holds_their_name_username_nik_phone_or_e_mail(world, siti, life):
    sms_row = InboundSms.objects.get()
    values = {**traces(), "sms fingerprint": sms_row.fingerprint}
    # Before: the test finds each of them (it would find them after, if they were kept).
    assert found_in_database(values) >= {"name", "username", "email", "nik", "phone", "waiting phone", "nik hash",
                                         "phone hash", "email hash", "sms fingerprint"}

    account_erase(user=siti, by=siti)

    assert found_in_database(values) == set()
    # Staff's stored message about her report reads as every page now does.
    routers_message = Notification.objects.filter(report=life["named"], recipient=world.agency_admin).first()
    assert routers_message is not None and "Warga (akun dihapus)" in routers_message.body


def test_everything_beside_the_reports_is_gone_and_nothing_leads_to_them(world, siti, life):
    stand_in = life["anonymous"].reporter
    account_erase(user=siti, by=siti)

    erased = User.objects.get(pk=siti.pk)
    assert erased.username.startswith("dihapus-") and not erased.is_active and not erased.has_usable_password()
    assert (erased.full_name, erased.email, erased.last_login, erased.stand_ins_sealed) == ("", "", None, "")
    assert erased.display_name == "Warga (akun dihapus)"
    for model, field in ((ReporterProfile, "user"), (EmailAddress, "user"), (SocialAccount, "user"),
                         (Authenticator, "user"), (ApiToken, "user"), (IdempotencyKey, "user"),
                         (Preference, "user"), (Follow, "user"), (Notification, "recipient")):
        assert not model.objects.filter(**{field: erased}).exists(), model
    assert not Notification.objects.filter(recipient=stand_in).exists()
    assert not SocialToken.objects.exists() and not PendingMail.objects.exists() and not PhoneClaim.objects.exists()
    assert not AccessLog.objects.exists()
    assert InboundSms.objects.get().sender_hash == ""
    assert not LogEntry.objects.filter(object_repr__icontains="Nurhaliza").exists()


def test_their_reports_stay_with_their_history_ratings_and_supports(world, siti, life):
    reports = Report.objects.filter(reporter=siti).count()
    events = ReportEvent.objects.count()

    account_erase(user=siti, by=siti)

    assert Report.objects.filter(reporter=siti).count() == reports
    assert Report.objects.get(pk=life["by_her"].pk).filed_by_id == siti.pk
    assert ReportEvent.objects.count() == events
    assert ServiceRating.objects.get(report=life["named"]).user_id == siti.pk
    assert Support.objects.filter(report=life["theirs"], user=siti).exists()
    assert Report.objects.get(pk=life["theirs"].pk).support_count == 1
    # Staff still read whose move it is, and who reported it: nobody's name.
    named = Report.objects.get(pk=life["named"].pk)
    assert policy.public_reporter_name(named) == "Warga (akun dihapus)"
    assert services.reporter_identity(named)["name"] == "Warga (akun dihapus)"
    assert not any(services.reporter_identity(named)[key] for key in ("nik", "phone", "email"))


def test_they_cannot_sign_in_and_their_other_devices_are_signed_out(world, siti):
    phone = Client()
    phone.force_login(siti)
    assert phone.get("/profil/").status_code == 200

    account_erase(user=siti, by=siti)

    assert phone.get("/profil/").status_code == 302  # to the sign-in page
    for login in (USERNAME, EMAIL):
        client = Client()
        client.post("/akun/login/", {"login": login, "password": PASSWORD})
        assert "_auth_user_id" not in client.session, login


def test_cek_by_sms_from_their_old_number_no_longer_answers_their_report(world, siti, life):
    tracking_id = life["unverified"].tracking_id
    assert "Belum terverifikasi" in receive_sms(sender=PHONE, text=f"CEK {tracking_id}", timestamp="1").reply

    account_erase(user=siti, by=siti)

    reply = receive_sms(sender=PHONE, text=f"CEK {tracking_id}", timestamp="2").reply
    assert reply == f"Laporan {tracking_id} tidak ditemukan."
    # Nor can the number act as the reporter of their answered report.
    events = life["named"].events.count()
    receive_sms(sender=PHONE, text=f"BALAS {life['named'].tracking_id} Belum beres", timestamp="3")
    assert life["named"].events.count() == events


def test_an_anonymous_report_stays_anonymous_and_the_custodians_reveal_finds_nobody(world, siti, life):
    report = life["anonymous"]
    stand_in = report.reporter
    assert services.reporter_identity(report)["name"] == NAME

    account_erase(user=siti, by=siti)

    report = Report.objects.get(pk=report.pk)
    assert report.is_anonymous and report.reporter_id == stand_in.pk  # not moved onto the erased account
    assert not Pseudonym.objects.filter(user=stand_in).exists()
    identity = services.report_reveal_identity(report=report, by=world.custodian,
                                               reason="Permintaan penyidik atas dugaan pemalsuan laporan.")
    assert identity["name"] == "Pelapor anonim"
    assert not any(identity[key] for key in ("nik", "phone", "email"))
    assert not identity["username"].startswith("dihapus-")  # not even which erased account it was


def test_the_rt_rw_who_filed_for_them_keeps_the_report_and_their_own_download(world, siti, life):
    account_erase(user=siti, by=siti)

    proxy = User.objects.get(pk=world.proxy.pk)
    data = personal_data(proxy)
    filed = next(r for r in data["reports"] if r["tracking_id"] == life["for_her"].tracking_id)
    assert filed["filed_for_resident"] and filed["history"]
    assert NAME not in json.dumps(data, default=str)
    assert policy.can_view(proxy, Report.objects.get(pk=life["for_her"].pk))


def test_the_resident_they_filed_for_as_rt_rw_keeps_the_report(world, siti, life):
    account_erase(user=siti, by=siti)

    resident = User.objects.get(pk=world.other_citizen.pk)
    report = Report.objects.get(pk=life["by_her"].pk)
    assert policy.can_view(resident, report) and policy.is_reporter(policy.actor_for(resident), report)
    data = personal_data(resident)
    assert life["by_her"].tracking_id in [r["tracking_id"] for r in data["reports"]]
    assert NAME not in json.dumps(data, default=str)


def test_poll_and_survey_answers_still_count_but_lead_to_nobody(world, siti, life):
    account_erase(user=siti, by=siti)

    answer = PollAnswer.objects.get(poll=life["poll"])
    response = IkmResponse.objects.get(survey=life["survey"])
    assert answer.option.text == "Perlu" and response.scores == [4, 3, 3, 2, 4, 3, 3, 4, 2]
    assert answer.user_id != siti.pk and response.respondent_id not in (siti.pk, answer.user_id)
    assert pseudonyms.owner_of(answer.user) is None and pseudonyms.owner_of(response.respondent) is None


@pytest.mark.parametrize("who", ["officer", "national_admin", "custodian"])
def test_a_staff_account_is_refused_and_keeps_everything(world, who):
    person = getattr(world, who)
    with pytest.raises(ValidationError, match="Akun staf"):
        account_erase(user=person, by=person)
    person.refresh_from_db()
    assert person.is_active and person.username == getattr(world, who).username and person.full_name
    assert not AuditEntry.objects.filter(action="deleted").exists()


def test_a_former_staff_member_whose_roles_were_removed_may_be_erased(world):
    person = world.other_unit_officer
    person.memberships.all().delete()
    User.objects.filter(pk=person.pk).update(is_staff=False)
    erased = account_erase(user=User.objects.get(pk=person.pk), by=world.national_admin, reason="Surat no. 7/2026")
    assert erased.is_erased


def test_the_audit_log_says_who_asked_and_when_and_nothing_personal(world, siti):
    account_erase(user=siti, by=siti)
    account_erase(user=User.objects.get(pk=siti.pk), by=siti)  # again: nothing more happens

    entry = AuditEntry.objects.get(action="deleted", object_id=str(siti.pk))
    erased = User.objects.get(pk=siti.pk)
    assert entry.actor_id == siti.pk and entry.actor_name == erased.username == entry.object_label
    assert "atas permintaan pemilik akun" in entry.note and entry.at is not None
    written = json.dumps([entry.actor_name, entry.object_label, entry.note, entry.changes])
    assert NAME not in written and USERNAME not in written and EMAIL not in written


def test_an_administrators_erasure_records_them_and_the_reason(world, siti):
    account_erase(user=siti, by=world.national_admin, reason="Permintaan lewat surat no. 12/PPID/2026", via_admin=True)

    entry = AuditEntry.objects.get(action="deleted", object_id=str(siti.pk))
    assert entry.actor_id == world.national_admin.pk and entry.via_admin
    assert "Permintaan lewat surat no. 12/PPID/2026" in entry.note

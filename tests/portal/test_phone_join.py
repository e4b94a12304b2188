"""Moving a phone-only account's reports into the account that proved its number
(lapor/accounts/joining.py; docs/decisions/0010-phone-held-at-sign-up.md): on the profile's
code page, right after the code, or by the operating agency's admin."""
import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from lapor.accounts.models import ReporterProfile, User
from lapor.audit.models import AuditEntry
from lapor.following.models import Follow
from lapor.following.services import follow_key
from lapor.notifications.models import Notification
from lapor.reports import policy
from lapor.reports.models import Report

from .conftest import submitted

PASSWORD = "rahasia-uji-123"  # tests/factories.py
NEW = "+6281377770001"
SMS_REPORT = "BANJARBARU Jalan berlubang di depan pasar"


@pytest.fixture(autouse=True)
def outbox(sms_sent):
    return sms_sent


def text(phone, message):
    return Client().get("/sms/kannel/", {"sender": phone, "text": message, "secret": "rahasia-kannel"}).content.decode()


def code_in(message):
    return re.search(r"\b(\d{6})\b", message).group(1)


def phone_of(user):
    return ReporterProfile.objects.filter(user=user).values_list("phone", flat=True).first()


def account_join_phone_only(**kwargs):
    from lapor.accounts.joining import account_join_phone_only as join

    return join(**kwargs)


def sms_account(kalsel):
    """A citizen who reported by SMS from NEW: their phone-only account and report."""
    assert "Laporan diterima" in text(NEW, SMS_REPORT)
    report = Report.objects.get(title__icontains="berlubang di depan pasar")
    return report.reporter, report


def prove(client, world, outbox, phone=NEW):
    """Siti gives her profile the number and types the code the SMS brought."""
    client.post("/profil/", {"full_name": world.citizen.full_name, "occupation": "", "phone": phone,
                             "current_password": PASSWORD})
    return client.post("/profil/telepon/", {"code": code_in(outbox(phone)[-1])})


def test_the_proven_number_moves_its_reports_follows_notifications_and_itself(
        citizen_client, world, kalsel, outbox):
    old, report = sms_account(kalsel)
    follow = Follow.objects.filter(user=old, report=report).first() or Follow.objects.create(
        user=old, report=report, key=follow_key(report=report), created_at=timezone.now())
    notes = Notification.objects.filter(recipient=old).count()
    anonymous = submitted(world, reporter=old, is_anonymous=True, title="Lampu jalan padam di Jalan Mistar")
    secret = submitted(world, is_confidential=True, title="Pungutan liar di kantor kelurahan")
    assert "tidak ditemukan" in text(NEW, f"CEK {secret.tracking_id}")  # Siti's, not the number's

    page = prove(citizen_client, world, outbox)
    body = page.content.decode()
    assert page.status_code == 400 and "Pindahkan laporan nomor ini ke akun saya" in body
    assert 'action="/profil/telepon/pindahkan/"' in body
    assert Report.objects.get(pk=report.pk).reporter == old  # nothing moved yet

    answer = citizen_client.post("/profil/telepon/pindahkan/")
    assert answer.status_code == 302 and answer["Location"] == "/laporan-saya/"
    assert Report.objects.get(pk=report.pk).reporter == world.citizen
    assert phone_of(world.citizen) == NEW
    assert Follow.objects.get(pk=follow.pk).user == world.citizen
    assert Notification.objects.filter(recipient=world.citizen).count() >= notes
    assert not Notification.objects.filter(recipient=old).exists()
    old.refresh_from_db()
    assert not old.is_active and not old.has_usable_password() and phone_of(old) is None
    mine = citizen_client.get("/laporan-saya/").content.decode()
    assert report.tracking_id in mine and anonymous.tracking_id in mine

    # The number is Siti's: its SMS reach her reports.
    assert "tidak ditemukan" not in text(NEW, f"CEK {secret.tracking_id}")

    entry = AuditEntry.objects.filter(note__contains="digabungkan").get()
    assert old.username in entry.note and world.citizen.username in entry.note
    assert old.full_name == "" and old.display_name == "Pelapor SMS"
    assert NEW not in str(entry.note) + str(entry.changes) and "8137777" not in entry.note


def test_an_anonymous_report_stays_anonymous_after_the_join_and_is_its_reporters(
        citizen_client, world, kalsel, outbox):
    from lapor.reports.services import report_verify

    old, _report = sms_account(kalsel)
    anonymous = report_verify(report=submitted(world, reporter=old, is_anonymous=True, show_reporter_name=True,
                                               title="Lampu jalan padam di Jalan Mistar"), by=world.national_admin)
    stand_in = anonymous.reporter
    account_join_phone_only(phone_only=old, into=world.citizen, by=world.citizen)

    anonymous.refresh_from_db()
    assert anonymous.reporter == stand_in and anonymous.is_anonymous  # the same "Pelapor anonim"
    for person in (None, world.other_citizen):
        client = Client()
        if person:
            client.force_login(person)
        page = client.get(f"/laporan/{anonymous.tracking_id}/").content.decode()
        assert world.citizen.full_name not in page and world.citizen.username not in page
        api = APIClient()
        if person:
            api.force_authenticate(person)
        data = api.get(f"/api/v1/reports/{anonymous.tracking_id}/").content.decode()
        assert world.citizen.full_name not in data and world.citizen.username not in data
    citizen = User.objects.get(pk=world.citizen.pk)
    assert policy.is_reporter(citizen, anonymous)
    api = APIClient()
    api.force_authenticate(citizen)
    assert anonymous.tracking_id in [r["tracking_id"] for r in api.get("/api/v1/me/reports/").json()["results"]]


def test_no_move_without_this_sessions_fresh_proof(citizen_client, world, kalsel, outbox):
    old, report = sms_account(kalsel)
    # Never proven: refused, nothing moves.
    answer = citizen_client.post("/profil/telepon/pindahkan/", {"phone": NEW})
    assert answer.status_code == 302 and answer["Location"] == "/profil/"
    assert "Buktikan dulu nomor itu" in citizen_client.get("/profil/").content.decode()
    assert Report.objects.get(pk=report.pk).reporter == old and phone_of(old) == NEW

    # Proven, but another session (or another account) has no mark.
    prove(citizen_client, world, outbox)
    other = Client()
    other.force_login(world.citizen)
    other.post("/profil/telepon/pindahkan/")
    stranger = Client()
    stranger.force_login(world.other_citizen)
    stranger.post("/profil/telepon/pindahkan/")
    assert Report.objects.get(pk=report.pk).reporter == old

    # Proven more than 15 minutes ago: stale.
    session = citizen_client.session
    mark = session["lapor_phone_proven"]
    mark["until"] = (timezone.now() - datetime.timedelta(seconds=1)).timestamp()
    session["lapor_phone_proven"] = mark
    session.save()
    citizen_client.post("/profil/telepon/pindahkan/")
    assert Report.objects.get(pk=report.pk).reporter == old and phone_of(old) == NEW

    # GET does nothing; a garbled mark is no 500.
    prove(citizen_client, world, outbox)
    assert citizen_client.get("/profil/telepon/pindahkan/").status_code == 405
    session = citizen_client.session
    session["lapor_phone_proven"] = {"user": world.citizen.pk, "phone_hash": ["x"], "until": "soon"}
    session.save()
    assert citizen_client.post("/profil/telepon/pindahkan/").status_code == 302
    assert Report.objects.get(pk=report.pk).reporter == old


def test_refusals(world, kalsel, outbox):
    old, report = sms_account(kalsel)
    for phone_only, into in ((world.citizen, world.other_citizen),  # a completed source
                             (old, old),  # itself
                             (old, world.officer),  # staff target
                             (world.officer, world.citizen)):  # staff source
        with pytest.raises(ValidationError) as refused:
            account_join_phone_only(phone_only=phone_only, into=into, by=None)
        assert refused.value.messages[0].startswith("Akun")
    # A second phone-only account is no completed target.
    assert "Laporan diterima" in text("+6281377770009", SMS_REPORT + " kedua")
    second = Report.objects.exclude(pk=report.pk).get().reporter
    with pytest.raises(ValidationError, match="Akun tujuan harus akun warga yang sudah lengkap"):
        account_join_phone_only(phone_only=old, into=second, by=None)
    assert Report.objects.get(pk=report.pk).reporter == old and not AuditEntry.objects.filter(
        note__contains="digabungkan").exists()


def test_the_admin_moves_them_for_a_citizen_without_the_phone(admin_client, world, kalsel, outbox):
    old, report = sms_account(kalsel)
    url = "/admin/accounts/user/"
    page = admin_client.post(url, {"action": "join_phone_only", "_selected_action": [old.pk]})
    assert page.status_code == 200 and "Nama pengguna akun tujuan" in page.content.decode()
    bad = admin_client.post(url, {"action": "join_phone_only", "_selected_action": [old.pk], "confirm": "1",
                                  "into": "tidak-ada", "reason": "Tiket 12"})
    assert bad.status_code == 400 and "Tidak ada akun dengan nama pengguna ini" in bad.content.decode()
    done = admin_client.post(url, {"action": "join_phone_only", "_selected_action": [old.pk], "confirm": "1",
                                   "into": world.citizen.username, "reason": "Tiket 12, KTP diperiksa"})
    assert done.status_code == 302
    assert Report.objects.get(pk=report.pk).reporter == world.citizen and phone_of(world.citizen) == NEW
    entry = AuditEntry.objects.get(note__contains="digabungkan")
    assert entry.via_admin and "Tiket 12" in entry.note

"""An anonymous reporter is not in the database beside their report (SPEC §5: the identity
"stored encrypted"; docs/decisions/0005-anonymous-reporter-pseudonyms.md).

A database dump or a stolen backup must not join an anonymous report to a person: no row
about the report holds their account, whichever channel filed it, whoever filed it (the
citizen or their RT/RW), whatever they did on it afterwards. They still find it, act on it
and are told about it as before, and the identity custodian's reveal still names them."""
import datetime
import json
from functools import reduce
from operator import or_

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q

from lapor.accounts.models import Pseudonym
from lapor.api.models import IdempotencyKey
from lapor.api.tokens import token_issue
from lapor.following.models import Follow
from lapor.following.services import follow_create
from lapor.notifications.models import Notification
from lapor.notifications.services import run_background_pass
from lapor.open311.models import Client as Open311Client
from lapor.reports import services
from lapor.reports.enums import Status
from lapor.reports.models import Report, ReportEvent
from lapor.reports.quota import submit_retry_at
from lapor.sms.inbound import forget_anonymous_senders
from lapor.sms.models import InboundSms
from lapor.transparency.services import service_rating_give

from ..office.staff import sign_in

TITLE = "Pungutan liar di loket KTP kecamatan"
BODY = "Petugas meminta uang tambahan untuk mempercepat KTP elektronik."


def rows_naming(person, report) -> list[str]:
    """Every column, in every table with rows about ``report`` (the report itself and
    anything with a foreign key to it), that holds ``person``'s account id."""
    User = get_user_model()
    found = []
    for model in apps.get_models():
        people = [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is User]
        if not people:
            continue
        if model is Report:
            rows = model._base_manager.filter(pk=report.pk)
        else:
            about = [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is Report]
            if not about:
                continue
            rows = model._base_manager.filter(reduce(or_, (Q(**{f.name: report}) for f in about)))
        found += [f"{model._meta.db_table}.{f.column}" for f in people if rows.filter(**{f.attname: person.pk}).exists()]
    return found


def fresh(person):
    """The account as the person's next request reads it (with the stand-ins it got since)."""
    return get_user_model().objects.get(pk=person.pk)


def stored(table, column, key, value) -> str:
    """A column as the database holds it (not as the model decrypts it)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {key} = %s", [value])
        return cursor.fetchone()[0]


def file_by_web(client, world, **extra):
    sign_in(client, world.citizen)
    response = client.post("/lapor/", {"kind": "complaint", "title": TITLE, "body": BODY, "is_anonymous": "on",
                                       "addressed_agency": str(world.pemkot.pk), "checked": "True", **extra})
    assert response.status_code == 302, response.content.decode()[:500]
    return Report.objects.get(title=TITLE), fresh(world.citizen)


def file_by_api(client, world):
    response = client.post("/api/v1/reports/", {"title": TITLE, "body": BODY, "is_anonymous": True,
                                                "addressed_agency": "pemkot"},
                           content_type="application/json",
                           HTTP_AUTHORIZATION=f"Token {token_issue(user=world.citizen)}")
    assert response.status_code == 201, response.content
    return Report.objects.get(tracking_id=response.json()["tracking_id"]), fresh(world.citizen)


def file_by_open311(client, world):
    app = Open311Client(name="Aplikasi kota", account=world.other_citizen)
    app.api_key = app.issue_key()
    app.save()
    response = client.post("/open311/v2/requests.json", {
        "api_key": app.api_key, "service_code": world.category.slug, "lat": "-3.44", "long": "114.83",
        "description": BODY, "attribute[ANONYMOUS]": "true"})
    assert response.status_code == 200, response.content
    return Report.objects.get(tracking_id=response.json()[0]["service_request_id"]), fresh(world.other_citizen)


CHANNELS = {"web": file_by_web, "api": file_by_api}


def answered_and_rated(world, report, person, capture):
    """The agency answers; the reporter replies, is answered again, rates the answer and the
    service: everything a reporter does on a report, and is told about."""
    with capture(execute=True):
        services.report_verify(report=report, by=world.national_admin, agency=world.pupr)
        services.report_answer(report=Report.objects.get(pk=report.pk), by=world.unit_admin, body="Kami periksa.")
        services.report_reply(report=Report.objects.get(pk=report.pk), by=person, text="Masih terjadi kemarin.")
        services.report_answer(report=Report.objects.get(pk=report.pk), by=world.unit_admin, body="Sudah ditindak.")
        services.report_rate(report=Report.objects.get(pk=report.pk), by=person, comment="Terima kasih.")
        service_rating_give(report=Report.objects.get(pk=report.pk), by=person, level=4, comment="Cepat.")
    return Report.objects.get(pk=report.pk)


@pytest.mark.parametrize("channel", CHANNELS)
def test_no_row_about_an_anonymous_report_holds_its_reporters_account(channel, client, world, mailoutbox,
                                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report, person = CHANNELS[channel](client, world)
    report = answered_and_rated(world, report, person, django_capture_on_commit_callbacks)

    assert report.status == Status.CLOSED and report.is_anonymous
    assert rows_naming(person, report) == []
    # What they did is in the history, as the report's stand-in, which names nobody.
    stand_in = report.reporter
    assert stand_in.pk != person.pk and stand_in.full_name == "" and not stand_in.email
    assert not stand_in.is_active and not stand_in.has_usable_password()
    assert stand_in.display_name == "Pelapor anonim"
    assert set(report.events.filter(actor_role="reporter").values_list("actor_id", flat=True)) == {stand_in.pk}
    assert report.service_rating.user_id == stand_in.pk
    # Both ways between them are sealed: neither id is stored in clear.
    assert stored("accounts_pseudonym", "owner_sealed", "user_id", stand_in.pk).startswith("gAAAA")
    sealed_list = stored("accounts_user", "stand_ins_sealed", "id", person.pk)
    assert sealed_list.startswith("gAAAA") and "[" not in sealed_list  # a Fernet token, not the ids
    # …and they were told, by e-mail at their own address, without their name in what is stored.
    told = Notification.objects.filter(report=report, recipient=stand_in)
    assert told.exists()
    assert person.full_name not in " ".join(n.subject + n.body for n in told)
    assert any(person.email in m.to for m in mailoutbox)


def test_the_reporter_still_finds_follows_and_acts_on_their_anonymous_report(client, world,
                                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report, person = file_by_web(client, world)
        services.report_verify(report=report, by=world.national_admin, agency=world.pupr)
        services.report_answer(report=Report.objects.get(pk=report.pk), by=world.unit_admin,
                               body="Petugas loket sudah kami periksa.")

    mine = client.get("/laporan-saya/").content.decode()
    assert report.tracking_id in mine
    page = client.get(f"/laporan/{report.tracking_id}/").content.decode()
    assert "Belum puas? Tanggapi" in page  # the reporter's own actions are offered
    assert "Petugas loket sudah kami periksa." in page
    centre = client.get("/notifikasi/").content.decode()
    assert report.tracking_id in centre
    api = client.get("/api/v1/me/reports/", HTTP_AUTHORIZATION=f"Token {token_issue(user=person)}").json()
    assert [r["tracking_id"] for r in api["results"]] == [report.tracking_id]
    assert api["results"][0]["reporter_name"] == person.full_name  # to themselves, their own name

    response = client.post(f"/laporan/{report.tracking_id}/tanggapi/", {"tanggapi-text": "Belum berubah."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.DISPATCHED
    assert rows_naming(person, report) == []
    data = client.get("/profil/data-pribadi.json").json()
    assert [r["tracking_id"] for r in data["reports"]] == [report.tracking_id]


def test_staff_and_other_citizens_gain_nothing_from_the_stand_in(client, world):
    report, person = file_by_web(client, world)
    services.report_verify(report=report, by=world.national_admin, agency=world.pupr)
    for viewer in (world.other_citizen, world.unit_admin, world.national_admin):
        sign_in(client, viewer)
        assert report.tracking_id not in client.get("/laporan-saya/").content.decode()
        page = client.get(f"/laporan/{report.tracking_id}/").content.decode()
        assert person.full_name not in page and "Belum puas? Tanggapi" not in page
    office = client.get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    assert person.full_name not in office and person.profile.phone not in office


def test_the_identity_custodian_reveal_names_the_person_behind_the_stand_in(client, world):
    report, person = file_by_web(client, world)
    identity = services.report_reveal_identity(report=report, by=world.custodian,
                                               reason="Permintaan penyidik atas dugaan pemalsuan laporan.")
    assert identity["name"] == person.full_name
    assert identity["nik"] == person.profile.nik and identity["phone"] == person.profile.phone


def test_an_rt_rw_files_anonymously_for_a_resident_and_neither_is_stored_beside_it(client, world, settings):
    sign_in(client, world.proxy)
    response = client.post("/lapor/", {"kind": "complaint", "title": TITLE, "body": BODY, "is_anonymous": "on",
                                       "addressed_agency": str(world.pemkot.pk), "checked": "True",
                                       "resident_name": "Mak Inah", "resident_phone": "0812-7777-1234"})
    assert response.status_code == 302
    report = Report.objects.get(title=TITLE)
    resident = get_user_model().objects.get(full_name="Mak Inah")
    assert rows_naming(world.proxy, report) == [] and rows_naming(resident, report) == []
    # The RT/RW still reads it as theirs, with the resident named, and counts it against their limit.
    mine = client.get("/laporan-saya/").content.decode()
    assert report.tracking_id in mine and "diajukan untuk warga" in mine
    page = client.get(f"/laporan/{report.tracking_id}/").content.decode()
    assert "Mak Inah (diajukan oleh Anda sebagai RT/RW)" in page
    assert submit_retry_at(user=fresh(world.proxy)) is None  # one report is far from the limit…
    settings.LAPOR_PROXY_SUBMIT_PER_HOUR = 1
    assert submit_retry_at(user=fresh(world.proxy)) is not None  # …and counts: with a limit of one, the next waits


def test_anonymous_reports_count_against_the_citizens_limit(client, world, settings):
    settings.LAPOR_SUBMIT_PER_HOUR = 1
    file_by_web(client, world)
    response = client.post("/lapor/", {"kind": "complaint", "title": "Laporan kedua", "body": BODY,
                                       "addressed_agency": str(world.pemkot.pk), "checked": "True"})
    assert response.status_code == 429
    assert not Report.objects.filter(title="Laporan kedua").exists()


def test_a_report_made_anonymous_later_moves_to_a_stand_in_from_that_moment(client, world,
                                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_submit(reporter=world.citizen, title=TITLE, body=BODY,
                                        addressed_agency=world.pemkot)
        services.report_verify(report=report, by=world.national_admin, agency=world.pupr)
        services.report_answer(report=Report.objects.get(pk=report.pk), by=world.unit_admin, body="Kami periksa.")
        services.report_reply(report=Report.objects.get(pk=report.pk), by=world.citizen, text="Masih terjadi.")
    told_before = list(Notification.objects.filter(report=report, recipient=world.citizen))
    assert any(world.citizen.full_name in n.body for n in told_before)  # "Yth. Siti Rahmawati,"
    with django_capture_on_commit_callbacks(execute=True):
        services.report_set_flags(report=Report.objects.get(pk=report.pk), by=world.unit_admin, is_anonymous=True,
                                  reason="Pelapor khawatir akan pembalasan petugas.")
        services.report_answer(report=Report.objects.get(pk=report.pk), by=world.unit_admin, body="Sudah ditindak.")
        citizen = fresh(world.citizen)  # a later request, with their new stand-in
        services.report_rate(report=Report.objects.get(pk=report.pk), by=citizen, comment="Terima kasih.")
    report = Report.objects.get(pk=report.pk)

    # Only the history written before it was made anonymous keeps the person (append-only).
    assert rows_naming(world.citizen, report) == ["reports_reportevent.actor_id"]
    flagged = report.events.get(action="set_flags")
    earlier = report.events.filter(actor=world.citizen)
    assert earlier.exists() and all(e.at < flagged.at for e in earlier)
    assert report.events.get(action="rate").actor_id == report.reporter_id != world.citizen.pk
    assert Notification.objects.filter(report=report, recipient=world.citizen).count() == 0
    # What they were told before keeps no name either.
    told = Notification.objects.filter(report=report, recipient=report.reporter)
    assert told.filter(created_at__lt=flagged.at).count() == len(told_before) > 0
    assert all(world.citizen.full_name not in n.subject + n.body for n in told)
    assert any("Yth. Pelapor," in n.body for n in told)
    # Staff read "Pelapor" for every entry of the reporter, before and after.
    sign_in(client, world.unit_admin)
    office = client.get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    assert world.citizen.full_name not in office
    # The citizen still has it, and acts on it.
    sign_in(client, world.citizen)
    assert report.tracking_id in client.get("/laporan-saya/").content.decode()


def test_an_sms_reply_from_the_reporters_number_acts_as_the_stand_in(client, world, settings,
                                                                      django_capture_on_commit_callbacks):
    settings.KANNEL_INBOUND_SECRET = "rahasia-kannel"
    with django_capture_on_commit_callbacks(execute=True):
        report, person = file_by_web(client, world)
        services.report_verify(report=report, by=world.national_admin, agency=world.pupr)
        services.report_answer(report=Report.objects.get(pk=report.pk), by=world.unit_admin, body="Kami periksa.")
    reply = client.get("/sms/kannel/", {"sender": person.profile.phone, "text": f"BALAS {report.tracking_id} "
                                        "belum ada perubahan", "id": "", "ts": "1795451099",
                                        "secret": "rahasia-kannel"}).content.decode()
    report.refresh_from_db()
    assert report.status == Status.DISPATCHED, reply
    assert report.events.get(action="reply").actor_id == report.reporter_id
    assert rows_naming(person, report) == []
    # The message's sender is a keyed hash equal to the person's phone hash: the number's
    # limits count it for a day, then the background pass forgets it.
    texted = InboundSms.objects.get(report=report)
    assert texted.sender_hash == person.profile.phone_hash
    assert forget_anonymous_senders(now=texted.received_at + datetime.timedelta(hours=23)) == 0
    run_background_pass(now=texted.received_at + datetime.timedelta(hours=25), deliver=False)
    texted.refresh_from_db()
    assert texted.sender_hash == "" and texted.outcome == InboundSms.Outcome.ACTION
    assert not InboundSms.objects.filter(sender_hash=person.profile.phone_hash).exists()
    # A message about a report that is not anonymous keeps its sender (the limits, the admin's list).
    open_report = services.report_submit(reporter=person, title="Lampu jalan mati", body=BODY,
                                         addressed_agency=world.pemkot)
    client.get("/sms/kannel/", {"sender": person.profile.phone, "text": f"CEK {open_report.tracking_id}",
                                "id": "", "ts": "1795451100", "secret": "rahasia-kannel"})
    forget_anonymous_senders(now=texted.received_at + datetime.timedelta(days=3))
    assert InboundSms.objects.get(report=open_report).sender_hash == person.profile.phone_hash


@pytest.mark.django_db(transaction=True)
def test_anonymous_reports_stored_before_move_to_stand_ins_with_the_migration(client, world):
    from django.db.migrations.executor import MigrationExecutor

    # As the code before stored it: the report and everything on it name the citizen. Made
    # with today's code as an open report, then marked anonymous under the old schema.
    report = services.report_submit(reporter=world.citizen, title=TITLE, body=BODY, addressed_agency=world.pemkot)
    services.report_verify(report=report, by=world.national_admin, agency=world.pupr)
    services.report_answer(report=Report.objects.get(pk=report.pk), by=world.unit_admin, body="Kami periksa.")
    services.report_reply(report=Report.objects.get(pk=report.pk), by=world.citizen, text="Masih terjadi.")
    MigrationExecutor(connection).migrate([("reports", "0012_answer_drafts"), ("accounts", "0004_phone_claim")])
    Report.objects.filter(pk=report.pk).update(is_anonymous=True)
    assert "reports_report.reporter_id" in rows_naming(world.citizen, report)
    assert "reports_reportevent.actor_id" in rows_naming(world.citizen, report)
    assert any(world.citizen.full_name in n.body for n in Notification.objects.filter(recipient=world.citizen))

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    report = Report.objects.get(pk=report.pk)
    assert rows_naming(world.citizen, report) == []
    assert Pseudonym.objects.filter(user=report.reporter).exists()
    told = Notification.objects.filter(report=report, recipient=report.reporter)
    assert told.exists() and all(world.citizen.full_name not in n.subject + n.body for n in told)
    # The event log is append-only again afterwards.
    with pytest.raises(Exception, match="append-only"):
        ReportEvent.objects.filter(report=report).update(text="diubah")
    sign_in(client, world.citizen)
    assert report.tracking_id in client.get("/laporan-saya/").content.decode()


@pytest.mark.parametrize("writer", ["_import_chunk_at_once", "_import_chunk_row_by_row"])
def test_an_imported_anonymous_report_with_a_phone_reporter_is_behind_a_stand_in(client, world, writer):
    from lapor.accounts.models import ReporterProfile
    from lapor.core.crypto import lookup_hash
    from lapor.reports import importing

    row = {"external_id": "A-1", "title": TITLE, "body": BODY, "is_anonymous": "ya", "reporter_phone": "0812-3333-4444",
           "created_at": "2025-02-03T08:00:00+08:00", "agency": "pemkot",
           "history": [{"action": "verify", "at": "2025-02-04T08:00:00+08:00", "agency": "dinkes"},
                       {"action": "answer", "at": "2025-02-05T08:00:00+08:00", "body": "Dipesan",
                        "by": "petugas.dinkes"},
                       {"action": "reply", "at": "2025-02-06T08:00:00+08:00", "text": "Belum ada"}]}
    done = getattr(importing, writer)([(1, row)], account=importing.source_account("lama"), by=world.national_admin,
                                      commit=True)
    assert done.created == 1 and not done.errors
    report = Report.objects.get(title=TITLE)
    person = ReporterProfile.objects.get(phone_hash=lookup_hash("+6281233334444")).user
    assert report.is_anonymous and report.events.filter(action="reply").exists()
    assert rows_naming(person, report) == []
    sign_in(client, person)
    assert report.tracking_id in client.get("/laporan-saya/").content.decode()


def test_two_anonymous_reports_of_one_person_share_nothing_in_the_database(client, world):
    """One stand-in per report and no deterministic value beside them: a reader of the
    database cannot tell that two anonymous reports came from the same person."""
    first, person = file_by_web(client, world)
    client.post("/lapor/", {"kind": "complaint", "title": "Laporan anonim kedua", "body": BODY, "is_anonymous": "on",
                            "addressed_agency": str(world.pemkot.pk), "checked": "True"})
    second = Report.objects.get(title="Laporan anonim kedua")
    assert first.reporter_id != second.reporter_id
    rows = [first.reporter_id, second.reporter_id]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_pseudonym WHERE user_id IN (%s, %s)", rows)
        one, two = cursor.fetchall()
        columns = [c[0] for c in cursor.description]
    shared = {c for c, a, b in zip(columns, one, two) if a == b and c != "created_at"}
    assert shared == set()
    # …yet both are the person's, and the keys tell.
    assert set(json.loads(get_user_model().objects.get(pk=person.pk).stand_ins_sealed)) == set(rows)
    mine = client.get("/laporan-saya/").content.decode()
    assert first.tracking_id in mine and second.tracking_id in mine


def test_an_open311_apps_anonymous_request_keeps_the_app_as_reporter_and_hides_it(client, world):
    """An Open311 client files for people we never meet: its account is an organisation's,
    not a person to hide behind a stand-in (nor one to pile thousands of stand-ins on)."""
    report, app_account = file_by_open311(client, world)
    assert report.is_anonymous and report.reporter_id == app_account.pk
    assert not Pseudonym.objects.exists()
    services.report_verify(report=report, by=world.national_admin, agency=world.pupr)
    sign_in(client, world.unit_admin)
    office = client.get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    assert app_account.full_name not in office and "Pelapor anonim" in office


def test_a_report_made_anonymous_at_verification_moves_to_a_stand_in(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_submit(reporter=world.citizen, title=TITLE, body=BODY, addressed_agency=world.pemkot)
        services.report_verify(report=report, by=world.national_admin, agency=world.pupr, is_anonymous=True)
        services.report_answer(report=Report.objects.get(pk=report.pk), by=world.unit_admin, body="Kami periksa.")
        services.report_reply(report=Report.objects.get(pk=report.pk), by=fresh(world.citizen), text="Masih terjadi.")
    report = Report.objects.get(pk=report.pk)
    # Only the filing, written before, keeps the person; everything else is the stand-in's.
    assert rows_naming(world.citizen, report) == ["reports_reportevent.actor_id"]
    assert list(report.events.filter(actor=world.citizen).values_list("action", flat=True)) == ["submit"]
    assert report.events.get(action="reply").actor_id == report.reporter_id


def test_verification_never_lifts_anonymity(client, world):
    report, person = file_by_web(client, world)
    with pytest.raises(ValidationError) as refused:
        services.report_verify(report=report, by=world.national_admin, agency=world.pupr, is_anonymous=False)
    assert "tidak dapat dicabut" in str(refused.value.message_dict["is_anonymous"])
    report.refresh_from_db()
    assert report.is_anonymous and report.verified_at is None
    # The back office's verify form shows it ticked and does not offer to untick it.
    sign_in(client, world.national_admin)
    page = client.get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    box = page[page.rindex('name="verify-is_anonymous"') - 200:page.rindex('name="verify-is_anonymous"') + 200]
    assert "checked" in box and "disabled" in box


def test_the_django_admin_names_nobody_on_a_report_made_anonymous_later(admin_client, world):
    report = services.report_submit(reporter=world.citizen, title=TITLE, body=BODY, addressed_agency=world.pemkot)
    services.report_set_flags(report=report, by=world.national_admin, is_anonymous=True,
                              reason="Pelapor khawatir akan pembalasan petugas.")
    page = admin_client.get(f"/admin/reports/report/{report.pk}/change/").content.decode()
    assert world.citizen.full_name not in page and "Pelapor (anonim)" in page


def test_staff_notifications_lose_the_name_when_a_report_is_made_anonymous(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_submit(reporter=world.citizen, title=TITLE, body=BODY, addressed_agency=world.pemkot)
        services.report_verify(report=report, by=world.national_admin, agency=world.pupr)
        services.report_answer(report=Report.objects.get(pk=report.pk), by=world.unit_admin, body="Kami periksa.")
        services.report_reply(report=Report.objects.get(pk=report.pk), by=world.citizen, text="Masih terjadi.")
    staff_told = Notification.objects.filter(report=report).exclude(recipient=world.citizen)
    assert any(world.citizen.full_name in n.body for n in staff_told)  # "Tanggapan pelapor; Siti Rahmawati"
    services.report_set_flags(report=Report.objects.get(pk=report.pk), by=world.unit_admin, is_anonymous=True,
                              reason="Pelapor khawatir akan pembalasan petugas.")
    everything = Notification.objects.filter(report=report)
    assert all(world.citizen.full_name not in n.subject + n.body for n in everything)


def test_the_reporter_does_not_follow_their_own_anonymous_report(client, world):
    report, person = file_by_web(client, world)
    services.report_verify(report=report, by=world.national_admin, agency=world.pupr)
    page = client.get(f"/laporan/{report.tracking_id}/").content.decode()
    assert "Ikuti laporan ini" not in page
    with pytest.raises(ValidationError, match="laporan anonim Anda sendiri"):
        follow_create(user=person, report=report)
    assert rows_naming(person, report) == []
    sign_in(client, world.other_citizen)  # anyone else may
    assert "Ikuti laporan ini" in client.get(f"/laporan/{report.tracking_id}/").content.decode()


def test_the_reporter_of_an_anonymous_duplicate_hears_of_the_originals_answer(client, world, mailoutbox,
                                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        original = services.report_submit(reporter=world.other_citizen, title="Jalan berlubang", body=BODY,
                                          addressed_agency=world.pemkot)
        services.report_verify(report=original, by=world.national_admin, agency=world.pupr)
        duplicate, person = file_by_web(client, world)
        services.report_mark_duplicate(report=duplicate, by=world.national_admin, original=original)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_answer(report=Report.objects.get(pk=original.pk), by=world.unit_admin, body="Sudah ditambal.")
    assert any(person.email in m.to and original.tracking_id in m.subject and "Anda ikuti" in m.subject
               for m in mailoutbox)
    assert rows_naming(person, duplicate) == []
    # The person finds that follow among theirs, the original reads as followed, and they may stop it.
    follow = Follow.objects.get(report=original)
    assert follow.user_id == Report.objects.get(pk=duplicate.pk).reporter_id != person.pk
    assert original.title in client.get("/ikuti/").content.decode()
    assert "Ikuti laporan ini" not in client.get(f"/laporan/{original.tracking_id}/").content.decode()
    assert client.post(f"/ikuti/{follow.pk}/hapus/").status_code == 302
    assert not Follow.objects.filter(pk=follow.pk).exists()


def test_a_whole_account_save_keeps_the_stand_ins_filed_meanwhile(client, world):
    """A password change saves the account as it was read at the start of its request; an
    anonymous report filed meanwhile in another request must stay the person's."""
    read_before = fresh(world.citizen)
    report, _person = file_by_web(client, world)
    read_before.set_password("kata-sandi-baru-yang-panjang")
    read_before.save()
    assert report.reporter_id in json.loads(fresh(world.citizen).stand_ins_sealed)
    sign_in(client, fresh(world.citizen))  # the new password signed the old session out
    assert report.tracking_id in client.get("/laporan-saya/").content.decode()


def test_idempotency_keys_are_forgotten_after_a_day(client, world):
    response = client.post("/api/v1/reports/", {"title": TITLE, "body": BODY, "is_anonymous": True,
                                                "addressed_agency": "pemkot"}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Token {token_issue(user=world.citizen)}",
                           HTTP_IDEMPOTENCY_KEY="7f1c2e9a-0001")
    assert response.status_code == 201
    report = Report.objects.get(tracking_id=response.json()["tracking_id"])
    assert rows_naming(world.citizen, report) == ["api_idempotencykey.user_id"]  # for a retry, today
    key = IdempotencyKey.objects.get()
    run_background_pass(now=key.created_at + datetime.timedelta(hours=23), deliver=False)
    assert IdempotencyKey.objects.exists()
    run_background_pass(now=key.created_at + datetime.timedelta(hours=25), deliver=False)
    assert not IdempotencyKey.objects.exists()
    assert rows_naming(world.citizen, report) == []

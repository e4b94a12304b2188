"""Who hears about a report, in which words, on which channel (SPEC §4, §5, §7)."""
import datetime

from django.urls import reverse

from lapor.accounts.models import User
from lapor.notifications import services as notifications
from lapor.notifications.models import Channel, EventFanout, Notification, Preference, Reason, Status
from lapor.reports import drafts, services
from lapor.reports.enums import Action
from lapor.reports.models import ReportEvent
from lapor.reports.sweep import sweep
from tests.office.staff import sign_in
from tests.sweep.conftest import SECOND, at



def submit(act, world, **kwargs):
    fields = dict(reporter=world.citizen, title="Jalan berlubang di Jl. A. Yani", body="Lubang besar dekat pasar.",
                  addressed_agency=world.pemkot, category=world.category, now=at(2026, 11, 23, 9))
    fields.update(kwargs)
    return act(services.report_submit, **fields)


def in_app(user, **filters):
    return list(Notification.objects.filter(recipient=user, channel=Channel.IN_APP, **filters))


def test_the_reporter_hears_of_every_change_and_answer_but_not_of_internal_work(world, act):
    report = submit(act, world)
    act(services.report_verify, report=report, by=world.agency_admin, agency=world.pupr, now=at(2026, 11, 24, 9))
    act(services.report_dispose, report=report, by=world.unit_admin, unit=world.bina_marga, now=at(2026, 11, 24, 10))
    act(services.report_add_note, report=report, by=world.unit_admin, text="Cek anggaran", now=at(2026, 11, 24, 11))
    # Bina Marga's officer drafts, PUPR's unit admin sends it back once, then approves.
    act(drafts.draft_answer, report=report, by=world.sub_unit_officer, body="Ditambal.", now=at(2026, 11, 25, 8))
    act(drafts.draft_return, draft=drafts.open_draft(report), by=world.unit_admin, note="Sebutkan harinya.",
        now=at(2026, 11, 25, 8, 30))
    act(drafts.draft_answer, report=report, by=world.sub_unit_officer, body="Ditambal Senin.", now=at(2026, 11, 25, 8, 45))
    act(drafts.draft_approve, draft=drafts.open_draft(report), by=world.unit_admin, now=at(2026, 11, 25, 9))

    got = [(n.event.action, n.reason) for n in reversed(in_app(world.citizen))]
    assert got == [(Action.SUBMIT, Reason.STATUS), (Action.VERIFY, Reason.STATUS), (Action.DISPOSE, Reason.STATUS),
                   (Action.ANSWER, Reason.ANSWER)]  # the internal note and the drafts: nothing
    # The draft's story is told to those who must act on it, and only to them.
    told = Notification.objects.filter(channel=Channel.IN_APP)
    assert [n.recipient for n in told.filter(event__action=Action.DRAFT_ANSWER)] == [world.unit_admin] * 2
    sent_back = told.get(event__action=Action.RETURN_DRAFT)
    assert sent_back.recipient == world.sub_unit_officer and "Sebutkan harinya" not in sent_back.body
    answer = in_app(world.citizen, reason=Reason.ANSWER)[0]
    assert "Ditambal Senin." in answer.body
    assert "Dinas" in answer.body or "Bidang Bina Marga" in answer.body  # the agency, never the officer's name
    assert world.sub_unit_officer.display_name not in answer.body


def test_the_reporter_hears_that_another_agency_now_handles_the_report_and_why(world, act):
    report = submit(act, world)
    act(services.report_verify, report=report, by=world.agency_admin, agency=world.pupr, now=at(2026, 11, 24, 9))
    act(services.report_transfer, report=report, by=world.national_admin, agency=world.pupr_banjar,
        reason="Lokasinya di Kabupaten Banjar.", now=at(2026, 11, 24, 10))

    [told] = in_app(world.citizen, event__action=Action.TRANSFER)
    assert told.reason == Reason.STATUS
    assert "Dilimpahkan" in told.body and "Lokasinya di Kabupaten Banjar." in told.body


def test_new_work_goes_to_the_handlers_of_the_unit_it_lands_on(world, act):
    report = submit(act, world)
    assert {n.recipient for n in Notification.objects.filter(reason=Reason.NEW_WORK, channel=Channel.IN_APP)} == {
        world.agency_admin}  # the router of the addressed government
    act(services.report_verify, report=report, by=world.agency_admin, agency=world.pupr, now=at(2026, 11, 24, 9))
    told = {n.recipient for n in Notification.objects.filter(event__action=Action.VERIFY, reason=Reason.NEW_WORK)}
    assert told == {world.unit_admin, world.officer}
    act(services.report_dispose, report=report, by=world.unit_admin, unit=world.bina_marga, now=at(2026, 11, 24, 10))
    told = {n.recipient for n in Notification.objects.filter(event__action=Action.DISPOSE, reason=Reason.NEW_WORK)}
    assert told == {world.sub_unit_officer}


def test_reminders_go_to_the_desk_and_escalations_to_the_supervisors_in_scope(world, act):
    report = submit(act, world)
    act(services.report_verify, report=report, by=world.agency_admin, agency=world.pupr, now=at(2026, 11, 24, 9))
    report.refresh_from_db()
    act(sweep, now=at(2026, 12, 1, 0))  # the deadline's day (Tue 1 Dec) begins
    reminded = {n.recipient for n in Notification.objects.filter(reason=Reason.REMINDER, channel=Channel.IN_APP)}
    assert reminded == {world.unit_admin, world.officer}
    act(sweep, now=report.due_at + SECOND)
    escalated = {n.recipient for n in Notification.objects.filter(reason=Reason.ESCALATION, channel=Channel.IN_APP)}
    assert escalated == {world.inspector, world.ombudsman_officer}  # not Kabupaten Banjar's inspector
    assert world.citizen not in escalated | reminded


def test_a_reporter_reminded_to_complete_a_returned_report_is_sent_to_its_page(world, act, smtp_server):
    report = submit(act, world)
    act(services.report_return, report=report, by=world.agency_admin, missing="Sebutkan lokasinya.",
        now=at(2026, 11, 24, 9))
    report.refresh_from_db()
    act(sweep, now=report.due_at - datetime.timedelta(hours=1))
    [reminder] = smtp_server.to(world.citizen.email)[-1:]
    text = reminder.get_body(("plain",)).get_content()
    assert "Lengkapi" in reminder["Subject"] + text
    assert f"/laporan/{report.tracking_id}/" in text and "/kantor/" not in text


def test_an_anonymous_reporter_is_never_revealed_in_what_staff_receive(world, act, smtp_server):
    report = submit(act, world, is_anonymous=True)
    act(services.report_verify, report=report, by=world.agency_admin, agency=world.pupr, now=at(2026, 11, 24, 9))
    act(drafts.draft_answer, report=report, by=world.officer, body="Dicek.", now=at(2026, 11, 24, 9, 30))
    act(drafts.draft_approve, draft=drafts.open_draft(report), by=world.unit_admin, now=at(2026, 11, 24, 10))
    act(services.report_reply, report=report, by=world.citizen, text="Belum beres, saya Siti.", now=at(2026, 11, 24, 11))

    identity = ["Siti Rahmawati", "warga", "6372024107900001", world.citizen.email, world.citizen.profile.phone]
    staff_rows = Notification.objects.exclude(recipient__in=[world.citizen])
    assert staff_rows.filter(event__action=Action.REPLY).exists()
    assert staff_rows.filter(event__action=Action.DRAFT_ANSWER).exists()
    for row in staff_rows:
        for secret in identity:
            assert secret not in row.subject + row.body
    staff_mail = [m for rcpts, m in smtp_server.messages if world.citizen.email not in rcpts]
    assert staff_mail
    for message in staff_mail:
        text = message.as_string()
        for secret in identity:
            assert secret not in text


def test_email_arrives_at_a_real_smtp_server_in_each_recipients_language(world, act, smtp_server):
    Preference.objects.create(user=world.citizen, language="en")
    report = submit(act, world)
    act(services.report_verify, report=report, by=world.agency_admin, agency=world.pupr, now=at(2026, 11, 24, 9))

    [received, verified] = smtp_server.to(world.citizen.email)
    assert received["Subject"] == f"[Lapor #{report.tracking_id}] Report received: Awaiting verification"
    # The verification deadline as the report's page says it: the addressed city's WITA.
    assert "26 November 2026 23:59 WITA" in received.get_body(("plain",)).get_content()
    assert verified["Subject"] == f"[Lapor #{report.tracking_id}] Verified and dispatched: Dispatched to the agency"
    text = verified.get_body(("plain",)).get_content()
    html = verified.get_body(("html",)).get_content()
    assert "Dear Siti Rahmawati" in text and "Next deadline: 1 December 2026 23:59 WITA" in text
    assert '<html lang="en">' in html and f"/laporan/{report.tracking_id}/" in html

    [work] = smtp_server.to(world.officer.email)
    assert work["Subject"] == f"[Lapor #{report.tracking_id}] Laporan untuk ditangani: Jalan berlubang di Jl. A. Yani"
    assert "Tenggat: 1 Desember 2026 23:59 WITA" in work.get_body(("plain",)).get_content()
    # Staff are sent to the report's workspace, where they act on it; the reporter to its page.
    assert f"/kantor/laporan/{report.tracking_id}/" in work.get_body(("plain",)).get_content()
    assert "/kantor/" not in text


def test_english_messages_name_every_action_and_status_in_english(world, act):
    # Postponing had no English words of its own and went out as "postpone"; a report
    # handed back as "not our authority" reads "Awaiting transfer", as on the website.
    Preference.objects.create(user=world.citizen, language="en")
    report = submit(act, world)
    act(services.report_postpone, report=report, by=world.agency_admin, reason="Menunggu foto.",
        now=at(2026, 11, 24, 9))
    [postponed] = in_app(world.citizen, event__action=Action.POSTPONE)
    assert postponed.subject == f"[Lapor #{report.tracking_id}] Postponed: Postponed"

    act(services.report_verify, report=report, by=world.agency_admin, agency=world.pupr, now=at(2026, 11, 24, 10))
    act(services.report_not_our_authority, report=report, by=world.unit_admin,
        reason="Jalan provinsi.", now=at(2026, 11, 24, 11))
    [handed_back] = in_app(world.citizen, event__action=Action.NOT_OUR_AUTHORITY)
    assert handed_back.subject == (f"[Lapor #{report.tracking_id}] Not this agency's authority: "
                                   "Awaiting transfer")


def test_email_can_be_switched_off_but_in_app_stays(world, act, smtp_server):
    Preference.objects.create(user=world.citizen, by_email=False)
    submit(act, world)
    assert smtp_server.to(world.citizen.email) == []
    assert len(in_app(world.citizen)) == 1


def test_a_failing_mail_server_never_blocks_a_transition_and_is_retried_with_backoff(world, act, dead_smtp, settings):
    settings.LAPOR_NOTIFY_MAX_ATTEMPTS = 3
    report = submit(act, world)
    assert report.pk and ReportEvent.objects.filter(report=report).count() == 1
    mail = Notification.objects.get(recipient=world.citizen, channel=Channel.EMAIL)
    assert (mail.status, mail.attempts) == (Status.PENDING, 1)
    assert "Error" in mail.last_error
    first_retry = mail.next_attempt_at

    assert notifications.notifications_deliver_due(now=first_retry - SECOND) == 0
    notifications.notifications_deliver_due(now=first_retry)
    mail.refresh_from_db()
    assert mail.attempts == 2 and mail.next_attempt_at == first_retry + datetime.timedelta(seconds=120)
    notifications.notifications_deliver_due(now=mail.next_attempt_at)
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.next_attempt_at) == (Status.FAILED, 3, None)


def test_admins_see_failed_notifications(world, act, dead_smtp, settings, client):
    settings.LAPOR_NOTIFY_MAX_ATTEMPTS = 1
    submit(act, world)
    # The system's operator: no agency role, but a superuser passes the second factor too.
    operator = User.objects.create_superuser("operator", "operator@example.id", "rahasia-uji-123")
    sign_in(client, operator)
    page = client.get("/admin/notifications/notification/?masalah=gagal")
    assert page.status_code == 200
    assert "ConnectionRefusedError" in page.content.decode()


def test_sms_reporters_get_their_news_through_kannel(world, act, kannel):
    profile = world.citizen.profile
    profile.is_phone_only = True
    profile.save()
    report = submit(act, world, channel="sms")
    assert kannel.received == []  # the SMS gateway itself answers a report sent by SMS
    act(services.report_verify, report=report, by=world.agency_admin, agency=world.pupr, now=at(2026, 11, 24, 9))
    [sms] = kannel.received
    assert sms["to"] == profile.phone and sms["username"] == "lapor" and sms["charset"] == "UTF-8"
    assert sms["text"].startswith(f"LAPOR #{report.tracking_id}: Diverifikasi dan didisposisikan.")
    assert len(sms["text"]) <= 160
    assert Notification.objects.get(recipient=world.citizen, channel=Channel.SMS).status == Status.SENT


def test_a_refusing_sms_gateway_leaves_the_sms_for_a_retry(world, act, kannel, settings):
    settings.KANNEL_PASSWORD = "salah"
    profile = world.citizen.profile
    profile.is_phone_only = True
    profile.save()
    submit(act, world)
    sms = Notification.objects.get(recipient=world.citizen, channel=Channel.SMS)
    assert sms.status == Status.PENDING and "403" in sms.last_error


def test_each_notification_is_created_once_however_often_an_event_is_fanned_out(world, act):
    report = submit(act, world)
    event = report.events.get()
    count = Notification.objects.count()
    EventFanout.objects.all().delete()
    notifications.notifications_fan_out(event=event)
    notifications.notifications_fan_out(event=event)
    assert Notification.objects.count() == count


def test_events_whose_hook_never_ran_are_caught_up_by_the_sweep(world):
    report = services.report_submit(reporter=world.citizen, title="Lampu jalan mati", body="Gelap.",
                                    addressed_agency=world.pemkot, now=at(2026, 11, 23, 9))  # no commit hook ran
    assert not Notification.objects.exists()
    counts = notifications.run_background_pass(now=at(2026, 11, 23, 9, 1))
    assert counts["caught_up"] == 1
    assert Notification.objects.filter(event__report=report, recipient=world.citizen).exists()


def test_the_notification_centre_shows_ones_own_notifications_and_unread_count(world, act, client):
    report = submit(act, world)
    act(services.report_verify, report=report, by=world.agency_admin, agency=world.pupr, now=at(2026, 11, 24, 9))
    client.force_login(world.citizen)
    page = client.get(reverse("notifications:centre"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "2 belum dibaca" in html and report.tracking_id in html
    client.post(reverse("notifications:mark_read"))
    assert notifications.unread_count(world.citizen) == 0

    client.force_login(world.other_citizen)
    assert report.tracking_id not in client.get(reverse("notifications:centre")).content.decode()


def test_the_notification_centre_asks_strangers_to_sign_in(client):
    assert client.get(reverse("notifications:centre")).status_code == 302


def test_people_choose_language_and_channels_in_the_centre(world, client):
    client.force_login(world.citizen)
    client.post(reverse("notifications:preferences"), {"language": "en", "by_email": "", "by_sms": "on"})
    preference = Preference.objects.get(user=world.citizen)
    assert (preference.language, preference.by_email, preference.by_sms) == ("en", False, True)


def test_an_address_typed_by_a_citizen_is_not_made_a_link_in_the_email():
    # A title or reply with "http://…" is the citizen's words; the one link is the button to the report.
    from lapor.notifications.messages import render_html

    html = render_html(subject="Laporan baru", language="id", url="https://lapor.example/laporan/123456789/",
                       body="Judul: Klik http://evil.example/hadiah untuk detail")
    assert "http://evil.example/hadiah" in html
    assert html.count("<a ") == 1 and 'href="https://lapor.example/laporan/123456789/"' in html

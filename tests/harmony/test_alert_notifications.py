"""Early warnings reach the Kesbangpol head and the regional leadership through the
notification centre: one unread in-app notification each, and one e-mail each at a real
SMTP server (or an SMS through Kannel, for who chose it), however often the check runs."""
import datetime

from lapor.harmony import services
from lapor.harmony.models import HarmonyAlert, HarmonyThreshold
from lapor.notifications.models import Channel, Notification, Preference, Reason
from lapor.notifications.services import notifications_deliver_due, run_background_pass, unread_count
from tests.api.concurrency import concurrently
from tests.factories import ReporterProfileFactory

from .conftest import NOW

HIGH = 3
HEAD_MAIL, LEADER_MAIL = "kepala.kesbangpol@example.id", "sekda.banjarbaru@example.id"


def warnings_to(mailbox, address):
    """The early-warning e-mails to ``address`` (the head also hears of the reports themselves)."""
    return [m for m in mailbox.to(address) if "SILAPAT" in m["Subject"]]


def alerts_in_app(user):
    return Notification.objects.filter(recipient=user, channel=Channel.IN_APP, reason=Reason.HARMONY_ALERT)


def three_high_incidents_unwatched(harmony, incident):
    """Three 'tinggi' incidents in Landasan Ulin while the threshold is off, then switched
    on behind the services' back: the next check is the one that finds the crossing."""
    HarmonyThreshold.objects.filter(pk=harmony.threshold.pk).update(is_active=False)
    for village in ("63.72.02.1005", "63.72.02.1004", "63.72.02.1005"):
        incident(level=HIGH, village=village)
    HarmonyThreshold.objects.filter(pk=harmony.threshold.pk).update(is_active=True)


def test_a_crossing_puts_one_unread_alert_in_each_recipients_notification_centre(
        harmony, incident, as_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            incident(level=HIGH)

    for person in (harmony.head, harmony.leadership):
        [alert] = alerts_in_app(person)
        assert alert.read_at is None and alert.subject == "Peringatan dini SILAPAT: Landasan Ulin"
        page = as_user(person).get("/notifikasi/").content.decode()
        assert f"{unread_count(person)} belum dibaca" in page  # the head also hears of the reports themselves
        assert page.count("Peringatan dini SILAPAT: Landasan Ulin") == 1
        assert 'href="/kantor/silapat/peringatan/"' in page
        assert "Peringatan dini kerukunan" in page  # why they were told
    assert unread_count(harmony.leadership) == 1
    assert not alerts_in_app(harmony.operator).exists()


def test_each_recipient_receives_one_email_at_a_real_smtp_server_even_when_the_check_runs_again(
        harmony, incident, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            incident(level=HIGH)
        services.harmony_periodic_check(now=NOW + datetime.timedelta(minutes=10))
        run_background_pass(now=NOW + datetime.timedelta(minutes=20))
        notifications_deliver_due(now=NOW + datetime.timedelta(days=1))

    assert HarmonyAlert.objects.count() == 1
    [head_mail], [leader_mail] = warnings_to(smtp_server, HEAD_MAIL), warnings_to(smtp_server, LEADER_MAIL)
    assert head_mail["Subject"] == "Peringatan dini SILAPAT: Landasan Ulin"
    text = head_mail.get_body(("plain",)).get_content()
    assert "3 kejadian dengan tingkat kerawanan tinggi atau lebih" in text
    assert "Ketegangan soal" not in text and "Siti Rahmawati" not in text  # figures only, never an incident or a name
    assert "Buka halaman" in head_mail.get_body(("html",)).get_content()
    assert leader_mail["Subject"] == head_mail["Subject"]
    assert len(smtp_server.to(LEADER_MAIL)) == 1  # the leadership hears of nothing else
    assert alerts_in_app(harmony.head).count() == 1 and alerts_in_app(harmony.leadership).count() == 1


def test_two_checks_at_once_raise_one_alert_and_send_one_email_each(
        transactional_db, harmony, incident, smtp_server):
    three_high_incidents_unwatched(harmony, incident)
    assert HarmonyAlert.objects.count() == 0

    results = concurrently(lambda: services.harmony_periodic_check(now=NOW))

    assert sorted(r["raised"] for r in results) == [0, 1]
    assert HarmonyAlert.objects.count() == 1
    assert alerts_in_app(harmony.head).count() == 1 and alerts_in_app(harmony.leadership).count() == 1
    assert len(warnings_to(smtp_server, HEAD_MAIL)) == 1 and len(warnings_to(smtp_server, LEADER_MAIL)) == 1


def test_a_recipient_who_switched_email_off_gets_the_alert_only_in_the_app(
        harmony, incident, smtp_server, django_capture_on_commit_callbacks):
    Preference.objects.create(user=harmony.leadership, by_email=False)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            incident(level=HIGH)

    assert smtp_server.to(LEADER_MAIL) == []
    assert alerts_in_app(harmony.leadership).count() == 1
    assert not Notification.objects.filter(recipient=harmony.leadership, channel=Channel.EMAIL).exists()
    assert len(warnings_to(smtp_server, HEAD_MAIL)) == 1


def test_a_leader_who_chose_sms_and_english_gets_the_alert_by_sms_in_english(
        harmony, incident, kannel, django_capture_on_commit_callbacks):
    ReporterProfileFactory(user=harmony.leadership, phone="+6281234500077")
    Preference.objects.create(user=harmony.leadership, language="en", by_email=False, by_sms=True)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            incident(level=HIGH)

    [sms] = [m for m in kannel.received if m.get("to") == "+6281234500077"]
    assert sms["text"].startswith("SILAPAT early warning: Landasan Ulin, 3 incidents high or above")
    assert sms["text"].endswith("/kantor/silapat/peringatan/")
    assert alerts_in_app(harmony.leadership).get().subject == "SILAPAT early warning: Landasan Ulin"


def test_the_module_switched_off_hides_its_alerts_from_the_notification_centre(
        harmony, incident, as_user, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            incident(level=HIGH)
    settings.LAPOR_SILAPAT_ENABLED = False

    page = as_user(harmony.leadership).get("/notifikasi/").content.decode()

    assert "SILAPAT" not in page.replace('href="/silapat/"', "")
    assert "belum dibaca" not in page


def test_two_checks_at_once_after_an_alert_cleared_raise_one_new_alert(transactional_db, harmony, incident):
    three_high_incidents_unwatched(harmony, incident)
    services.harmony_periodic_check(now=NOW)
    HarmonyAlert.objects.update(cleared_on=NOW.date())  # cleared, say while the threshold was off

    results = concurrently(lambda: services.harmony_periodic_check(now=NOW + datetime.timedelta(minutes=10)))

    assert sorted(r["raised"] for r in results) == [0, 1]
    assert HarmonyAlert.objects.count() == 2
    assert HarmonyAlert.objects.filter(cleared_on__isnull=True).count() == 1
    assert alerts_in_app(harmony.leadership).count() == 2

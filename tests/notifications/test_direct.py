"""Notifications about something other than a report event (``notifications_notify``):
a key names what they are about (a SILAPAT alert, news from what one follows); each person
is told once per key, on the channels they chose, in their language."""
import datetime

import pytest
from django.urls import reverse

from lapor.accounts.models import User
from lapor.notifications import services as notifications
from lapor.notifications.models import Channel, Notification, Preference, Reason, Status
from tests.factories import ReporterProfileFactory, UserFactory
from tests.notifications.conftest import free_port
from tests.office.staff import sign_in

NOW = datetime.datetime(2026, 11, 23, 2, 0, tzinfo=datetime.timezone.utc)
URL = "http://127.0.0.1:8000/kantor/silapat/peringatan/"


@pytest.fixture
def notify(django_capture_on_commit_callbacks, settings):
    """Call ``notifications_notify`` as a request would: what it queues runs after commit."""
    settings.LAPOR_SITE_URL = "http://127.0.0.1:8000"

    def notify(users, key="harmony-alert:1", **kwargs):
        fields = dict(reason=Reason.HARMONY_ALERT, url=URL, now=NOW,
                      subject={"id": "Peringatan dini SILAPAT: Landasan Ulin",
                               "en": "SILAPAT early warning: Landasan Ulin"},
                      body=lambda language: {"id": "Tiga kejadian tinggi.", "en": "Three high incidents."}[language])
        fields.update(kwargs)
        with django_capture_on_commit_callbacks(execute=True):
            return notifications.notifications_notify(users=users, key=key, **fields)

    return notify


@pytest.fixture
def people(db):
    head = UserFactory(username="kepala", full_name="Kepala Kesbangpol")
    leader = UserFactory(username="sekda", full_name="Sekretaris Daerah")
    return head, leader


def rows(user, channel=None):
    qs = Notification.objects.filter(recipient=user)
    return qs.filter(channel=channel) if channel else qs


def test_each_person_gets_one_in_app_notification_and_one_email_however_often_it_is_sent(people, notify,
                                                                                         smtp_server):
    head, leader = people
    notify([head, leader])
    notify([head, leader, head])  # again, and a name twice: nothing new

    for person in (head, leader):
        assert rows(person, Channel.IN_APP).count() == 1 and rows(person, Channel.EMAIL).count() == 1
        assert rows(person, Channel.EMAIL).get().status == Status.SENT
        [mail] = smtp_server.to(person.email)
        assert mail["Subject"] == "Peringatan dini SILAPAT: Landasan Ulin"
        assert mail.get_body(("plain",)).get_content().strip() == "Tiga kejadian tinggi."
        html = mail.get_body(("html",)).get_content()
        assert f'href="{URL}"' in html and "Buka halaman" in html and "Lihat laporan" not in html
    assert rows(head, Channel.IN_APP).get().report is None


def test_another_key_is_another_notification(people, notify, smtp_server):
    head, _ = people
    notify([head], key="harmony-alert:1")
    notify([head], key="harmony-alert:2")
    assert rows(head, Channel.IN_APP).count() == 2 and len(smtp_server.to(head.email)) == 2


def test_each_person_reads_it_in_their_own_language(people, notify, smtp_server):
    head, leader = people
    Preference.objects.create(user=leader, language="en")
    notify([head, leader])

    assert rows(leader, Channel.IN_APP).get().subject == "SILAPAT early warning: Landasan Ulin"
    [mail] = smtp_server.to(leader.email)
    assert mail["Subject"] == "SILAPAT early warning: Landasan Ulin" and mail["Content-Language"] == "en"
    assert "Three high incidents." in mail.get_body(("plain",)).get_content()
    assert "Open the page" in mail.get_body(("html",)).get_content()
    assert rows(head, Channel.IN_APP).get().body == "Tiga kejadian tinggi."


def test_email_switched_off_leaves_only_the_in_app_notification(people, notify, smtp_server):
    head, _ = people
    Preference.objects.create(user=head, by_email=False)
    notify([head])
    assert smtp_server.to(head.email) == []
    assert list(rows(head).values_list("channel", flat=True)) == [Channel.IN_APP]


def test_who_chose_sms_gets_one_through_kannel(people, notify, kannel):
    head, _ = people
    ReporterProfileFactory(user=head, phone="+6281234500011")
    Preference.objects.create(user=head, by_email=False, by_sms=True)
    notify([head], sms="SILAPAT: 3 kejadian tinggi di Landasan Ulin.")
    notify([head], sms="SILAPAT: 3 kejadian tinggi di Landasan Ulin.")

    [sms] = kannel.received
    assert (sms["to"], sms["text"]) == ("+6281234500011", "SILAPAT: 3 kejadian tinggi di Landasan Ulin.")
    assert rows(head, Channel.SMS).get().status == Status.SENT


def test_nobody_without_an_address_or_an_active_account_is_mailed(people, notify, smtp_server):
    head, leader = people
    User.objects.filter(pk=head.pk).update(email="")
    User.objects.filter(pk=leader.pk).update(is_active=False)
    notify([head, leader])
    assert list(rows(head).values_list("channel", flat=True)) == [Channel.IN_APP]
    assert not rows(leader).exists() and smtp_server.messages == []


def test_a_failing_mail_server_leaves_the_email_for_a_retry(people, notify, dead_smtp, settings):
    head, _ = people
    notify([head])
    mail = rows(head, Channel.EMAIL).get()
    assert (mail.status, mail.attempts) == (Status.PENDING, 1) and "Connection" in mail.last_error
    assert rows(head, Channel.IN_APP).get().status == Status.SENT


def test_a_refused_address_is_kept_for_a_retry_without_the_address_in_the_error_or_the_log(
        people, notify, refusing_smtp, caplog):
    head, _ = people
    User.objects.filter(pk=head.pk).update(email="kepala.kesbangpol@banjarbarukota.go.id")
    notify([head])
    mail = rows(head, Channel.EMAIL).get()
    assert (mail.status, mail.attempts) == (Status.PENDING, 1)
    assert "SMTPRecipientsRefused" in mail.last_error and "User unknown" in mail.last_error
    assert "kepala.kesbangpol" not in mail.last_error and "[…]" in mail.last_error
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("lapor"))
    assert "kepala.kesbangpol" not in ours and "attempt 1 failed" in ours


def test_an_unreachable_sms_gateway_leaves_the_sms_for_a_retry_without_its_password_number_or_text(
        people, notify, settings, caplog):
    head, _ = people
    ReporterProfileFactory(user=head, phone="+6281234500011")
    Preference.objects.create(user=head, by_email=False, by_sms=True)
    settings.KANNEL_SENDSMS_URL = f"http://127.0.0.1:{free_port()}/cgi-bin/sendsms"  # nothing listens
    settings.KANNEL_USERNAME, settings.KANNEL_PASSWORD, settings.KANNEL_TIMEOUT = "lapor", "rahasia", 2
    notify([head], sms="SILAPAT: 3 kejadian tinggi di Landasan Ulin.")
    sms = rows(head, Channel.SMS).get()
    assert (sms.status, sms.attempts) == (Status.PENDING, 1) and "Kannel unreachable" in sms.last_error
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("lapor")) + sms.last_error
    for secret in ("rahasia", "81234500011", "kejadian"):
        assert secret not in ours


def test_a_key_is_required(people, notify):
    with pytest.raises(ValueError):
        notify(list(people), key="")


def test_the_notification_centre_lists_it_with_a_link_to_its_page_and_counts_it_unread(people, notify, client):
    head, leader = people
    notify([head])
    client.force_login(head)

    page = client.get(reverse("notifications:centre")).content.decode()

    assert "1 belum dibaca" in page and "Peringatan dini SILAPAT: Landasan Ulin" in page
    assert 'href="/kantor/silapat/peringatan/"' in page  # on this site, not the e-mail's absolute address
    assert "Peringatan dini kerukunan" in page
    client.post(reverse("notifications:mark_read"))
    assert notifications.unread_count(head) == 0

    client.force_login(leader)
    assert "Landasan Ulin" not in client.get(reverse("notifications:centre")).content.decode()


def test_admins_see_notifications_without_a_report_by_their_key(people, notify, client):
    head, _ = people
    notify([head], key="harmony-alert:77")
    operator = User.objects.create_superuser("operator", "operator@example.id", "rahasia-uji-123")
    sign_in(client, operator)  # /admin/ asks superusers for the second factor too

    listing = client.get("/admin/notifications/notification/?q=harmony-alert")
    assert listing.status_code == 200 and "harmony-alert:77" in listing.content.decode()
    one = rows(head, Channel.IN_APP).get()
    assert client.get(f"/admin/notifications/notification/{one.pk}/change/").status_code == 200

"""The delivery log in the admin and bringing failed deliveries back; the rules a
subscriber's URL and secret must meet."""
import datetime
import logging

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from lapor.reports import services
from lapor.webhooks.delivery import WINDOW, webhooks_deliver_due, webhooks_fan_out, webhooks_run
from lapor.webhooks.models import Delivery, Subscriber
from tests.webhooks.test_webhooks import Receiver


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()


@pytest.fixture
def gone(world, receiver, settings):
    """A receiver that answered 410 to everything, its deliveries given up."""
    settings.LAPOR_WEBHOOK_MAX_ATTEMPTS = 1
    receiver.status = 410
    subscriber = Subscriber.objects.create(name="SIMPEL Banjarbaru", url=receiver.url, agency=world.pemkot,
                                           secret="r" * 32)
    services.report_submit(reporter=world.citizen, title="Lampu", body="Mati", addressed_agency=world.pemkot)
    webhooks_run()
    assert Delivery.objects.get().status == "failed"
    receiver.status = 200
    return subscriber


def test_an_administrator_sends_a_failed_delivery_again_under_the_same_id(admin_client, gone, receiver):
    delivery = Delivery.objects.get()
    page = admin_client.post("/admin/webhooks/delivery/", {"action": "send_again", "_selected_action": [delivery.pk]},
                             follow=True)
    assert "1 pengiriman gagal dijadwalkan untuk dikirim ulang" in page.content.decode()
    webhooks_deliver_due()
    delivery.refresh_from_db()
    assert delivery.status == "sent"
    assert receiver.received[-1][0]["X-Lapor-Delivery"] == str(delivery.pk)


def test_an_agency_admin_who_only_views_the_log_cannot_send_again(client, world, gone):
    from tests.office.staff import sign_in

    sign_in(client, world.agency_admin)
    page = client.get("/admin/webhooks/delivery/").content.decode()
    assert "send_again" not in page
    client.post("/admin/webhooks/delivery/", {"action": "send_again", "_selected_action": [Delivery.objects.get().pk]})
    assert Delivery.objects.get().status == "failed"


def test_the_command_replays_failed_deliveries_of_one_subscriber_since_a_date(gone, receiver, capsys):
    call_command("deliver_webhooks", "--replay-failed", "--subscriber", str(gone.pk + 1))
    assert Delivery.objects.get().status == "failed"
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    call_command("deliver_webhooks", "--replay-failed", "--since", tomorrow)
    assert Delivery.objects.get().status == "failed"
    call_command("deliver_webhooks", "--replay-failed", "--subscriber", str(gone.pk),
                 "--since", timezone.localdate().isoformat())
    assert "webhooks_replayed=1" in capsys.readouterr().out
    assert Delivery.objects.get().attempts == 0
    call_command("deliver_webhooks")
    assert Delivery.objects.get().status == "sent"


def test_events_older_than_the_window_after_an_outage_are_counted_in_a_warning(world, receiver, caplog):
    Subscriber.objects.create(name="SIMPEL Banjarbaru", url=receiver.url, agency=world.pemkot, secret="r" * 32)
    start = timezone.now()
    webhooks_fan_out(now=start)
    services.report_submit(reporter=world.citizen, title="Lampu", body="Mati", addressed_agency=world.pemkot,
                           now=start + datetime.timedelta(minutes=1))
    with caplog.at_level(logging.WARNING, logger="lapor.webhooks.delivery"):
        assert webhooks_fan_out(now=start + WINDOW + datetime.timedelta(hours=1)) == 0
        assert "1 event(s)" in caplog.text
        caplog.clear()
        webhooks_fan_out(now=start + WINDOW + datetime.timedelta(hours=2))
        assert caplog.text == ""  # said once


def test_the_log_shows_the_events_time_in_the_sites_zone(admin_client, world, receiver):
    Subscriber.objects.create(name="SIMPEL Banjarbaru", url=receiver.url, agency=world.pemkot, secret="r" * 32)
    report = services.report_submit(reporter=world.citizen, title="Lampu", body="Mati", addressed_agency=world.pemkot)
    webhooks_run()
    at = report.events.get().at
    page = admin_client.get("/admin/webhooks/delivery/").content.decode()
    assert f"submit {timezone.localtime(at):%Y-%m-%d %H:%M}" in page
    assert f"submit {at.astimezone(datetime.timezone.utc):%Y-%m-%d %H:%M}" not in page


def test_a_unit_admins_log_filter_names_only_their_own_subscribers(client, world, receiver):
    from tests.office.staff import sign_in

    Subscriber.objects.create(name="SIMPEL Banjarbaru", url=receiver.url, agency=world.pemkot, secret="r" * 32)
    Subscriber.objects.create(name="Sistem Kabupaten Banjar", url=receiver.url, agency=world.pemkab, secret="s" * 32)
    services.report_submit(reporter=world.citizen, title="Lampu", body="Mati", addressed_agency=world.pemkot)
    webhooks_run()
    sign_in(client, world.agency_admin)
    page = client.get("/admin/webhooks/delivery/").content.decode()
    assert "SIMPEL Banjarbaru" in page and "Sistem Kabupaten Banjar" not in page


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "http://[fe80::1]/hook"])
def test_a_receiver_on_a_link_local_address_is_refused(world, url):
    with pytest.raises(ValidationError) as error:
        Subscriber(name="Metadata", url=url, agency=world.pemkot).full_clean()
    assert "link-local" in str(error.value.message_dict["url"])


def test_a_short_secret_is_refused_and_the_form_offers_a_generated_one(admin_client, world):
    with pytest.raises(ValidationError) as error:
        Subscriber(name="Kota", url="https://kota.example/hook", agency=world.pemkot, secret="rahasia").full_clean()
    assert "secret" in error.value.message_dict
    Subscriber(name="Kota", url="https://kota.example/hook", agency=world.pemkot).full_clean()  # the generated one
    page = admin_client.get("/admin/webhooks/subscriber/add/").content.decode()
    assert "paling sedikit 32 karakter" in page and "Kunci acak yang dapat dipakai" in page


def test_the_secret_field_is_called_a_secret_key(world):
    assert str(Subscriber._meta.get_field("secret").verbose_name) == "kunci rahasia"


@pytest.mark.parametrize("url", ["ftp://kota.example/hook", "ftps://kota.example/hook"])
def test_a_receiver_lapor_cannot_post_to_is_refused_with_the_reason(admin_client, world, url):
    response = admin_client.post("/admin/webhooks/subscriber/add/", {
        "name": "Kota", "url": url, "secret": "r" * 32, "agency": world.pemkot.pk, "is_active": "on"})
    assert response.status_code == 200  # the form again, nothing saved
    assert "harus diawali https://" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_plain_http_is_refused_in_production_unless_the_intranet_is_allowed_it(world, settings):
    settings.LAPOR_WEBHOOK_ALLOW_HTTP = False
    with pytest.raises(ValidationError) as error:
        Subscriber(name="Kota", url="http://simpel.kota.example/hook", agency=world.pemkot).full_clean()
    assert "LAPOR_WEBHOOK_ALLOW_HTTP" in str(error.value.message_dict["url"])
    Subscriber(name="Kota", url="https://simpel.kota.example/hook", agency=world.pemkot).full_clean()
    settings.LAPOR_WEBHOOK_ALLOW_HTTP = True
    Subscriber(name="Kota", url="http://10.20.0.5/hook", agency=world.pemkot).full_clean()

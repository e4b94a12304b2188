"""A webhook receiver cannot be pointed where Lapor must not POST (server-side request
forgery): the cloud's metadata service written as an IPv4-mapped IPv6 address, or a host
name that leads to a refused network when the event is sent, not only when it was saved."""
import http.server
import threading

import pytest
from django.core.exceptions import ValidationError

from lapor.reports import services
from lapor.webhooks.delivery import webhooks_run
from lapor.webhooks.models import Delivery, Subscriber
from tests.ops import test_settings_refused as settings_checks

manage = settings_checks.manage  # the fixture running manage.py in an environment of its own


@pytest.fixture
def local_service():
    """Something listening on the Lapor server itself, that no agency admin should reach."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()
            self.wfile.write(b"internal secrets")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], hits
    server.shutdown()


@pytest.mark.parametrize("url", ["http://[::ffff:169.254.169.254]/latest/meta-data/",
                                 "http://[::ffff:a9fe:a9fe]/latest/meta-data/"])
def test_the_metadata_service_written_as_an_ipv4_mapped_address_is_refused_too(world, url):
    with pytest.raises(ValidationError) as error:
        Subscriber(name="Metadata", url=url, agency=world.pemkot).full_clean()
    assert "link-local" in str(error.value.message_dict["url"])


def test_an_address_in_a_network_the_operator_refused_is_refused_when_saved(world, settings):
    settings.LAPOR_WEBHOOK_REFUSED_NETWORKS = ["127.0.0.0/8", "::1/128"]
    for url in ("http://127.0.0.1:6379/", "http://[::1]:5432/", "http://[::ffff:127.0.0.1]/"):
        with pytest.raises(ValidationError) as error:
            Subscriber(name="Redis", url=url, agency=world.pemkot).full_clean()
        assert "LAPOR_WEBHOOK_REFUSED_NETWORKS" in str(error.value.message_dict["url"])
    Subscriber(name="Kota", url="http://10.20.30.40/hook", agency=world.pemkot).full_clean()


def test_a_host_name_that_leads_to_a_refused_network_gets_nothing_sent_and_no_answer_logged(
        world, settings, local_service):
    port, hits = local_service
    settings.LAPOR_WEBHOOK_REFUSED_NETWORKS = ["127.0.0.0/8", "::1/128"]
    # A name passes the check when saved (it could resolve anywhere, and be rebound later).
    subscriber = Subscriber(name="Kota", url=f"http://localhost:{port}/hook", agency=world.pemkot, secret="k" * 32)
    subscriber.full_clean()
    subscriber.save()
    services.report_submit(reporter=world.citizen, title="Lampu mati", body="Jl. A. Yani",
                           addressed_agency=world.pemkot)
    webhooks_run()
    delivery = Delivery.objects.get(subscriber=subscriber)
    assert hits == []
    assert delivery.status == Delivery.Status.PENDING and delivery.last_status_code is None
    assert "no receiver may be" in delivery.last_error and "internal secrets" not in delivery.last_error


def test_a_receiver_on_an_allowed_network_still_gets_its_events(world, local_service):
    port, hits = local_service
    Subscriber.objects.create(name="Kota", url=f"http://localhost:{port}/hook", agency=world.pemkot, secret="k" * 32)
    services.report_submit(reporter=world.citizen, title="Lampu mati", body="Jl. A. Yani",
                           addressed_agency=world.pemkot)
    webhooks_run()
    assert hits == ["/hook"]


def test_a_refused_network_that_is_no_network_stops_the_start_naming_the_variable(manage):
    message = settings_checks.refused(manage("check", LAPOR_WEBHOOK_REFUSED_NETWORKS="127.0.0.0/8,localhost"))
    assert "LAPOR_WEBHOOK_REFUSED_NETWORKS" in message and "'localhost'" in message
    assert manage("check", LAPOR_WEBHOOK_REFUSED_NETWORKS="127.0.0.0/8,::1").returncode == 0

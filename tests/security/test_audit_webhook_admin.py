"""An agency admin given the right to manage webhook subscribers cannot use it to receive
another agency's reports: not another government's, not an inspectorate's whistle-blowing
inside their own tree, not a citizen's own reports through the "system account" field."""
import pytest
from django.contrib.auth.models import Permission

from lapor.reports import services
from lapor.reports.enums import Kind
from lapor.webhooks.delivery import webhooks_fan_out
from lapor.webhooks.models import Delivery, Subscriber
from tests.office.staff import sign_in


def may_manage_webhooks(user):
    user.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="webhooks", codename__in=["add_subscriber", "change_subscriber", "view_subscriber"]))
    return user


def add(client, agency, **extra):
    return client.post("/admin/webhooks/subscriber/add/", {
        "name": "Sistem", "url": "https://sistem.example/hook", "secret": "k" * 40, "agency": agency.pk,
        "is_active": "on", **extra})


@pytest.fixture
def banjar_admin(client, world):
    sign_in(client, may_manage_webhooks(world.other_agency_admin))
    return client


def test_another_governments_agency_is_not_offered_and_not_accepted(banjar_admin, world):
    page = banjar_admin.get("/admin/webhooks/subscriber/add/").content.decode()
    assert "Pemerintah Kabupaten Banjar" in page and "Pemerintah Kota Banjarbaru" not in page
    answer = add(banjar_admin, world.pemkot)
    assert answer.status_code == 200 and "errorlist" in answer.content.decode()
    assert not Subscriber.objects.exists()


def test_a_subscriber_for_the_admins_own_agency_is_added(banjar_admin, world):
    answer = add(banjar_admin, world.pemkab)
    assert answer.status_code == 302
    assert Subscriber.objects.get().agency == world.pemkab


def test_a_government_admin_cannot_listen_to_its_inspectorates_whistle_blowing(client, world):
    sign_in(client, may_manage_webhooks(world.agency_admin))
    page = client.get("/admin/webhooks/subscriber/add/").content.decode()
    assert "Dinas PUPR Banjarbaru" in page and "Inspektorat Banjarbaru" not in page
    add(client, world.inspektorat)
    assert not Subscriber.objects.exists()
    # Nor read what the inspectorate's own system was sent, in the delivery log.
    Subscriber.objects.create(name="Sistem Inspektorat", url="https://inspektorat.example/hook",
                              agency=world.inspektorat, secret="i" * 32)
    services.report_submit(reporter=world.citizen, title="Pungli di dinas", body="Rincian pungutan liar",
                           addressed_agency=world.inspektorat, kind=Kind.WHISTLEBLOWING)
    webhooks_fan_out()
    assert Delivery.objects.exists()
    assert "Sistem Inspektorat" not in client.get("/admin/webhooks/delivery/").content.decode()
    assert "Sistem Inspektorat" not in client.get("/admin/webhooks/subscriber/").content.decode()


def test_an_agency_admin_cannot_make_a_subscriber_follow_a_citizens_account(banjar_admin, world):
    add(banjar_admin, world.pemkab, system=world.citizen.pk)
    assert Subscriber.objects.get().system is None


def test_a_superuser_still_sets_both(admin_client, world):
    add(admin_client, world.pemkot, system=world.citizen.pk)
    subscriber = Subscriber.objects.get()
    assert (subscriber.agency, subscriber.system) == (world.pemkot, world.citizen)

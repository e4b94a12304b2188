"""The notification centre gives each time in its reader's zone, named: a staff member of a
WITA or WIT agency reads their own zone's clock, a citizen the zone of their report (as the
report's page does), not the site's WIB."""
import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from lapor.agencies.models import Role
from lapor.notifications.models import Channel, Notification, Reason
from lapor.reports import services
from tests.factories import AgencyFactory, MembershipFactory, UserFactory
from tests.office.staff import sign_in

# 09:00 WIB: 10:00 WITA, 11:00 WIT.
MOMENT = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def told(user, report=None, reason=Reason.NEW_WORK):
    Notification.objects.create(recipient=user, report=report, channel=Channel.IN_APP, reason=reason,
                                key=f"uji:{Notification.objects.count()}", subject="Laporan baru", body="…",
                                created_at=MOMENT)


def times_on(client) -> list[str]:
    page = client.get(reverse("notifications:centre")).content.decode()
    return re.findall(r"<time [^>]*>([^<]+)</time>", page)


@pytest.fixture
def report(world):
    # Addressed to Banjarbaru (WITA, as every agency of the personas).
    return services.report_submit(reporter=world.citizen, title="Jalan berlubang di Jl. A. Yani",
                                  body="Lubang besar dekat pasar.", addressed_agency=world.pemkot,
                                  category=world.category)


def test_a_citizen_reads_the_time_in_the_zone_of_their_report(world, client, report):
    told(world.citizen, report, Reason.STATUS)
    client.force_login(world.citizen)
    assert times_on(client) == ["23 Nov 2026 10:00 WITA"]


def test_an_officer_of_a_wita_agency_reads_wita(world, client, report):
    told(world.officer, report)
    sign_in(client, world.officer)
    assert times_on(client) == ["23 Nov 2026 10:00 WITA"]


def test_an_officer_of_a_wit_agency_reads_wit_whatever_the_reports_zone(world, client, report):
    papua = AgencyFactory(name="Dinas PUPR Kota Jayapura", slug="pupr-jayapura", time_zone="Asia/Jayapura")
    officer = UserFactory(username="petugas.jayapura")
    MembershipFactory(user=officer, agency=papua, role=Role.OFFICER)
    told(officer, report)
    told(officer)  # not about a report
    sign_in(client, officer)
    assert times_on(client) == ["23 Nov 2026 11:00 WIT"] * 2


def test_a_notification_of_a_citizen_not_about_a_report_is_in_the_sites_zone(world, client):
    told(world.citizen, reason=Reason.FOLLOWING)
    client.force_login(world.citizen)
    assert times_on(client) == ["23 Nov 2026 09:00 WIB"]

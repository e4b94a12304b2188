"""A report's page gives every time in the zone its deadlines are counted in, and names it
(a Banjarbaru report received at 08:38 WITA does not read 07:38 beside WITA deadlines)."""
import datetime
import re

from lapor.reports import services
from tests.office.staff import sign_in

RECEIVED = datetime.datetime(2026, 11, 23, 0, 38, tzinfo=datetime.timezone.utc)  # 08:38 WITA, 07:38 WIB


def test_the_public_page_says_when_a_report_arrived_in_the_agencys_local_time(world, client):
    report = services.report_submit(reporter=world.citizen, title="Jalan berlubang", body="Dekat pasar.",
                                    addressed_agency=world.pemkot, now=RECEIVED)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr,
                           now=RECEIVED + datetime.timedelta(hours=2))
    page = client.get(report.get_absolute_url()).content.decode()
    assert "23 November 2026 08:38 WITA" in page
    assert "10:38" in page  # the verification in the history, same zone
    assert "07:38" not in page and "09:38" not in page


def test_the_receipt_and_my_reports_give_the_deadline_as_the_reports_page_does(world, client, settings):
    """A Banjarbaru report's verification deadline is 23:59 WITA, which in the server's
    zone (WIB) is 22:59: the receipt once said 22:59 WITA."""
    settings.LAPOR_FIRST_ANSWER_DAYS = 7
    report = services.report_submit(reporter=world.citizen, title="Jalan berlubang", body="Dekat pasar.",
                                    addressed_agency=world.pemkot)
    client.force_login(world.citizen)
    when = re.search(r"pukul (\d\d:\d\d) WITA", client.get(report.get_absolute_url()).content.decode()).group(1)

    receipt = client.get(f"/laporan/{report.tracking_id}/terkirim/").content.decode()
    mine = client.get("/laporan-saya/").content.decode()

    assert when == "23:59"  # a working day's end, in Banjarbaru's zone
    assert f"pukul {when} WITA" in receipt
    assert re.search(rf"Batas waktu: \d+ \w+ \d{{4}} {when} WITA", mine)
    assert "paling lambat 7 hari kerja setelah laporan tiba" in receipt  # the setting, not a fixed 5


def test_the_back_office_page_says_it_in_the_same_zone(world, client):
    report = services.report_submit(reporter=world.citizen, title="Jalan berlubang", body="Dekat pasar.",
                                    addressed_agency=world.pemkot, now=RECEIVED)
    sign_in(client, world.agency_admin)
    page = client.get(f"/kantor/laporan/{report.tracking_id}/").content.decode()
    assert "23 November 2026 08:38 WITA" in page
    assert "07:38" not in page


def test_every_surface_counts_in_one_zone_the_assigned_agencys_while_it_works_then_the_routers(world, client):
    """One rule (Report.deadline_zone) for the citizen's page, the back office and the sweep:
    a unit in another zone than its router (WIT under a WITA government) counts its own
    days in its own zone; the report handed back waits on the router's clock again."""
    world.pupr.time_zone = "Asia/Jayapura"
    world.pupr.save(update_fields=["time_zone"])
    report = services.report_submit(reporter=world.citizen, title="Jalan berlubang", body="Dekat pasar.",
                                    addressed_agency=world.pemkot, now=RECEIVED)
    assert report.deadline_zone == "Asia/Makassar"
    report = services.report_verify(report=report, by=world.agency_admin, agency=world.pupr,
                                     now=RECEIVED + datetime.timedelta(hours=2))
    assert report.deadline_zone == "Asia/Jayapura"
    assert re.search(r"\bWIT\b", client.get(report.get_absolute_url()).content.decode())
    sign_in(client, world.unit_admin)
    assert re.search(r"\bWIT\b", client.get(f"/kantor/laporan/{report.tracking_id}/").content.decode())
    report = services.report_not_our_authority(report=report, by=world.unit_admin, reason="Jalan provinsi.",
                                               now=RECEIVED + datetime.timedelta(hours=3))
    assert report.deadline_zone == "Asia/Makassar"


def test_lists_give_the_day_a_report_arrived_in_its_agencys_zone(world, client):
    """Received at 23:30 WIB on 22 November, which in Jayapura (WIT) is already the 23rd:
    the public list, "Laporan saya" and the inbox say the 23rd, as the report's page does."""
    from tests.office.staff import sign_in

    for agency in (world.pemkot, world.pupr):
        agency.time_zone = "Asia/Jayapura"
        agency.save(update_fields=["time_zone"])
    late = datetime.datetime(2026, 11, 22, 16, 30, tzinfo=datetime.timezone.utc)
    report = services.report_submit(reporter=world.citizen, title="Jalan berlubang", body="Dekat pasar.",
                                    addressed_agency=world.pemkot, now=late)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr,
                           now=late + datetime.timedelta(hours=1))
    pages = {"public list": client.get("/laporan/").content.decode()}
    sign_in(client, world.citizen)
    pages["my reports"] = client.get("/laporan-saya/").content.decode()
    sign_in(client, world.unit_admin)
    pages["inbox"] = client.get("/kantor/").content.decode()
    for name, page in pages.items():
        assert "23 Nov 2026" in page and "22 Nov 2026" not in page, name

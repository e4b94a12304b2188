"""An Ombudsman assistant holds the back office's supervision figures against
/kinerja/pengawasan/ for the same dates, and takes the late reports away as a file
(SPEC §4, §8, §9; docs/transparency.md "The supervisors' figures")."""
import csv
import datetime
import io
import re
from zoneinfo import ZoneInfo

from openpyxl import load_workbook

from lapor.reports import services
from lapor.reports.models import Report

WITA = ZoneInfo("Asia/Makassar")
NOW = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=WITA)


def ago(days, hour=9):
    return (NOW - datetime.timedelta(days=days)).replace(hour=hour)


def _fresh(report):
    return Report.objects.get(pk=report.pk)


def _received(world, title, when, *, verified=None, **kwargs):
    r = services.report_submit(reporter=world.citizen, title=title, body="Mohon ditindaklanjuti.",
                               addressed_agency=world.pemkot, category=world.category, now=when, **kwargs)
    return services.report_verify(report=r, by=world.agency_admin, agency=world.pupr,
                                  now=verified or when + datetime.timedelta(hours=1))


def _reports_where_arrival_and_receipt_differ(world):
    # Received 40 days ago; the city's unit held it past its 5 working days, said "bukan
    # wewenang", and the regency's unit got it 10 days ago and has not answered since.
    moved = _received(world, "Jembatan di Martapura retak", ago(40))
    services.report_not_our_authority(report=_fresh(moved), by=world.unit_admin, reason="Jembatan kabupaten",
                                      now=ago(11))
    services.report_transfer(report=_fresh(moved), by=world.national_admin, agency=world.pupr_banjar,
                             reason="Wewenang kabupaten", now=ago(10))
    # Received 35 days ago, verified only 25 days ago, never answered.
    slow = _received(world, "Lampu jalan padam di Jl. A. Yani", ago(35), verified=ago(25))
    # Received 20 days ago and never answered: late, and overdue now.
    late = _received(world, "Drainase tersumbat di Jl. Trikora", ago(20))
    # Received 3 days ago, answered the next day.
    quick = _received(world, "Trotoar retak di depan pasar", ago(3))
    services.report_answer(report=_fresh(quick), by=world.unit_admin, body="Sudah diperbaiki.", now=ago(2))
    return moved, slow, late, quick


def _figures(page):
    """{unit: (received, on time, decided, overdue now)} as a page's table writes them."""
    out = {}
    for slug, row in re.findall(r'<tr data-agency="([\w-]+)">(.*?)</tr>', page, re.S):
        cells = dict(re.findall(r'data-figure="([\w-]+)">(.*?)</td>', row, re.S))
        on_time = re.search(r"\((\d+)/(\d+)\)", cells["on-time"])
        overdue = re.search(r"\((\d+)/\d+\)", cells["overdue"]) or re.search(r"(\d+)", cells["overdue"])
        out[slug] = (int(cells["received"]), *(map(int, on_time.groups()) if on_time else (0, 0)),
                     int(overdue.group(1)))
    return out


def test_the_back_office_and_the_supervision_page_count_the_same_reports_for_the_same_days(
        world, as_user, time_machine):
    time_machine.move_to(NOW)
    moved, slow, late, quick = _reports_where_arrival_and_receipt_differ(world)
    client = as_user(world.ombudsman_officer)

    office = client.get("/kantor/pengawasan/?hari=30").content.decode()
    # "The last 30 days" are the dates 8 November – 7 December, received (WIB).
    assert "Dihitung: laporan yang diterima 8 Nov 2026 – 7 Des 2026 (WIB)." in office
    twin = "/kinerja/pengawasan/?dari=2026-11-08&amp;sampai=2026-12-07"
    assert twin in office
    public = client.get(twin.replace("&amp;", "&")).content.decode()
    assert "Dihitung: laporan yang diterima 8 Nov 2026 – 7 Des 2026 (WIB)." in public

    # Received in the period: the late one and the quick one, both at the city's unit. The
    # report that reached the regency 10 days ago and the one verified 25 days ago were
    # received before the period, on both pages.
    assert _figures(office) == _figures(public) == {"pupr": (2, 1, 2, 1)}
    overdue_list = public.split("overdue-list", 1)[1].split("</table>", 1)[0]
    assert late.tracking_id in overdue_list
    assert moved.tracking_id not in overdue_list and slow.tracking_id not in overdue_list

    # A year back, all four are counted, and still alike on both pages: the regency's unit
    # holds the moved report past its deadline now; the city's unit was late with it.
    office = client.get("/kantor/pengawasan/?hari=365").content.decode()
    public = client.get("/kinerja/pengawasan/?dari=2025-12-08&sampai=2026-12-07").content.decode()
    assert _figures(office) == _figures(public) == {"pupr": (4, 1, 4, 2), "pupr-banjar": (1, 0, 1, 1)}


def test_the_supervisor_downloads_the_late_reports_behind_the_figures(world, as_user, time_machine):
    time_machine.move_to(NOW)
    moved, slow, late, quick = _reports_where_arrival_and_receipt_differ(world)
    secret = _received(world, "Pungutan liar di kantor kelurahan", ago(15), is_anonymous=True,
                       is_confidential=True)
    client = as_user(world.ombudsman_officer)
    page = client.get("/kantor/pengawasan/?hari=365").content.decode()
    assert 'href="/kantor/pengawasan/terlambat.csv?hari=365"' in page

    response = client.get("/kantor/pengawasan/terlambat.csv?hari=365")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="pengawasan-terlambat-365-hari-')
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    by_unit = {(r["nomor"], r["unit"]): r for r in rows}
    # One row per late turn (or one overdue now), as many as the page's figures say.
    assert set(by_unit) == {
        (moved.tracking_id, "Dinas PUPR Banjarbaru"), (moved.tracking_id, "Dinas PUPR Banjar"),
        (slow.tracking_id, "Dinas PUPR Banjarbaru"), (late.tracking_id, "Dinas PUPR Banjarbaru"),
        (secret.tracking_id, "Dinas PUPR Banjarbaru"),
    }
    city_turn = by_unit[(moved.tracking_id, "Dinas PUPR Banjarbaru")]
    assert city_turn["terlambat_dijawab"] == "ya" and city_turn["lewat_tenggat_kini"] == "tidak"
    assert city_turn["diserahkan_kembali"]  # handed back, after its deadline
    assert by_unit[(moved.tracking_id, "Dinas PUPR Banjar")]["lewat_tenggat_kini"] == "ya"
    row = by_unit[(secret.tracking_id, "Dinas PUPR Banjarbaru")]
    assert row["rahasia"] == "ya" and row["zona"] == "WIB"
    assert row["tenggat"].endswith("22:59")  # 23:59 WITA, written in WIB as every export
    # Nothing of the reporter: an anonymous one stays anonymous in the file.
    text = "\n".join(",".join(r.values()) for r in rows)
    assert world.citizen.display_name not in text and "pelapor" not in rows[0]

    xlsx = client.get("/kantor/pengawasan/terlambat.xlsx?hari=365")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    header, *cells = list(sheet.values)
    assert len(cells) == 5 and isinstance(cells[0][header.index("tenggat")], datetime.datetime)


def test_a_unit_officer_downloads_only_their_units_late_reports(world, as_user, time_machine):
    time_machine.move_to(NOW)
    moved, slow, late, quick = _reports_where_arrival_and_receipt_differ(world)
    response = as_user(world.other_agency_officer).get("/kantor/pengawasan/terlambat.csv?hari=365")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [(r["nomor"], r["unit"]) for r in rows] == [(moved.tracking_id, "Dinas PUPR Banjar")]
    assert as_user(world.citizen).get("/kantor/pengawasan/terlambat.csv").status_code in (302, 403)

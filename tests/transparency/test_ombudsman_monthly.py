"""An Ombudsman assistant compares the monthly report, the ranking and the supervisors'
page for one government and one month, prints the report for a meeting, and reads
deadlines in the agency's own zone (SPEC §4, §9)."""
import datetime
import io
import re
from zoneinfo import ZoneInfo

from django.utils import timezone
from pypdf import PdfReader

from lapor.reports import services as reports
from lapor.reports.models import Report

WITA = ZoneInfo("Asia/Makassar")


def at(day, hour=9, month=11):
    return datetime.datetime(2026, month, day, hour, 0, tzinfo=WITA)


def _report(world, title, when):
    r = reports.report_submit(reporter=world.citizen, title=title, body="Mohon ditindaklanjuti.",
                              addressed_agency=world.pemkot, category=world.category, now=when)
    return reports.report_verify(report=r, by=world.agency_admin, agency=world.pupr, now=when + datetime.timedelta(hours=1))


def figure(page: str, name: str) -> str:
    return re.search(rf'data-figure="{name}">([^<]*)<', page).group(1).strip()


def test_the_monthly_reports_median_is_the_one_its_table_and_the_ranking_give(world, client, time_machine):
    time_machine.move_to(at(7, month=12))
    # Answered in 4 working days and still with the city.
    kept = _report(world, "Jalan berlubang di Jl. Karang Anyar", at(2))
    reports.report_answer(report=kept, by=world.unit_admin, body="Sudah ditambal.", now=at(6))
    # Answered by the city the next working day, then found to be the regency's and transferred:
    # the city's answer still counts for the city (its handling), as in the ranking.
    moved = _report(world, "Jembatan di Martapura retak", at(2))
    reports.report_answer(report=moved, by=world.unit_admin, body="Kami periksa.", now=at(3))
    moved = Report.objects.get(pk=moved.pk)
    reports.report_reply(report=moved, by=world.citizen, text="Itu jembatan kabupaten.", now=at(4))
    moved = Report.objects.get(pk=moved.pk)
    reports.report_not_our_authority(report=moved, by=world.unit_admin, reason="Jembatan kabupaten", now=at(4, 11))
    moved = Report.objects.get(pk=moved.pk)
    reports.report_transfer(report=moved, by=world.agency_admin, agency=world.pupr_banjar, reason="Wewenang kabupaten",
                            now=at(4, 12))

    monthly = client.get("/kinerja/pemkot/bulanan/2026-11/").content.decode()
    ranking = client.get("/kinerja/?dari=2026-11-01&sampai=2026-11-30").content.decode()
    city_row = ranking.split('data-agency="pemkot"', 1)[1].split("</tr>", 1)[0]
    assert figure(city_row, "median") == "2,5"  # 1 and 4 working days
    assert figure(monthly, "answer-median") == "2,5"


def test_the_printed_monthly_report_names_the_agency_the_month_and_the_page_on_every_page(world, client, time_machine):
    time_machine.move_to(at(7, month=12))
    for day in range(2, 6):
        _report(world, f"Lampu jalan padam nomor {day}", at(day))
    response = client.get("/kinerja/pemkot/bulanan/2026-11.pdf")
    assert response.status_code == 200
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(response.content)).pages]
    for number, text in enumerate(pages, start=1):
        assert "Pemerintah Kota Banjarbaru — November 2026" in text
        assert f"{number} / {len(pages)}" in text


def test_a_wita_agencys_new_month_opens_at_its_own_midnight(world, client, time_machine):
    # 00:30 WITA on 1 December is still 30 November in Jakarta.
    time_machine.move_to(datetime.datetime(2026, 12, 1, 0, 30, tzinfo=WITA))
    assert client.get("/kinerja/pemkot/bulanan/2026-12/").status_code == 200
    assert client.get("/kinerja/pemkot/bulanan/2027-01/").status_code == 404


def test_the_supervisors_overdue_list_gives_each_deadline_in_its_agencys_zone(world, as_user, time_machine):
    time_machine.move_to(at(7, month=12))
    late = _report(world, "Drainase tersumbat", at(2))
    page = as_user(world.ombudsman_officer).get("/kinerja/pengawasan/").content.decode()
    row = page.split(f"#{late.tracking_id}", 1)[1].split("</tr>", 1)[0]
    deadline = timezone.localtime(Report.objects.get(pk=late.pk).due_at, WITA)
    assert f"{deadline:%H:%M} WITA" in row and deadline.strftime("%H:%M") == "23:59"
    assert "WIB" not in row


def test_a_month_that_is_no_month_answers_a_page_that_links_the_months_there_are(world, client, time_machine):
    time_machine.move_to(at(7, month=12))
    _report(world, "Jalan berlubang di Jl. Karang Anyar", at(2))
    for bad in ("2026-13", "november", "2026-1"):
        response = client.get(f"/kinerja/pemkot/bulanan/{bad}/")
        assert response.status_code == 404, bad
        page = response.content.decode()
        assert f"“{bad}” bukan bulan yang valid. Tulis bulan sebagai TTTT-BB, misalnya 2026-11." in page
        # From the month of the city's first published report to this one.
        assert 'href="/kinerja/pemkot/bulanan/2026-11/">November</a>' in page
        assert 'href="/kinerja/pemkot/bulanan/2026-12/">Desember</a>' in page
        assert "/kinerja/pemkot/bulanan/2026-10/" not in page
    page = client.get("/kinerja/pemkot/bulanan/2027-01/").content.decode()
    assert "Belum ada laporan bulanan Pemerintah Kota Banjarbaru untuk 2027-01" in page
    assert 'href="/kinerja/pemkot/bulanan/2026-11/"' in page
    # The PDF's address too: a page to read, not a file.
    response = client.get("/kinerja/pemkot/bulanan/2026-13.pdf")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
    assert "bukan bulan yang valid" in response.content.decode()


def test_the_ranking_comes_as_xlsx_with_numbers_and_the_csv_says_its_format(world, client, time_machine):
    import csv

    from openpyxl import load_workbook

    time_machine.move_to(at(7, month=12))
    on_time = _report(world, "Jalan berlubang di Jl. Karang Anyar", at(2))
    reports.report_answer(report=on_time, by=world.unit_admin, body="Sudah ditambal.", now=at(3))
    _report(world, "Lampu jalan padam", at(2))  # never answered: late
    page = client.get("/kinerja/").content.decode()
    note = page.split('data-format="csv">', 1)[1].split("</small>", 1)[0]
    assert 'href="/kinerja/peringkat.xlsx">XLSX</a>' in page
    assert "UTF-8" in note and "titik desimal (83.3 berarti 83,3 persen)" in note

    sheet = load_workbook(io.BytesIO(client.get("/kinerja/peringkat.xlsx").content)).active
    header, city = list(sheet.values)[:2]
    row = dict(zip(header, city))
    assert row["instansi"] == "Pemerintah Kota Banjarbaru"
    assert row["persen_tepat_waktu"] == 50.0 and row["median_hari_kerja"] == 1  # numbers, not text
    assert row["persen_puas"] is None  # none rated: an empty cell, not an empty text
    text = b"".join(client.get("/kinerja/peringkat.csv").streaming_content).decode("utf-8-sig")
    assert next(csv.DictReader(io.StringIO(text)))["persen_tepat_waktu"] == "50.0"


def test_the_unit_table_prints_on_a_page_turned_sideways(world, client, time_machine):
    time_machine.move_to(at(7, month=12))
    for day in range(2, 6):
        _report(world, f"Lampu jalan padam nomor {day}", at(day))
    pages = PdfReader(io.BytesIO(client.get("/kinerja/pemkot/bulanan/2026-11.pdf").content)).pages
    shapes = {}
    for page in pages:
        text = " ".join((page.extract_text() or "").split())
        shapes[text] = float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    assert any("Kepatuhan per unit kerja" in text and wide for text, wide in shapes.items())
    assert any("Menurut status" in text and not wide for text, wide in shapes.items())  # the rest: A4 portrait

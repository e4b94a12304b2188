"""The files an office really has from its old system (SPEC §7 import; "bad input gets a
clear error and loses nothing"): Excel's semicolon CSV in Windows-1252, an XLSX sheet,
a broken quote, an id twice, an answer by someone who could not have answered."""
import pytest
from django.core.management.base import CommandError

from lapor.reports.enums import Status
from lapor.reports.models import Report

from .test_import_reports import CSV_HEADER, GOOD, OPEN, run


def test_excels_semicolon_csv_in_windows_1252_is_read_as_such_and_said_so(world, tmp_path):
    path = tmp_path / "ekspor-excel.csv"
    rows = [CSV_HEADER, GOOD, OPEN.replace("Lampu mati", "Lampu mati – Jl. Sudirman (café)")]
    path.write_bytes("".join(r.replace(",", ";") for r in rows).encode("cp1252"))

    out, err = run(path, "--commit")

    assert "read 2 rows from ekspor-excel.csv (Windows-1252, semicolon-separated)" in out
    assert "imported: 2" in out and "errors: 0" in out, err
    assert Report.objects.get(external_references__external_id="LAMA-2").title == "Lampu mati – Jl. Sudirman (café)"


def test_an_xlsx_sheet_is_imported_with_its_date_cells_in_the_zone_given(world, tmp_path):
    import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["external_id", "title", "body", "created_at", "agency", "verified_at", "assigned_agency"])
    sheet.append(["X-1", "Banjir di Jl. Panglima Batur", "Setinggi lutut", datetime.datetime(2024, 5, 6, 9, 0),
                  "pemkot", datetime.datetime(2024, 5, 7, 10, 0), "pupr"])
    sheet.append([2, "Pohon tumbang", "Menutup jalan", datetime.datetime(2024, 5, 8, 7, 30), "pemkot", None, None])
    path = tmp_path / "lama.xlsx"
    book.save(path)

    with pytest.raises(CommandError, match="--zone Asia/Jakarta"):
        run(path, "--commit")
    assert Report.objects.count() == 0

    out, err = run(path, "--commit", "--zone", "Asia/Makassar")
    assert "imported: 2" in out, err
    flood = Report.objects.get(external_references__external_id="X-1")
    assert flood.created_at == datetime.datetime.fromisoformat("2024-05-06T09:00:00+08:00")
    assert flood.status == Status.DISPATCHED
    assert Report.objects.filter(external_references__external_id="2").exists()  # a number cell, not "2.0"


def test_an_unclosed_quote_stops_the_import_naming_the_line_and_imports_nothing(world, tmp_path):
    path = tmp_path / "rusak.csv"
    path.write_text(CSV_HEADER + GOOD + 'LAMA-2,"Lampu mati,Jl. A. Yani,2024-06-01T09:00:00+08:00,pemkot,,,,,,,,\n'
                    + OPEN.replace("LAMA-2", "LAMA-9"), encoding="utf-8")
    with pytest.raises(CommandError, match=r"CSV rusak pada baris 3: .*tanda kutip"):  # the header, GOOD, then it
        run(path, "--commit")
    assert Report.objects.count() == 0


def test_a_file_without_the_external_id_column_says_which_columns_it_found(world, tmp_path):
    path = tmp_path / "salah.csv"
    path.write_text("id|judul|isi\n1|Jalan|Rusak\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Kolom external_id tidak ada"):
        run(path, "--commit")


def test_an_id_twice_in_one_file_is_an_error_on_the_second_not_a_skip(world, tmp_path):
    path = tmp_path / "ganda.csv"
    path.write_text(CSV_HEADER + OPEN + OPEN.replace("Lampu mati", "Lampu padam"), encoding="utf-8")
    out, err = run(path, "--commit")
    assert "imported: 1, skipped (already imported): 0, errors: 1" in out
    assert "row 2 (LAMA-2): external_id: external_id LAMA-2 sudah ada di baris 1" in err
    assert Report.objects.get().title == "Lampu mati"


def test_an_answer_by_a_citizen_names_the_field_and_the_account(world, tmp_path):
    path = tmp_path / "jawab.csv"
    path.write_text(CSV_HEADER + GOOD.replace("petugas.pupr", world.citizen.username), encoding="utf-8")
    out, err = run(path, "--commit")
    assert f"row 1 (LAMA-1): answered_by: Pengguna {world.citizen.username} bukan petugas" in err
    assert Report.objects.count() == 0


def test_an_xlsx_date_column_needs_no_zone_and_is_read_as_the_day(world, tmp_path):
    import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["external_id", "title", "body", "created_at", "agency", "incident_date"])
    sheet.append(["D-1", "Pohon tumbang", "Menutup jalan", "2024-05-08T07:30:00+08:00", "pemkot",
                  datetime.datetime(2024, 5, 7)])  # how a spreadsheet holds a date
    path = tmp_path / "tanggal.xlsx"
    book.save(path)
    out, err = run(path, "--commit")
    assert "imported: 1" in out, err
    assert Report.objects.get().incident_date == datetime.date(2024, 5, 7)


def test_a_utf8_file_with_one_broken_byte_is_refused_not_read_garbled(world, tmp_path):
    path = tmp_path / "rusak-utf8.csv"
    path.write_bytes((CSV_HEADER + OPEN.replace("Lampu mati", "Lampu mati di depan café")).encode()
                     + b"LAMA-9,Got \xff mampet,Perumahan,2024-06-01T09:00:00+08:00,pemkot,,,,,,,,\n")
    with pytest.raises(CommandError, match=r"UTF-8 tetapi rusak di baris 3"):
        run(path, "--commit")
    assert Report.objects.count() == 0

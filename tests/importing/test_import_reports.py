"""Bulk import of legacy reports (SPEC §7): through the lifecycle with the original
timestamps, per-row errors, idempotent re-runs, a dry run by default."""
import datetime
import json

import pytest
from django.core.management import call_command

from lapor.reports.enums import Action, Channel, Status
from lapor.reports.models import Report

CSV_HEADER = ("external_id,title,body,created_at,agency,verified_at,assigned_agency,answered_at,answer,"
              "answered_by,closed_at,close_reason,reporter_phone\n")
GOOD = ("LAMA-1,Jalan rusak,Depan pasar,2024-05-06T09:00:00+08:00,pemkot,2024-05-07T10:00:00+08:00,pupr,"
        "2024-05-10T14:00:00+08:00,Sudah ditambal,petugas.pupr,2024-05-20T08:00:00+08:00,Selesai (data lama),"
        "0812-1111-2222\n")
OPEN = "LAMA-2,Lampu mati,Jl. A. Yani,2024-06-01T09:00:00+08:00,pemkot,,,,,,,,\n"
BAD_DATE = "LAMA-3,Got mampet,Perumahan,kemarin,pemkot,,,,,,,,\n"
BAD_AGENCY = "LAMA-4,Got mampet,Perumahan,2024-06-01T09:00:00+08:00,tidak-ada,,,,,,,,\n"
NO_BODY = "LAMA-5,Got mampet,,2024-06-01T09:00:00+08:00,pemkot,,,,,,,,\n"


@pytest.fixture
def legacy_csv(tmp_path):
    path = tmp_path / "lama.csv"
    path.write_text(CSV_HEADER + GOOD + OPEN + BAD_DATE + BAD_AGENCY + NO_BODY, encoding="utf-8")
    return path


def run(path, *extra, by="admin.nasional"):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_reports", str(path), "--source", "simpel-lama", "--by", by, "--no-progress", *extra,
                 stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_without_commit_nothing_is_written_but_every_row_is_checked(world, legacy_csv):
    out, err = run(legacy_csv)
    assert "would import (dry run; add --commit): 2" in out and "errors: 3" in out
    assert Report.objects.count() == 0


def test_imported_reports_keep_their_history_with_the_original_times(world, legacy_csv):
    run(legacy_csv, "--commit")
    report = Report.objects.get(external_references__external_id="LAMA-1")
    assert report.channel == Channel.IMPORT and report.status == Status.CLOSED
    events = list(report.events.values_list("action", "at"))
    assert [a for a, _ in events] == [Action.SUBMIT, Action.VERIFY, Action.ANSWER, Action.CLOSE]
    assert events[0][1] == datetime.datetime.fromisoformat("2024-05-06T09:00:00+08:00")
    assert events[2][1] == datetime.datetime.fromisoformat("2024-05-10T14:00:00+08:00")
    assert report.followups.get().body == "Sudah ditambal"
    assert report.reporter.profile.is_phone_only


def test_a_report_imported_without_history_waits_for_verification(world, legacy_csv):
    run(legacy_csv, "--commit")
    assert Report.objects.get(external_references__external_id="LAMA-2").status == Status.SUBMITTED


def test_bad_rows_are_reported_with_their_row_and_field_and_write_nothing(world, legacy_csv, tmp_path):
    errors = tmp_path / "galat.csv"
    out, err = run(legacy_csv, "--commit", "--errors", str(errors))
    assert "imported: 2" in out and "errors: 3" in out
    assert "row 3 (LAMA-3): created_at" in err
    assert "row 4 (LAMA-4): agency" in err
    assert "row 5 (LAMA-5): body: Isi laporan wajib diisi." in err
    assert errors.read_text().count("\n") == 4
    assert Report.objects.count() == 2


def test_running_the_import_again_creates_nothing_new(world, legacy_csv):
    run(legacy_csv, "--commit")
    out, _err = run(legacy_csv, "--commit")
    assert "imported: 0, skipped (already imported): 2" in out
    assert Report.objects.count() == 2


def test_json_with_a_history_list_is_imported_in_order(world, tmp_path):
    path = tmp_path / "lama.json"
    path.write_text(json.dumps([{
        "external_id": "J-1", "title": "Puskesmas tutup", "body": "Jam buka tidak sesuai",
        "created_at": "2025-01-06T08:00:00+08:00", "agency": "pemkot",
        "history": [
            {"action": "verify", "at": "2025-01-07T08:00:00+08:00", "agency": "dinkes"},
            {"action": "answer", "at": "2025-01-08T08:00:00+08:00", "body": "Sudah ditegur", "by": "petugas.dinkes"},
        ],
    }]))
    out, err = run(path, "--commit")
    assert "imported: 1" in out, err
    report = Report.objects.get()
    assert report.status == Status.IN_PROGRESS and report.assigned_agency == world.dinkes


def test_an_answer_by_someone_outside_the_agency_is_a_row_error(world, tmp_path):
    path = tmp_path / "lama.csv"
    path.write_text(CSV_HEADER + GOOD.replace("petugas.pupr", "petugas.pupr.banjar"))
    out, err = run(path, "--commit")
    assert "errors: 1" in out and "row 1 (LAMA-1): history" in err
    assert Report.objects.count() == 0


def test_a_row_with_a_nul_byte_is_a_row_error(world, tmp_path):
    path = tmp_path / "lama.csv"
    path.write_text(CSV_HEADER + OPEN.replace("Lampu mati", "Lampu\x00mati"))
    out, err = run(path, "--commit")
    assert "errors: 1" in out and "NUL" in err


def test_nobody_is_notified_today_of_history_imported_from_another_system(
        world, tmp_path, django_capture_on_commit_callbacks):
    from lapor.notifications.models import Notification

    # A report received an hour ago in the old system is news to the desk; one from 2024 is not.
    recent = (datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)).isoformat()
    path = tmp_path / "lama.csv"
    path.write_text(CSV_HEADER + GOOD + f"LAMA-9,Banjir,Jl. Ahmad Yani km 5,{recent},pemkot,,,,,,,,\n",
                    encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        run(path, "--commit")
    historic = Report.objects.get(external_references__external_id="LAMA-1")
    assert historic.events.count() == 4
    assert not Notification.objects.filter(report=historic).exists()
    fresh = Report.objects.get(external_references__external_id="LAMA-9")
    assert Notification.objects.filter(report=fresh, reason="new_work").exists()

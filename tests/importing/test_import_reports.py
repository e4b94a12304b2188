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


def test_a_history_list_may_name_its_parts_as_the_flat_columns_do_and_a_reply_needs_a_reporter(world, tmp_path):
    path = tmp_path / "lama.json"
    steps = [{"action": "verify", "at": "2025-01-07T08:00:00+08:00", "assigned_agency": "dinkes"},
             {"action": "answer", "at": "2025-01-08T08:00:00+08:00", "answer": "Sudah ditegur",
              "answered_by": "petugas.dinkes"},
             {"action": "reply", "at": "2025-01-09T08:00:00+08:00", "text": "Belum berubah"}]
    rows = [{"external_id": f"J-{n}", "title": "Puskesmas tutup", "body": "Jam buka tidak sesuai",
             "created_at": "2025-01-06T08:00:00+08:00", "agency": "pemkot", "history": steps, **extra}
            for n, extra in ((1, {"reporter_phone": "081299990001"}), (2, {}))]
    path.write_text(json.dumps(rows))

    out, err = run(path, "--commit")

    assert "imported: 1" in out and "errors: 1" in out
    report = Report.objects.get()
    assert report.assigned_agency == world.dinkes and report.followups.get().body == "Sudah ditegur"
    assert "row 2 (J-2): history" in err and "reply" in err and "reporter_phone" in err


def test_an_answer_by_someone_outside_the_agency_is_a_row_error(world, tmp_path):
    path = tmp_path / "lama.csv"
    path.write_text(CSV_HEADER + GOOD.replace("petugas.pupr", "petugas.pupr.banjar"))
    out, err = run(path, "--commit")
    assert "errors: 1" in out and "row 1 (LAMA-1): answered_by: Pengguna petugas.pupr.banjar bukan petugas" in err
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


# --- the chunked path (lapor.reports.writing.Batch) ------------------------------------------

def _rows(n, start=1):
    return "".join(GOOD.replace("LAMA-1,", f"B-{i},").replace("0812-1111-2222", "") for i in range(start, start + n))


def test_a_file_of_several_chunks_keeps_each_row_and_names_the_bad_ones(world, tmp_path, monkeypatch):
    from lapor.reports import importing

    monkeypatch.setattr(importing, "CHUNK", 3)
    path = tmp_path / "lama.csv"
    path.write_text(CSV_HEADER + _rows(4) + BAD_DATE + _rows(3, start=5) + NO_BODY, encoding="utf-8")
    out, err = run(path, "--commit")
    assert "imported: 7" in out and "errors: 2" in out, err
    assert "row 5 (LAMA-3): created_at" in err and "row 9 (LAMA-5): body" in err
    assert Report.objects.filter(status=Status.CLOSED).count() == 7
    assert len({r.tracking_id for r in Report.objects.all()}) == 7
    for report in Report.objects.all():
        assert [e.action for e in report.events.all()] == [Action.SUBMIT, Action.VERIFY, Action.ANSWER, Action.CLOSE]
        assert report.followups.count() == 1


def test_the_chunked_path_stores_what_row_by_row_stores(world, tmp_path):
    """The same rows through both writers: the same reports, history, deadlines and
    follow-ups, field for field (only the ids and tracking IDs differ)."""
    from lapor.reports import importing

    rows = importing.read_rows(_write(tmp_path, CSV_HEADER + GOOD + OPEN + BAD_AGENCY))
    rows += [
        # Whistle-blowing: verified to a service, it goes to the inspectorate.
        {"external_id": "J-1", "title": "Pungli", "body": "Di loket", "kind": "whistleblowing",
         "created_at": "2025-01-06T08:00:00+08:00", "agency": "pemkot",
         "history": [{"action": "verify", "at": "2025-01-07T08:00:00+08:00", "agency": "dinkes"}]},
        # Answered, then the reporter replied: the last follow-up is marked unsatisfied.
        {"external_id": "J-2", "title": "Obat habis", "body": "Puskesmas", "reporter_phone": "0812-3333-4444",
         "created_at": "2025-02-03T08:00:00+08:00", "agency": "pemkot",
         "history": [{"action": "verify", "at": "2025-02-04T08:00:00+08:00", "agency": "dinkes"},
                     {"action": "answer", "at": "2025-02-05T08:00:00+08:00", "body": "Dipesan",
                      "by": "petugas.dinkes"},
                     {"action": "reply", "at": "2025-02-06T08:00:00+08:00", "text": "Belum ada"}]},
        {"external_id": "J-3", "title": "Spam", "body": "Iklan", "created_at": "2025-03-03T08:00:00+08:00",
         "history": [{"action": "archive", "at": "2025-03-04T08:00:00+08:00", "reason": "too_general"}]},
    ]
    by = world.national_admin
    chunk = list(enumerate(rows, start=1))
    at_once = importing._import_chunk_at_once(chunk, account=importing.source_account("a"), by=by, commit=True)
    one_by_one = importing._import_chunk_row_by_row(chunk, account=importing.source_account("b"), by=by, commit=True)
    assert (at_once.created, at_once.errors) == (one_by_one.created, one_by_one.errors)
    assert at_once.created == 5 and [line for line, *_ in at_once.errors] == [3]

    def stored(source):
        reports = Report.objects.filter(external_references__system__username=f"import-{source}").order_by(
            "external_references__external_id")
        fields = [f.attname for f in Report._meta.concrete_fields if f.attname not in ("id", "tracking_id")]
        return [(
            [getattr(r, f) for f in fields],
            [(e.action, e.at, e.actor_id, e.actor_role, e.from_status, e.to_status, e.agency_id, e.text,
              e.is_internal, sorted(e.data)) for e in r.events.all()],
            [(f.agency_id, f.author_id, f.body, f.created_at, f.satisfied, f.rating_comment, f.rated_at)
             for f in r.followups.all()],
            # Each agency's turn with it, which compliance counts.
            [(h.agency_id, h.arrived_at, h.first_answer_at, h.left_at) for h in r.handlings.all()],
        ) for r in reports]

    assert stored("a") == stored("b")
    handled = [h for _r, _e, _f, handlings in stored("a") for h in handlings]
    assert len(handled) == 3 and sum(h[2] is not None for h in handled) == 2  # J-1; J-2 and GOOD answered
    answer = Report.objects.filter(external_references__system__username="import-a", followups__isnull=False).first()
    event = answer.events.get(action=Action.ANSWER)
    assert event.data["followup"] == answer.followups.get().pk


def _write(tmp_path, text):
    path = tmp_path / "rows.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_import_costs_the_same_queries_whatever_its_size(world, tmp_path):
    """Within a chunk, rows cost no queries of their own: they are written together."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from lapor.reports import importing

    def queries(n, first):
        rows = importing.read_rows(_write(tmp_path, CSV_HEADER + _rows(n, start=first)))
        with CaptureQueriesContext(connection) as seen:
            result = importing.import_rows(rows, source=f"q{first}", by=world.national_admin, commit=True)
        assert result.created == n
        return len(seen)

    queries(1, 1)  # the importing admin's roles are read once and kept on the account
    assert queries(3, 100) == queries(15, 200)  # (15 rows fit in one INSERT on SQLite too)


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_file_at_once_import_each_row_once(world, legacy_csv):
    from io import StringIO

    from tests.api.concurrency import concurrently

    def import_once():
        out = StringIO()
        call_command("import_reports", str(legacy_csv), "--source", "simpel-lama", "--by", "admin.nasional",
                     "--no-progress", "--commit", stdout=out, stderr=StringIO())
        return out.getvalue()

    outputs = concurrently(import_once)
    assert Report.objects.count() == 2
    assert sorted(o.splitlines()[-1].split(",")[0] for o in outputs) == ["imported: 0", "imported: 2"], outputs


def test_a_chunk_draws_again_a_tracking_id_that_is_taken(world, tmp_path, monkeypatch):
    from lapor.reports import writing

    run(_write(tmp_path, CSV_HEADER + OPEN), "--commit")
    taken = Report.objects.get().tracking_id
    fresh = iter([taken, taken, "123456780", "223456784"])
    monkeypatch.setattr(writing, "new_tracking_id", lambda: next(fresh))
    out, err = run(_write(tmp_path, CSV_HEADER + _rows(2)), "--commit")
    assert "imported: 2" in out, err
    assert set(Report.objects.exclude(tracking_id=taken).values_list("tracking_id", flat=True)) == {
        "123456780", "223456784"}


@pytest.mark.django_db(transaction=True)
def test_an_import_in_two_processes_gives_the_same_result_as_in_one(world, tmp_path, monkeypatch):
    """``--jobs 2`` (PostgreSQL; SQLite runs the chunks one after the other): every row
    once, the bad ones named in row order, whichever process took their chunk."""
    from lapor.reports import importing

    monkeypatch.setattr(importing, "CHUNK", 2)
    path = _write(tmp_path, CSV_HEADER + _rows(3) + BAD_DATE + _rows(4, start=4) + NO_BODY + _rows(2, start=8))
    out, err = run(path, "--commit", "--jobs", "2")
    assert "imported: 9" in out and "errors: 2" in out, err
    assert err.index("row 4 (LAMA-3)") < err.index("row 9 (LAMA-5)")
    assert Report.objects.filter(status=Status.CLOSED).count() == 9
    assert sorted(Report.objects.values_list("external_references__external_id", flat=True)) == sorted(
        f"B-{i}" for i in range(1, 10))
    out, _err = run(path, "--commit", "--jobs", "2")
    assert "imported: 0, skipped (already imported): 9" in out


def test_an_external_id_too_long_to_store_is_a_row_error(world, tmp_path):
    long_id = "X" * 101
    out, err = run(_write(tmp_path, CSV_HEADER + OPEN.replace("LAMA-2,", f"{long_id},") + _rows(1)), "--commit")
    assert "imported: 1" in out and "errors: 1" in out, err
    assert "external_id: external_id paling panjang 100 karakter (ini 101)." in err
    assert list(Report.objects.values_list("external_references__external_id", flat=True)) == ["B-1"]


def test_a_row_the_database_refuses_is_named_and_the_rest_go_in(world, tmp_path):
    """A rule the services do not know (here an operator's own constraint on titles):
    the chunk is refused as a whole, then its rows go one by one and only that row fails."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE reports_report ADD CONSTRAINT no_test_titles CHECK (title <> 'Uji coba')")
        else:
            cursor.execute("CREATE TRIGGER no_test_titles BEFORE INSERT ON reports_report "
                           "WHEN NEW.title = 'Uji coba' BEGIN SELECT RAISE(ABORT, 'no_test_titles'); END")
    refused = OPEN.replace("Lampu mati", "Uji coba")
    out, err = run(_write(tmp_path, CSV_HEADER + _rows(2) + refused + _rows(1, start=3)), "--commit")
    assert "imported: 3" in out and "errors: 1" in out, err
    assert "row 3 (LAMA-2): row: Basis data menolak baris ini:" in err and "no_test_titles" in err
    assert sorted(Report.objects.values_list("external_references__external_id", flat=True)) == ["B-1", "B-2", "B-3"]
    assert not Report.objects.filter(title="Uji coba").exists()


@pytest.mark.django_db(transaction=True)
def test_a_large_import_leaves_postgresql_with_statistics_and_a_visibility_map_for_its_rows(legacy_csv, monkeypatch):
    from django.db import connection

    from lapor.reports.management.commands import import_reports
    from tests.personas import build_world

    build_world()
    monkeypatch.setattr(import_reports, "VACUUM_AFTER", 2)  # "large": two rows here
    out, _err = run(legacy_csv, "--commit")
    if connection.vendor != "postgresql":
        assert "vacuumed" not in out  # SQLite has no autovacuum thresholds to wait for
        return
    assert "vacuumed and analysed: reports_report" in out
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_vacuum IS NOT NULL, last_analyze IS NOT NULL FROM pg_stat_user_tables "
                       "WHERE relname = 'reports_report'")
        assert cursor.fetchone() == (True, True)
    again, _err = run(legacy_csv, "--commit")  # nothing new: nothing to vacuum for
    assert "vacuumed" not in again

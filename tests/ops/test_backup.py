"""A backup restores to the same reports, history and attachments (SPEC §13)."""
import hashlib
import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from PIL import Image

from lapor.ops.backup import row_counts
from lapor.reports import services
from lapor.reports.attachments import attachment_store, clean_upload
from lapor.reports.models import Attachment, Report
from tests.personas import build_world


def photo():
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 120, 0)).save(out, format="PNG")
    return SimpleUploadedFile("foto.png", out.getvalue())


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_to_identical_counts_and_files(tmp_path):
    world = build_world()
    report = services.report_submit(reporter=world.citizen, title="Jalan rusak", body="Lubang besar",
                                    addressed_agency=world.pemkot)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    attachment = attachment_store(report=report, clean=clean_upload(photo()), by=world.citizen)
    stored = attachment.file.read()
    before = row_counts()

    call_command("backup", str(tmp_path / "cadangan"))
    # Things go wrong after the backup: a new report, and the attachment file is lost.
    services.report_submit(reporter=world.citizen, title="Setelah cadangan", body="Hilang saat pemulihan")
    attachment.file.storage.delete(attachment.file.name)

    call_command("restore", str(tmp_path / "cadangan"), "--yes", "--replace-media")
    assert row_counts() == before
    assert not Report.objects.filter(title="Setelah cadangan").exists()
    restored = Attachment.objects.get(pk=attachment.pk)
    with restored.file.open("rb") as handle:
        assert handle.read() == stored
    assert Report.objects.get(pk=report.pk).events.count() == 2


@pytest.mark.django_db(transaction=True)
def test_after_a_restore_no_page_shows_names_kept_from_after_the_backup(tmp_path):
    from lapor.reports.references import attach_one

    world = build_world()
    report = services.report_submit(reporter=world.citizen, title="Jalan rusak", body="Lubang besar",
                                    addressed_agency=world.pemkot)
    services.report_verify(report=report, by=world.agency_admin, agency=world.pupr)
    call_command("backup", str(tmp_path / "cadangan"))
    world.pupr.name = "Dinas PUPR (nama baru)"
    world.pupr.save()
    assert attach_one(Report.objects.get(pk=report.pk)).assigned_agency.name == "Dinas PUPR (nama baru)"  # kept now

    from django.core.cache import cache

    from lapor.core import kept
    from lapor.transparency.figures import map_generation
    from lapor.workdays import calendar

    shared_before = (kept.generation(), map_generation(), cache.get(calendar._VERSION_KEY))

    call_command("restore", str(tmp_path / "cadangan"), "--yes")

    assert attach_one(Report.objects.get(pk=report.pk)).assigned_agency.name == "Dinas PUPR Banjarbaru"
    # What every other process reads from the shared cache changed too: the pages kept under
    # the old reference names, the map's views and the calendar are not used again.
    shared_after = (cache.get(kept.GENERATION), map_generation(), cache.get(calendar._VERSION_KEY))
    assert all(after != before for before, after in zip(shared_before, shared_after))


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_before_anything_is_replaced(tmp_path):
    world = build_world()
    services.report_submit(reporter=world.citizen, title="Jalan rusak", body="Lubang besar")
    call_command("backup", str(tmp_path / "cadangan"))
    dump = next(p for p in (tmp_path / "cadangan").iterdir() if p.name.startswith("database"))
    dump.write_bytes(dump.read_bytes()[:100])
    services.report_submit(reporter=world.citizen, title="Masih ada", body="Tidak boleh hilang")
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(tmp_path / "cadangan"), "--yes")
    assert Report.objects.filter(title="Masih ada").exists()


@pytest.mark.django_db(transaction=True)
def test_a_restore_drill_never_deletes_the_live_attachments(tmp_path, settings):
    world = build_world()
    report = services.report_submit(reporter=world.citizen, title="Jalan rusak", body="Lubang besar",
                                    addressed_agency=world.pemkot)
    attachment = attachment_store(report=report, clean=clean_upload(photo()), by=world.citizen)
    live_file = Path(attachment.file.path)
    stored = live_file.read_bytes()
    call_command("backup", str(tmp_path / "cadangan"))
    services.report_submit(reporter=world.citizen, title="Setelah cadangan", body="Masih ada")

    # A drill that changed only DATABASE_URL: refused before anything changes.
    with pytest.raises(CommandError, match="--replace-media"):
        call_command("restore", str(tmp_path / "cadangan"), "--yes")
    assert live_file.read_bytes() == stored
    assert Report.objects.filter(title="Setelah cadangan").exists()

    # Done as the docs say: MEDIA_ROOT pointed at a new, empty directory too.
    settings.MEDIA_ROOT = tmp_path / "media-uji"
    call_command("restore", str(tmp_path / "cadangan"), "--yes")
    assert (tmp_path / "media-uji" / attachment.file.name).read_bytes() == stored
    assert live_file.read_bytes() == stored


@pytest.mark.django_db(transaction=True)
def test_a_backup_is_readable_by_the_user_who_made_it_alone(tmp_path):
    world = build_world()
    services.report_submit(reporter=world.citizen, title="Jalan rusak", body="Lubang besar")
    target = tmp_path / "cadangan"
    target.mkdir(mode=0o755)  # made beforehand, empty, as `mkdir` leaves it
    call_command("backup", str(target))
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    files = list(target.iterdir())
    assert {path.name for path in files} >= {"manifest.json", "media.tar.gz"}
    assert {path.name: stat.S_IMODE(path.stat().st_mode) for path in files} == {path.name: 0o600 for path in files}


postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                     reason="SQLite's restore copies the whole file; pg_restore does not")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_restore_refuses_a_database_holding_tables_the_backup_lacks(tmp_path):
    world = build_world()
    services.report_submit(reporter=world.citizen, title="Jalan rusak", body="Lubang besar")
    call_command("backup", str(tmp_path / "cadangan"))
    services.report_submit(reporter=world.citizen, title="Masih ada", body="Tidak boleh hilang")
    # An upgrade after the backup added a table; restoring the older backup over it would
    # leave the table while django_migrations says it was never made.
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE reports_laterrelease (id bigint PRIMARY KEY)")
    try:
        with pytest.raises(CommandError, match="reports_laterrelease") as refused:
            call_command("restore", str(tmp_path / "cadangan"), "--yes")
        assert "createdb" in str(refused.value)
        assert Report.objects.filter(title="Masih ada").exists()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE reports_laterrelease")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_dump_pg_restore_cannot_read_is_refused_with_pg_restores_own_message(tmp_path):
    world = build_world()
    services.report_submit(reporter=world.citizen, title="Jalan rusak", body="Lubang besar")
    backup = tmp_path / "cadangan"
    call_command("backup", str(backup))
    # Damaged before its checksum was taken (the checksum matches): only pg_restore can tell.
    (backup / "database.dump").write_bytes(b"bukan arsip pg_dump")
    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["files"]["database.dump"] = hashlib.sha256(b"bukan arsip pg_dump").hexdigest()
    (backup / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="pg_restore: error: .*valid archive"):
        call_command("restore", str(backup), "--yes")
    assert Report.objects.filter(title="Jalan rusak").exists()


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_restore_into_a_database_that_does_not_exist_says_so_without_a_traceback(tmp_path):
    build_world()
    backup = tmp_path / "cadangan"
    call_command("backup", str(backup))
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    url = (f"postgres://{db.get('USER') or 'postgres'}{password}@{db.get('HOST') or 'localhost'}:"
           f"{db.get('PORT') or 5432}/lapor_tidak_ada")
    env = {**os.environ, "DATABASE_URL": url, "DATABASE_REPLICA_URLS": "", "REDIS_URL": "",
           "LAPOR_VAR_DIR": str(tmp_path / "var"), "MEDIA_ROOT": str(tmp_path / "media-baru"),
           "FIELD_ENCRYPTION_KEY": ",".join(django_settings.FIELD_ENCRYPTION_KEYS)}
    done = subprocess.run([sys.executable, "manage.py", "restore", str(backup), "--yes"], env=env,
                          cwd=django_settings.BASE_DIR, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert 'database "lapor_tidak_ada" does not exist' in done.stderr
    assert "createdb" in done.stderr

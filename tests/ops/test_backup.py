"""A backup restores to the same reports, history and attachments (SPEC §13)."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
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

    call_command("restore", str(tmp_path / "cadangan"), "--yes")
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

"""``manage.py import_agencies``: a dry run by default, --commit to write, a non-zero exit
when a row failed."""
import io

import pytest
from django.core.management import CommandError, call_command

from lapor.agencies.models import Agency, RoutingRule
from lapor.audit.models import AuditEntry

from .conftest import HEADER

GOOD = HEADER + ("pemkot-mataram,Pemerintah Kota Mataram,,regency,,52.71,,MATARAM,,,\n"
                 "mataram-dinas-pupr,Dinas PUPR Kota Mataram,,unit,pemkot-mataram,,,,,,\n")


def _call(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_agencies", *map(str, args), stdout=out, stderr=err, **options)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def test_the_command_is_a_dry_run_unless_told_to_commit(write, regions, world):
    path = write(GOOD.replace(",", ";"))
    out, _err, failed = _call(path)
    assert failed is None
    assert "read 2 rows from agencies.csv (UTF-8, semicolon-separated)" in out
    assert "row 2 pemkot-mataram: would create" in out and "2 to create" in out and "add --commit" in out
    assert not Agency.objects.filter(slug="pemkot-mataram").exists()
    out, _err, failed = _call(path, "--commit", "--by", "admin.nasional")
    assert failed is None and "2 created" in out
    assert AuditEntry.objects.filter(action="created", actor=world.national_admin,
                                     object_label="Pemerintah Kota Mataram").exists()
    out, _err, _failed = _call(path, "--commit")
    assert "2 unchanged" in out and "nothing changed" in out


def test_the_command_prints_each_error_line_and_exits_non_zero_keeping_the_valid_rows(write, regions, world):
    path = write(GOOD + "mataram-x,Kantor X,,unit,pemkot-tidak-ada,,,,,,\n")
    out, err, failed = _call(path, "--commit")
    assert isinstance(failed, CommandError) and failed.returncode == 1
    assert "row 4 mataram-x: parent: Tidak ada instansi dengan slug pemkot-tidak-ada" in err
    assert "2 created" in out and "1 with errors" in out
    assert Agency.objects.filter(slug__startswith="mataram-dinas").exists()


def test_the_command_imports_routing_rules_in_the_same_go(write, regions, world):
    routing = write("category;region;agency\njalan-rusak;52.71;mataram-dinas-pupr\n", "rute.csv")
    out, _err, failed = _call(write(GOOD), "--routing", routing, "--commit")
    assert failed is None and "routing rules: 1 created" in out
    assert RoutingRule.objects.get(category=world.category).agency.slug == "mataram-dinas-pupr"


def test_an_unreadable_file_or_an_unknown_user_stops_the_command(write, regions, world):
    with pytest.raises(CommandError, match="Kolom tidak dikenal: induk"):
        call_command("import_agencies", str(write("slug,name,induk\na,A,b\n")), stdout=io.StringIO())
    with pytest.raises(CommandError, match="no user"):
        call_command("import_agencies", str(write(GOOD)), by="tidak-ada", stdout=io.StringIO())

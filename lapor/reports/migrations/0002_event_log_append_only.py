"""The event log is the audit trail: the database itself refuses to change or delete a
row, so neither a bug, a shell session nor a compromised staff account can rewrite history.

PostgreSQL refuses UPDATE and DELETE of single rows (TRUNCATE, used by restores and test
flushes, stays possible for the database owner). SQLite, the single-machine default,
refuses UPDATE only: its test flush deletes rows one by one and it has no way to tell a
flush from an attack; its file is the operator's anyway.
"""
from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION lapor_refuse_event_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'reports_reportevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reportevent_no_update BEFORE UPDATE OR DELETE ON reports_reportevent
    FOR EACH ROW EXECUTE FUNCTION lapor_refuse_event_change();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS reportevent_no_update ON reports_reportevent;
DROP FUNCTION IF EXISTS lapor_refuse_event_change();
"""
SQLITE_UP = [
    """CREATE TRIGGER reportevent_no_update BEFORE UPDATE ON reports_reportevent
       BEGIN SELECT RAISE(ABORT, 'reports_reportevent is append-only'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS reportevent_no_update;",
]


def up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)
    elif vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)
    elif vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(up, down)]

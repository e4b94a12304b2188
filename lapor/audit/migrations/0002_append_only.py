"""The audit log is append-only in the database itself, as the report history is
(reports/migrations/0002): neither a bug, a shell session nor a compromised staff or
superuser account can rewrite what staff did.

PostgreSQL refuses UPDATE and DELETE of rows (TRUNCATE, used by restores and test flushes,
stays possible for the database owner). SQLite refuses UPDATE, and DELETE unless Django's
``flush`` is running in this process (``lapor.audit.guard``: the function the trigger asks
exists only on Django's own connections, so the sqlite3 shell cannot delete either).
"""
from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION lapor_refuse_audit_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditentry is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER auditentry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION lapor_refuse_audit_change();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS auditentry_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS lapor_refuse_audit_change();
"""
SQLITE_UP = [
    """CREATE TRIGGER auditentry_no_update BEFORE UPDATE ON audit_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit_auditentry is append-only'); END;""",
    """CREATE TRIGGER auditentry_no_delete BEFORE DELETE ON audit_auditentry
       WHEN lapor_audit_flushing() = 0
       BEGIN SELECT RAISE(ABORT, 'audit_auditentry is append-only'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS auditentry_no_update;",
    "DROP TRIGGER IF EXISTS auditentry_no_delete;",
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
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(up, down)]

"""The public list's two costs at a million reports (bench/findings.md):

- newest-first over published reports had no index to walk: a partial index on exactly
  the published set (``policy.PUBLIC_Q``), newest first, so the first page of a list reads
  20 rows, not a sort of all of them;
- full-text search recomputed each matching row's document to order and count them: on
  PostgreSQL the document is now a stored generated column (kept by the database on every
  write, so no code writes it), indexed with GIN. Its statistics also give the planner a
  true idea of how common a word is, so a common word walks the newest-first index and a
  rare one uses the GIN index. SQLite has neither and searches with LIKE.
"""
from django.db import migrations, models

DOCUMENT = (
    "setweight(to_tsvector('simple'::regconfig, coalesce(title, '')::text), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(body, '')), 'B')"
)


def add_search_document(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS report_search")
    schema_editor.execute(
        f"ALTER TABLE reports_report ADD COLUMN search_document tsvector GENERATED ALWAYS AS ({DOCUMENT}) STORED"
    )
    schema_editor.execute("CREATE INDEX report_search_document ON reports_report USING gin (search_document)")


def drop_search_document(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE reports_report DROP COLUMN IF EXISTS search_document")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS report_search ON reports_report USING gin (({DOCUMENT}))"
        )


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0005_map_and_search_indexes"),
    ]

    operations = [
        migrations.RunPython(add_search_document, drop_search_document),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                models.F("created_at").desc(), models.F("id").desc(), name="report_public_latest",
                condition=models.Q(verified_at__isnull=False, is_confidential=False) & ~models.Q(status="archived"),
            ),
        ),
    ]

# PostgreSQL estimates "region_id LIKE '63.72.%'" (a city and everything under it) from
# the column's histogram. With the default 100 buckets it guessed ~100 rows where a city
# held 116,000 of a million, and then planned an inbox filtered by status and region as
# a bitmap over the whole city (165 ms). With 1,000 buckets the guess is within a few
# per cent and the same page takes a quarter of that. Nothing to do on SQLite.
from django.db import migrations

TARGET = 1000


def set_target(target):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE reports_report ALTER COLUMN region_id SET STATISTICS {target}")
            schema_editor.execute("ANALYZE reports_report (region_id)")
    return run


class Migration(migrations.Migration):

    dependencies = [("reports", "0009_drop_redundant_indexes")]

    operations = [migrations.RunPython(set_target(TARGET), set_target(-1))]

"""Migrations run while the old release still serves (docs/operations.md, *Upgrades*): a
column they add must not make the old code's inserts fail. A NOT NULL column with only a
Python default is such a column: the old code does not know it, inserts without it, and
the database refuses the row."""
import datetime

import pytest
from django.apps import apps
from django.db import connection, migrations, models
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from lapor.webhooks.models import Subscriber

# Added NOT NULL without a database default before this check existed, all released; each
# was safe or is made safe since (webhooks.0003 by webhooks.0004). Nothing is added here.
RELEASED_BEFORE_THE_CHECK = {
    ("accounts", "0005_pseudonym", "user", "stand_ins_sealed"),
    ("api", "0003_tokens_by_password", "apitoken", "by_password"),
    ("notifications", "0002_notification_about_anything", "notification", "key"),
    ("reports", "0003_support", "report", "support_count"),
    ("webhooks", "0003_secret_rules_queued_until", "subscriber", "queued_until"),
}


def database_operations(operations):
    for operation in operations:
        if isinstance(operation, migrations.SeparateDatabaseAndState):
            yield from database_operations(operation.database_operations)
        else:
            yield operation


def columns_old_code_cannot_insert():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    found = set()
    for (app_label, name), migration in loader.disk_migrations.items():
        if not apps.get_app_config(app_label).name.startswith("lapor."):
            continue
        operations = list(database_operations(migration.operations))
        # A table created in the same migration has no old code writing to it.
        created = {op.name_lower for op in operations if isinstance(op, migrations.CreateModel)}
        for op in operations:
            if not isinstance(op, migrations.AddField) or op.model_name_lower in created:
                continue
            field = op.field
            if field.many_to_many or field.null or isinstance(field, models.GeneratedField):
                continue
            if field.db_default is models.NOT_PROVIDED:
                found.add((app_label, name, op.model_name_lower, op.name))
    return found


def test_no_migration_adds_a_not_null_column_the_old_code_cannot_insert():
    unsafe = columns_old_code_cannot_insert() - RELEASED_BEFORE_THE_CHECK
    assert not unsafe, (
        "AddField of a NOT NULL column without db_default: the release still serving during the "
        f"upgrade inserts rows without it and the database refuses them. Give it db_default=… "
        f"(or null=True): {sorted(unsafe)}")


@pytest.mark.django_db
def test_the_old_codes_insert_of_a_webhook_subscriber_is_taken_during_the_upgrade():
    """What the admin of the release before webhooks.0003 inserts: every column but queued_until."""
    before = timezone.now() - datetime.timedelta(seconds=5)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO webhooks_subscriber (name, url, secret, is_active, created_at) VALUES (%s, %s, %s, %s, %s)",
            ["Aplikasi kota", "https://kota.example.go.id/lapor", "x" * 40, True, timezone.now()])
    queued_until = Subscriber.objects.filter(name="Aplikasi kota").values_list("queued_until", flat=True).get()
    assert queued_until >= before  # filled by the database, as the new code would

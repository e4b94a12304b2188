"""``queued_until`` gets a default in the database, not only in Python.

0003 added the column NOT NULL with a Python default only: during an upgrade, the old code
still serving (docs/operations.md, *Upgrades*) inserts subscribers without the column, and
PostgreSQL refused them (NotNullViolation). ``now()`` fills it as the new code would.
tests/ops/test_migrations_old_code.py keeps later migrations from doing the same.
"""
import django.db.models.functions.datetime
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('webhooks', '0003_secret_rules_queued_until'),
    ]

    operations = [
        migrations.AlterField(
            model_name='subscriber',
            name='queued_until',
            field=models.DateTimeField(db_default=django.db.models.functions.datetime.Now(),
                                       default=django.utils.timezone.now, editable=False),
        ),
    ]

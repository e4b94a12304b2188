"""Open311 api_keys kept as keyed hashes: the keys clients already hold keep working."""
from django.db import migrations, models


def hash_keys(apps, schema_editor):
    from lapor.open311.models import api_key_digest

    Client = apps.get_model("open311", "Client")
    for client in Client.objects.using(schema_editor.connection.alias).exclude(api_key=""):
        client.key_digest = api_key_digest(client.api_key)
        client.save(update_fields=["key_digest"])


class Migration(migrations.Migration):

    dependencies = [
        ("open311", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="client",
            name="key_digest",
            field=models.CharField(editable=False, max_length=64, null=True, unique=True),
        ),
        migrations.RunPython(hash_keys, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="client",
            name="api_key",
        ),
    ]

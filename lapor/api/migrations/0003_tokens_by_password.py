"""Keys issued for a password alone are marked, so that they never carry staff rights.

Keys issued before this by ``/api/v1/auth/token/`` are known by the label it gave them,
in either language of the interface; an administrator's keys keep their own labels.
Keys moved from DRF's table (label ``authtoken``, 0002) came from either: those of accounts
holding no staff role now are taken as a citizen's sign-in (an administrator issues staff
keys; one made staff later asks for a new one)."""
from django.db import migrations, models

SIGN_IN_LABELS = ("masuk dengan kata sandi", "signed in with a password")


def mark_sign_in_keys(apps, schema_editor):
    ApiToken = apps.get_model("api", "ApiToken")
    ApiToken.objects.filter(label__in=SIGN_IN_LABELS).update(by_password=True)
    Membership = apps.get_model("agencies", "Membership")
    staff = Membership.objects.values("user_id")
    ApiToken.objects.filter(label="authtoken").exclude(user_id__in=staff).update(by_password=True)


class Migration(migrations.Migration):

    dependencies = [
        ("api", "0002_api_tokens_hashed"),
        ("agencies", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="by_password",
            field=models.BooleanField(default=False, editable=False, verbose_name="dengan kata sandi saja"),
        ),
        migrations.RunPython(mark_sign_in_keys, migrations.RunPython.noop),
    ]

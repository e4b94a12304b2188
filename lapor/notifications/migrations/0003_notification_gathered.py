from django.db import migrations, models

SEPARATOR = "\n\n--\n"  # lapor/notifications/digest.py


def count_held_pieces(apps, schema_editor):
    """A digest still waiting when this release arrives was told by its link (/ikuti/):
    count its pieces, so that the next piece is added to the list, not made into one."""
    Notification = apps.get_model("notifications", "Notification")
    held = Notification.objects.filter(status="pending", reason="following", channel="email", url__endswith="/ikuti/")
    for notification in held.only("pk", "body").iterator():
        listed = notification.body.split(SEPARATOR)[0].split("\n\n")[1:]
        pieces = sum(1 for item in listed if item.startswith("- "))
        Notification.objects.filter(pk=notification.pk).update(gathered=max(pieces, 2))


class Migration(migrations.Migration):

    dependencies = [
        ("notifications", "0002_notification_about_anything"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="gathered",
            field=models.PositiveSmallIntegerField(db_default=0, default=0, verbose_name="kabar terhimpun"),
        ),
        migrations.RunPython(count_held_pieces, migrations.RunPython.noop),
    ]

"""Every anonymous report already stored moves to stand-in accounts, as new ones are filed
(lapor/accounts/pseudonyms.py, docs/decisions/0005-anonymous-reporter-pseudonyms.md).

For each anonymous report, its reporter and the RT/RW who filed it get a stand-in account
each, the person sealed behind it; the report, what they were told about it (their name
taken out of the words), their files and service rating on it move to the stand-ins. So do their entries in its history: all of
them for a report filed anonymous, those from the moment it was made anonymous for one
made so later (as the live code records them). That one rewrite of the append-only log is
done here with its guard lifted for the moment (0002), and the guard put back.

Going back leaves the stand-ins as they are: writing the people into the rows again would
undo what this is for.
"""
import json
import secrets

from django.contrib.auth.hashers import make_password
from django.db import migrations

PREFIX = "anonim-"
SQLITE_GUARD = """CREATE TRIGGER IF NOT EXISTS reportevent_no_update BEFORE UPDATE ON reports_reportevent
    BEGIN SELECT RAISE(ABORT, 'reports_reportevent is append-only'); END;"""


def _made_anonymous_at(ReportEvent, report):
    """When a report filed openly was made anonymous, at verification or later (None:
    filed anonymous)."""
    for event in ReportEvent.objects.filter(report=report, action__in=["verify", "set_flags"]).order_by("at", "id"):
        if ((event.data or {}).get("changes") or {}).get("is_anonymous") == [False, True]:
            return event.at
    return None


def _display_name(person) -> str:
    """``User.display_name`` (the historical model has no properties): the words a
    notification named them with. An SMS account's "Pelapor SMS" names nobody."""
    if person.full_name:
        return person.full_name
    return "" if person.username.startswith("sms-") else person.username


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Pseudonym = apps.get_model("accounts", "Pseudonym")
    Report = apps.get_model("reports", "Report")
    ReportEvent = apps.get_model("reports", "ReportEvent")
    Attachment = apps.get_model("reports", "Attachment")
    Notification = apps.get_model("notifications", "Notification")
    ServiceRating = apps.get_model("transparency", "ServiceRating")
    vendor = schema_editor.connection.vendor

    reports = list(Report.objects.filter(is_anonymous=True).select_related("reporter", "filed_by"))
    stand_ins = {}  # person id → their new stand-ins' ids
    moves = []  # (report, since, person id, stand-in id)
    for report in reports:
        changed = {}
        for field in ("reporter", "filed_by"):
            person = getattr(report, field)
            if person is None or person.username.startswith(PREFIX):
                continue
            stand_in = User.objects.create(username=f"{PREFIX}{secrets.token_hex(10)}", is_active=False,
                                           password=make_password(None))
            # The owner's id and, below, the owner's list of stand-ins: both fields are
            # EncryptedTextFields, which encrypt what they store (lapor/accounts/pseudonyms.py).
            Pseudonym.objects.create(user=stand_in, owner_sealed=str(person.pk))
            stand_ins.setdefault(person.pk, []).append(stand_in.pk)
            # What they were told moves too, and their name leaves the words of everything
            # said about the report, to them and to staff ("Yth. Pelapor,").
            name = _display_name(person)
            for told in Notification.objects.filter(report=report):
                if told.recipient_id == person.pk:
                    told.recipient = stand_in
                if name:
                    generic = "reporter" if told.language == "en" else "Pelapor"
                    told.subject = told.subject.replace(name, generic)
                    told.body = told.body.replace(name, generic)
                told.save(update_fields=["recipient", "subject", "body"])
            Attachment.objects.filter(report=report, uploaded_by_id=person.pk).update(uploaded_by=stand_in)
            ServiceRating.objects.filter(report=report, user_id=person.pk).update(user=stand_in)
            changed[f"{field}_id"] = stand_in.pk
            moves.append((report, person.pk, stand_in.pk))
        if changed:
            Report.objects.filter(pk=report.pk).update(**changed)
    for person_id, ids in stand_ins.items():
        sealed = User.objects.filter(pk=person_id).values_list("stand_ins_sealed", flat=True).first()
        known = json.loads(sealed) if sealed else []
        User.objects.filter(pk=person_id).update(stand_ins_sealed=json.dumps([*known, *ids]))
    if not moves:
        return

    if vendor == "postgresql":
        # The foreign-key checks of the updates above are deferred to the commit; PostgreSQL
        # alters no table with checks pending, so they run now.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("ALTER TABLE reports_reportevent DISABLE TRIGGER reportevent_no_update")
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS reportevent_no_update")
    try:
        for report, person_id, stand_in_id in moves:
            events = ReportEvent.objects.filter(report=report, actor_id=person_id)
            since = _made_anonymous_at(ReportEvent, report)
            if since is not None:
                events = events.filter(at__gte=since)
            events.update(actor_id=stand_in_id)
    finally:
        if vendor == "postgresql":
            schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            schema_editor.execute("ALTER TABLE reports_reportevent ENABLE TRIGGER reportevent_no_update")
        elif vendor == "sqlite":
            schema_editor.execute(SQLITE_GUARD)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0005_pseudonym"),
        ("reports", "0012_answer_drafts"),
        ("notifications", "0002_notification_about_anything"),
        ("transparency", "0002_survey_closed_at"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False),
    ]

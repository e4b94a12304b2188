"""Labels, never codes, wherever people read about a report — in the reader's language.

English notifications once said "postpone" (the raw code) because a hand-kept English
table lacked that action. This module drives every surface people read (portal pages,
the back office, exports, the REST API, Open311, Atom feeds, SMS replies, notifications,
webhooks, statistics, SILAPAT, the audit log) for every value of the enums shown there
(lapor/reports/enums.py and the other choices), in Indonesian and in English, and checks
that each shows the label of its language: no raw code ("in_progress",
"not_our_authority", "is_proxy"…), no Indonesian label in English output, no English
label in Indonesian output.
"""
from __future__ import annotations

import csv
import datetime
import functools
import html as markup
import importlib
import io
import json
import re

import pytest
from django.db import models
from django.utils import timezone, translation

from lapor.accounts.models import Sex
from lapor.agencies.models import Role
from lapor.notifications.messages import ACTION_EN, compose
from lapor.notifications.models import Channel as NotificationChannel
from lapor.notifications.models import Notification, Reason
from lapor.notifications.recipients import Recipient
from lapor.reports import policy, services
from lapor.reports.enums import Action, ArchiveReason, Channel, Kind, Status
from lapor.reports.models import AWAITING_TRANSFER, Report, ReportEvent
from tests.harmony.conftest import harmony  # noqa: F401 (SILAPAT's small world, a fixture)
from tests.office.staff import sign_in
from tests.text import visible

LANGUAGES = ("id", "en")


@pytest.fixture(autouse=True)
def back_to_the_default_language():
    # LocaleMiddleware leaves the request's language active in the thread.
    yield
    translation.deactivate()


# --- Labels as each language says them ------------------------------------------------------


def say(label, language: str) -> str:
    with translation.override(language):
        return str(label)


def tr(msgid: str, language: str) -> str:
    """A message of the catalogue in ``language``."""
    with translation.override(language):
        return translation.gettext(msgid)


def status_label(report: Report, language: str) -> str:
    with translation.override(language):
        return str(report.status_label)


def labels_of(enum, language: str) -> dict:
    with translation.override(language):
        return {value: str(enum(value).label) for value in enum.values}


REPORT_ENUMS = (Status, Action, Kind, Channel, ArchiveReason)
# Codes that are no word of either language: wherever one of them is read, a label is missing.
RAW_CODES = sorted({v for enum in (*REPORT_ENUMS, Role, Reason) for v in enum.values if "_" in v}
                   | {"whistleblowing", "postpone", "dispose", "is_proxy", "proxy_region"}, key=len, reverse=True)
RAW = re.compile(r"(?<![\w/.#-])(" + "|".join(map(re.escape, RAW_CODES)) + r")(?![\w/-])")


def other_language(language: str) -> str:
    return "en" if language == "id" else "id"


@functools.cache
def foreign_labels(language: str) -> frozenset[str]:
    """Labels of every choice of the project (all_choices below) in the *other* language
    that differ from this one's: none of them belongs in a page of ``language``. (Not the
    names of the languages: the language switch names each in its own.)"""
    enums = [enum for name, enum in all_choices().items() if name != "lapor.notifications.models.Language"]

    def labels(lang):
        with translation.override(lang):
            return {str(label) for enum in enums for label in enum.labels} | {str(AWAITING_TRANSFER)}

    mine = labels(language)  # "Indigenous faith (Penghayat Kepercayaan)" quotes the Indonesian on purpose
    return frozenset(label for label in labels(other_language(language)) - mine
                     if len(label) > 3 and not any(label in own for own in mine))


def assert_readable(text: str, language: str, where: str):
    """No raw code, and no label of the other language, in what a person reads."""
    raw = sorted(set(RAW.findall(text)))
    assert raw == [], f"{where} ({language}) shows raw codes {raw}"
    foreign = sorted(label for label in foreign_labels(language)
                     if re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text))
    assert foreign == [], f"{where} ({language}) shows labels of the other language {foreign}"


def get(client, url: str, language: str, **extra):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response


def page_text(client, url: str, language: str) -> tuple[str, str]:
    html = get(client, url, language).content.decode()
    return html, visible(html)


def staff_client(user):
    from django.test import Client

    return sign_in(Client(), user)


def reader_client(user=None):
    from django.test import Client

    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- Reports in every status, walked through the services as in real life -------------------


def submit(world, **kwargs):
    fields = dict(reporter=world.citizen, title="Lubang di Jalan Karang Anyar", body="Lubang dalam dekat sekolah.",
                  addressed_agency=world.pemkot, category=world.category)
    fields.update(kwargs)
    return services.report_submit(**fields)


def walk(world, *steps, **submit_kwargs):
    report = submit(world, **submit_kwargs)
    admin = world.agency_admin
    do = {
        "postpone": lambda r: services.report_postpone(report=r, by=admin, reason="Menunggu foto dari pelapor"),
        "return": lambda r: services.report_return(report=r, by=admin, missing="Lokasi tepat"),
        "verify": lambda r: services.report_verify(report=r, by=admin, agency=world.pupr),
        "answer": lambda r: services.report_answer(report=r, by=world.unit_admin, body="Segera diperbaiki pekan ini."),
        "rate": lambda r: services.report_rate(report=r, by=world.citizen),
        "noa": lambda r: services.report_not_our_authority(report=r, by=world.unit_admin, reason="Jalan provinsi"),
    }
    for step in steps:
        if isinstance(step, str):
            do[step](report)
        else:
            step(report)
    report.refresh_from_db()
    return report


@pytest.fixture
def walked(world):
    """One report in each status, and one handed back as "bukan wewenang" (awaiting transfer)."""
    reports = {
        Status.SUBMITTED: walk(world),
        Status.POSTPONED: walk(world, "postpone"),
        Status.RETURNED: walk(world, "return"),
        Status.DISPATCHED: walk(world, "verify"),
        Status.IN_PROGRESS: walk(world, "verify", "answer"),
        Status.CLOSED: walk(world, "verify", "answer", "rate"),
        Status.ARCHIVED: walk(world, lambda r: services.report_archive(report=r, by=world.agency_admin,
                                                                       reason=ArchiveReason.SPAM)),
        "awaiting_transfer": walk(world, "verify", "noa"),
    }
    for key, report in reports.items():
        assert report.status == (Status.SUBMITTED if key == "awaiting_transfer" else key)
    assert reports["awaiting_transfer"].awaiting_transfer
    return reports


def published(walked) -> dict:
    return {key: r for key, r in walked.items() if r.is_published}


# A report whose history holds one entry of every action (written as the services and the
# sweep write them), to see every action's label on every surface that shows a history.
INTERNAL = {Action.NOTE, Action.REVEAL_IDENTITY, Action.DRAFT_ANSWER, Action.RETURN_DRAFT, Action.ESCALATE}


@pytest.fixture
def every_action(world):
    report = walk(world, "verify")
    at = report.updated_at
    for i, action in enumerate(Action.values):
        sources, target = policy.TRANSITIONS.get(action, (frozenset(), None))
        source = sorted(sources)[0] if sources else ""
        ReportEvent.objects.create(
            report=report, at=at + datetime.timedelta(minutes=i + 1),
            actor=None if action in policy.SYSTEM_ACTIONS else world.unit_admin,
            actor_role="system" if action in policy.SYSTEM_ACTIONS else Role.UNIT_ADMIN,
            action=action, from_status=source, to_status=target or source, agency=world.pupr,
            text="Catatan uji", is_internal=action in INTERNAL,
        )
    return report


# --- The enums themselves -------------------------------------------------------------------


def all_choices():
    """Every TextChoices/IntegerChoices of the project's apps."""
    from django.apps import apps

    found = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("lapor."):
            continue
        for module_name in ("models", "enums"):
            try:
                module = importlib.import_module(f"{config.name}.{module_name}")
            except ModuleNotFoundError:
                continue
            for value in vars(module).values():
                for candidate in (value, *vars(value).values()) if isinstance(value, type) else (value,):
                    if (isinstance(candidate, type) and issubclass(candidate, models.Choices)
                            and candidate.__module__ == module.__name__):
                        found[f"{module.__name__}.{candidate.__qualname__}"] = candidate
    return found


# Labels that are the same word in both languages (names, abbreviations, loan words).
SAME_IN_BOTH = {"Spam", "Open311", "SMS", "SMS 1708", "E-mail", "English", "Bahasa Indonesia",
                "Islam", "Hindu", "Buddha", "Khonghucu", "Superuser"}


def test_every_choice_of_every_app_has_an_english_label_that_is_no_code():
    choices = all_choices()
    assert {"lapor.reports.enums.Status", "lapor.reports.enums.Action", "lapor.agencies.models.Role",
            "lapor.notifications.models.Reason", "lapor.harmony.enums.Religion"} <= set(choices)
    untranslated, codes = [], []
    for name, enum in choices.items():
        for value in enum.values:
            english, indonesian = say(enum(value).label, "en"), say(enum(value).label, "id")
            if english == str(value) and ("_" in english or english == indonesian) and english not in SAME_IN_BOTH:
                codes.append(f"{name}.{value}")
            if english == indonesian and english not in SAME_IN_BOTH and not english.startswith(("WIB", "WIT")):
                untranslated.append(f"{name}.{value}: {english}")
    assert codes == []
    assert untranslated == []


# --- Notifications: every action and every status, in both languages -------------------------


def expected_action(action: str, language: str) -> str:
    if language == "en" and action in ACTION_EN:
        return ACTION_EN[action]  # the messages' own fuller wording
    return say(Action(action).label, language)


def reporter_recipient(report):
    return Recipient(user=report.reporter, reason=Reason.STATUS, is_reporter=True)


def test_notifications_name_every_action_in_the_recipients_language(world, walked):
    report = walked[Status.DISPATCHED]
    for action in Action.values:
        event = ReportEvent(report=report, at=timezone.now(), actor=world.unit_admin, action=action,
                            from_status=Status.DISPATCHED, to_status=Status.DISPATCHED, agency=world.pupr)
        for language in LANGUAGES:
            words = expected_action(action, language)
            status = say(Status.DISPATCHED.label, language) if language == "id" else "Dispatched to the agency"
            told = compose(event, reporter_recipient(report), language)
            assert told.subject == f"[Lapor #{report.tracking_id}] {words}: {status}", (action, language)
            assert f": {words}.\n" in told.body, (action, language)
            assert told.sms.startswith(f"LAPOR #{report.tracking_id}: {words}. Status: {status}."), (action, language)
            staff = compose(event, Recipient(user=world.agency_admin, reason=Reason.NEW_WORK, is_reporter=False),
                            language)
            assert f"({words}; " in staff.body, (action, language)
            for message in (told, staff):
                for text in (message.subject, message.body, message.sms):
                    assert_readable(text, language, f"notification of {action}")


def test_notifications_name_every_status_in_the_recipients_language(world, walked):
    english_status = {  # the messages' own fuller English (lapor/notifications/messages.py)
        Status.SUBMITTED: "Awaiting verification", Status.DISPATCHED: "Dispatched to the agency",
        Status.IN_PROGRESS: "Answered", Status.RETURNED: "Returned for completion",
    }
    for key, report in walked.items():
        event = report.events.order_by("-at", "-id").first()
        for language in LANGUAGES:
            if key == "awaiting_transfer":
                status = say(AWAITING_TRANSFER, language)
            elif language == "en":
                status = english_status.get(key) or say(Status(key).label, "en")
            else:
                status = say(Status(key).label, "id")
            told = compose(event, reporter_recipient(report), language)
            assert f"{status}." in told.body and told.subject.endswith(f": {status}"), (key, language, told.subject)
            for reason in (Reason.REMINDER, Reason.ESCALATION, Reason.OUTER_LIMIT):
                staff = compose(event, Recipient(user=world.national_admin, reason=reason, is_reporter=False),
                                language)
                assert status in staff.body, (key, reason, language)
                assert_readable(staff.body, language, f"{reason} notification")
            assert_readable(told.body + told.subject + told.sms, language, f"notification in status {key}")


def test_news_for_followers_and_early_warnings_read_in_the_recipients_language(world, walked, harmony):
    from lapor.harmony.enums import Vulnerability
    from lapor.harmony.models import HarmonyAlert
    from lapor.harmony.services import alert_message, alert_sms

    report = walked[Status.IN_PROGRESS]
    for action in (Action.VERIFY, Action.ANSWER):
        event = report.events.filter(action=action).get()
        for language in LANGUAGES:
            told = compose(event, Recipient(user=world.other_citizen, reason=Reason.FOLLOWING, is_reporter=False),
                           language)
            assert_readable(f"{told.subject} {told.body} {told.sms}", language, "news for a follower")
            assert (tr("Lihat laporan: %(url)s", language) % {"url": told.url}) in told.body
    for level in Vulnerability.values:
        alert = HarmonyAlert(threshold=harmony.threshold, region=harmony.region("63.72.02"), incident_count=3,
                             window_start=datetime.date(2026, 5, 1), window_end=datetime.date(2026, 5, 12),
                             max_level=level, raised_at=timezone.now())
        for language in LANGUAGES:
            with translation.override(language):
                subject, body = alert_message(alert)
                sms = alert_sms(alert)
                top = str(Vulnerability(level).label).lower()
            assert f"{top})" in body, (level, language, body)
            other = say(Vulnerability(level).label, other_language(language)).lower()
            words = f"{subject} {body} {sms}".replace(harmony.threshold.name, "")  # the name is the office's own
            assert other == top or other not in words, (level, language)


def test_the_notification_centre_names_why_in_the_readers_language(world, settings):
    now = timezone.now()
    for reason in Reason.values:
        Notification.objects.create(key=f"uji:{reason}", recipient=world.citizen, channel=NotificationChannel.IN_APP,
                                    reason=reason, subject="Kabar uji", body="Isi", url="/", created_at=now,
                                    sent_at=now, status="sent")
    client = reader_client(world.citizen)
    for language in LANGUAGES:
        html, text = page_text(client, "/notifikasi/", language)
        for reason in Reason.values:
            if reason == Reason.HARMONY_ALERT and not settings.LAPOR_SILAPAT_ENABLED:
                continue  # SILAPAT switched off: its alerts are not shown
            assert say(Reason(reason).label, language) in text, (reason, language)
        assert_readable(text, language, "the notification centre")


# --- Portal ---------------------------------------------------------------------------------

BADGE = re.compile(r'<span class="badge status-([a-z_]+)">([^<]*)</span>')


def test_the_report_page_shows_every_status_in_the_readers_language(world, walked):
    client = reader_client(world.citizen)
    for key, report in walked.items():
        for language in LANGUAGES:
            html, text = page_text(client, report.get_absolute_url(), language)
            badges = BADGE.findall(html)
            assert badges and badges[0] == (report.status, status_label(report, language)), (key, language, badges)
            assert_readable(text, language, f"the report page in status {key}")


def test_the_report_page_names_every_archive_reason_and_kind(world, walked):
    original = walked[Status.DISPATCHED]
    admin = world.agency_admin
    archived = {
        reason: walk(world, lambda r, reason=reason: services.report_archive(report=r, by=admin, reason=reason))
        for reason in (ArchiveReason.SPAM, ArchiveReason.UNINTELLIGIBLE, ArchiveReason.TOO_GENERAL,
                       ArchiveReason.NOT_GOVERNMENT)
    }
    archived[ArchiveReason.DUPLICATE] = walk(
        world, lambda r: services.report_mark_duplicate(report=r, by=admin, original=original))
    never = walk(world, "return")
    services.report_expire_return(report=never, now=never.due_at + datetime.timedelta(days=1))
    never.refresh_from_db()
    archived[ArchiveReason.NEVER_COMPLETED] = never
    kinds = {kind: walk(world, kind=kind) for kind in Kind.values}
    client = reader_client(world.citizen)
    for language in LANGUAGES:
        for reason, report in archived.items():
            assert report.archive_reason == reason
            html, text = page_text(client, report.get_absolute_url(), language)
            assert say(ArchiveReason(reason).label, language) in text, (reason, language)
            assert_readable(text, language, f"an archived report ({reason})")
        for kind, report in kinds.items():
            html, text = page_text(client, report.get_absolute_url(), language)
            assert say(Kind(kind).label, language) in text, (kind, language)
            assert_readable(text, language, f"a report of kind {kind}")


TIMELINE_ENTRY = re.compile(r"<li>\s*<p><strong>([^<]*)</strong>")


def test_the_report_history_names_every_action_in_the_readers_language(world, every_action):
    report = every_action
    client = reader_client(world.citizen)
    shown = [e for e in policy.visible_events(world.citizen, report)]
    assert {e.action for e in shown} == set(Action.values) - INTERNAL
    for language in LANGUAGES:
        html, text = page_text(client, report.get_absolute_url(), language)
        entries = [markup.unescape(e) for e in TIMELINE_ENTRY.findall(html)]
        assert entries == [say(Action(e.action).label, language) for e in shown], language
        for e in shown:
            if e.to_status and e.to_status != e.from_status:
                with translation.override(language):
                    assert f"{e.to_status_label}" in text
        assert_readable(text, language, "the report's history")


def test_report_lists_show_every_status_in_the_readers_language(world, walked):
    citizen = reader_client(world.citizen)
    public = reader_client()
    for language in LANGUAGES:
        html = get(citizen, "/laporan-saya/", language).content.decode()
        badges = {tracking: label for label, tracking in re.findall(
            r'<span class="badge status-[a-z_]+">([^<]*)</span> #(\d+)', html)}
        for key, report in walked.items():
            assert badges.get(report.tracking_id) == status_label(report, language), (key, language)
        assert_readable(visible(html), language, "my reports")

        html = get(public, "/laporan/", language).content.decode()
        for key, report in published(walked).items():
            item = re.search(rf'{report.tracking_id}/">[^<]*</a></h3>\s*<p class="meta">'
                             r'<span class="badge status-[a-z_]+">([^<]*)</span>\s*([^·]*?) ·', html)
            assert item, (key, language)
            assert item.group(1) == status_label(report, language), (key, language)
            assert item.group(2).strip() == say(report.get_kind_display(), language)
        assert_readable(visible(html), language, "the public list")


def test_the_personal_data_download_says_what_its_codes_mean(world, walked):
    client = reader_client(world.citizen)
    for language in LANGUAGES:
        data = json.loads(get(client, "/profil/data-pribadi.json", language).content)
        by_id = {r["tracking_id"]: r for r in data["reports"]}
        for key, report in walked.items():
            row = by_id[report.tracking_id]
            assert row["status"] == report.status and row["status_label"] == status_label(report, language)
            assert row["kind_label"] == say(Kind(report.kind).label, language)
            for entry in row["history"]:
                assert entry["label"] == say(Action(entry["action"]).label, language)
                assert_readable(f'{entry["label"]} · {entry["to_status_label"]}', language, "the personal data")
            if key == "awaiting_transfer":
                assert row["history"][-1]["to_status_label"] == say(AWAITING_TRANSFER, language)
        with translation.override(language):
            assert data["profile"]["sex"] == "F" and data["profile"]["sex_label"] == Sex.FEMALE.label


# --- Back office ------------------------------------------------------------------------------


def test_the_workspace_shows_every_status_and_action_in_the_readers_language(world, walked, every_action):
    client = staff_client(world.national_admin)
    for language in LANGUAGES:
        for key, report in walked.items():
            html, text = page_text(client, f"/kantor/laporan/{report.tracking_id}/", language)
            badges = BADGE.findall(html)
            assert badges[0] == (report.status, status_label(report, language)), (key, language)
            assert say(Channel(report.channel).label, language) in text
            assert_readable(text, language, f"the workspace in status {key}")
        html, text = page_text(client, f"/kantor/laporan/{every_action.tracking_id}/", language)
        entries = [markup.unescape(e)
                   for e in re.findall(r'<li class="(?:internal)?">\s*<strong>([^<]*)</strong>', html)]
        assert set(entries) == {say(a.label, language) for a in Action}, language
        assert entries == [say(Action(e.action).label, language) for e in every_action.events.all()], language
        assert_readable(text, language, "the workspace's history")


def test_the_workspace_names_what_a_report_reveals_in_the_readers_language(world):
    report = submit(world, title="Pungutan liar oleh Pak Budi Santoso",
                    body="Pak Budi Santoso, telepon 081234567890, meminta uang.")
    client = staff_client(world.agency_admin)
    for language in LANGUAGES:
        html, text = page_text(client, f"/kantor/laporan/{report.tracking_id}/", language)
        warning = markup.unescape(re.search(r"<strong>[^<]*</strong>\s*\(([^)]*)\)", html).group(1))
        assert warning == f'{tr("nama orang", language)}, {tr("nomor telepon", language)}', (language, warning)
        assert_readable(text, language, "the workspace's warning")
        if language == "en":
            assert "nomor telepon" not in text and "nama orang" not in text


def test_the_inbox_shows_every_status_kind_and_channel_in_the_readers_language(world, walked):
    for channel in Channel.values:
        walk(world, channel=channel)
    for kind in Kind.values:
        walk(world, kind=kind)
    client = staff_client(world.national_admin)
    for language in LANGUAGES:
        html, text = page_text(client, "/kantor/?tab=semua", language)
        for key, report in walked.items():
            row = re.search(rf"#{report.tracking_id} .*?</tr>", html, re.S).group(0)
            assert BADGE.search(row).group(2) == status_label(report, language), (key, language)
        for channel in Channel.values:
            assert f"· {say(Channel(channel).label, language)} ·" in text, (channel, language)
        for kind in Kind.values:
            assert say(Kind(kind).label, language) in text, (kind, language)
        assert_readable(text, language, "the inbox")


def test_the_audit_log_names_fields_types_and_roles_in_the_readers_language(world):
    from lapor.accounts.proxies import proxy_appoint, proxy_dismiss
    from lapor.agencies.services import membership_grant
    from lapor.audit.models import CLOSED_EARLY, AuditEntry
    from lapor.regions.models import Region
    from lapor.transparency import services as transparency
    from tests.factories import RegionFactory

    village = RegionFactory(code="63.72.02.1005", name="Guntung Manggis",
                            parent=RegionFactory(code="63.72.02", name="Landasan Ulin",
                                                 parent=RegionFactory(code="63.72", name="Kota Banjarbaru")))
    world.pemkot.region = Region.objects.get(code="63.72")
    world.pemkot.save()
    profile = world.other_citizen.profile
    proxy_appoint(by=world.agency_admin, user=world.other_citizen, region=village)
    proxy_dismiss(by=world.agency_admin, profile=type(profile).objects.get(pk=profile.pk))
    with translation.override("en"):  # granted from the English pages
        membership, _created = membership_grant(by=world.agency_admin, user=world.other_citizen, agency=world.dinkes,
                                                role=Role.OFFICER)
    # The log keeps the name of what was acted on as it was, in the site's language.
    assert AuditEntry.objects.get(object_type="agencies.membership").object_label == (
        f"{world.other_citizen} — {say(Role.OFFICER.label, 'id')} — {world.dinkes}")
    now = timezone.now()
    poll = transparency.poll_publish(agency=world.pemkot, by=world.agency_admin, question="Jalan mana dulu?",
                                     options=["Jalan A", "Jalan B"], closes_at=now + datetime.timedelta(days=3))
    transparency.poll_close(poll=poll, by=world.agency_admin)
    survey = transparency.ikm_survey_open(agency=world.pemkot, by=world.agency_admin, title="IKM 2026",
                                          opens_on=timezone.localdate(),
                                          closes_on=timezone.localdate() + datetime.timedelta(days=30))
    transparency.ikm_survey_close(survey=survey, by=world.agency_admin)
    client = staff_client(world.national_admin)
    # The fields of the log's changes ("field: old → new"): never the names Django makes up
    # for fields their models leave unnamed ("created by", "user" in an Indonesian page).
    unnamed = {"id": {"created by", "created at", "poll option", "options", "user"},
               "en": {"created at", "poll option", "options"}}
    for language in LANGUAGES:
        html, text = page_text(client, "/kantor/audit/", language)
        changes = {markup.unescape(c) for c in re.findall(r"<li>([^<:]*):", html)}
        assert changes and not changes & unnamed[language], (language, changes)
        assert {tr(w, language) for w in ("pengguna", "perwakilan RT/RW", "dibuat oleh", "dibuat")} <= changes
        assert say(Role.OFFICER.label, language) in text
        assert say(Role.AGENCY_ADMIN.label, language) in text
        # Values as the pages write them: the village by name, times and dates in the
        # reader's format, not as kept ("63.72.02.1005", "2026-12-09 03:15:00+00:00").
        assert "Guntung Manggis (63.72.02.1005)" in text
        assert not re.search(r"\d{4}-\d\d-\d\d", text), re.findall(r".{40}\d{4}-\d\d-\d\d.{20}", text)
        # The note "closed early" is shown in the reader's language; the names of what was
        # acted on are kept as they were (like a report's title).
        words = text
        for recorded in AuditEntry.objects.values_list("object_label", flat=True):
            words = words.replace(recorded, "")
        assert_readable(words, language, "the audit log")
        if language == "en":
            assert "perwakilan RT/RW" not in text
            assert CLOSED_EARLY not in text and text.count("Closed early.") == 2
        else:
            assert text.count(CLOSED_EARLY) == 2


# --- REST API ---------------------------------------------------------------------------------


def api_client(user):
    from rest_framework.test import APIClient

    from lapor.api.tokens import token_issue

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_issue(user=user)}")
    return client


def api_rows(client, url: str, language: str) -> list[dict]:
    """The rows of an API list, paginated or not."""
    answer = get(client, url, language).json()
    return answer["results"] if isinstance(answer, dict) else answer


def assert_status_labels(rows: list[dict], walked: dict, language: str):
    """Every walked report among ``rows`` reads its status in ``language``."""
    by_id = {r["tracking_id"]: r for r in rows}
    for key, report in walked.items():
        if report.tracking_id in by_id:
            assert by_id[report.tracking_id]["status_label"] == status_label(report, language), key


def test_the_api_labels_every_status_kind_and_action_in_the_readers_language(world, walked, every_action):
    citizen, admin = api_client(world.citizen), api_client(world.national_admin)
    for language in LANGUAGES:
        for key, report in walked.items():
            data = get(citizen, f"/api/v1/reports/{report.tracking_id}/", language).json()
            assert data["status"] == report.status and data["status_label"] == status_label(report, language), key
            assert data["kind_label"] == say(Kind(report.kind).label, language)
            assert data["channel_label"] == say(Channel(report.channel).label, language)
            assert data["archive_reason_label"] == (
                say(ArchiveReason(report.archive_reason).label, language) if report.archive_reason else None)
            events = {e.pk: e for e in report.events.all()}
            for entry, event in zip(data["history"], policy.visible_events(world.citizen, report)):
                assert entry["label"] == say(Action(entry["action"]).label, language), (key, entry["action"])
                with translation.override(language):
                    assert (entry["from_status_label"], entry["to_status_label"]) == (
                        str(events[event.pk].from_status_label), str(events[event.pk].to_status_label))
                assert_readable(f'{entry["from_status_label"]} {entry["to_status_label"]}', language, "API history")
        data = get(admin, f"/api/v1/reports/{every_action.tracking_id}/", language).json()
        assert [e["label"] for e in data["history"]] == [
            say(Action(e.action).label, language) for e in every_action.events.all()], language
        assert {e["label"] for e in data["history"]} == {say(a.label, language) for a in Action}
        assert_readable(json.dumps([{k: v for k, v in e.items() if k.endswith("label")} for e in data["history"]],
                                   ensure_ascii=False), language, "the API's history")
        assert_status_labels(api_rows(citizen, "/api/v1/reports/", language), walked, language)


def test_the_apis_other_answers_label_their_codes_in_the_readers_language(world, walked):
    from lapor.agencies.models import Agency
    from lapor.regions.models import Region
    from tests.factories import RegionFactory

    RegionFactory(code="63.72", name="Kota Banjarbaru", parent=RegionFactory(code="63", name="Kalimantan Selatan"))
    citizen, admin = api_client(world.citizen), api_client(world.national_admin)
    for language in LANGUAGES:
        rows = api_rows(citizen, "/api/v1/agencies/", language)
        assert rows
        for row in rows:
            assert row["kind_label"] == say(Agency.Kind(row["kind"]).label, language), (row, language)
        rows = api_rows(citizen, "/api/v1/regions/", language)
        assert rows
        for row in rows:
            assert row["level_label"] == say(Region.Level(row["level"]).label, language), (row, language)
        assert_status_labels(api_rows(admin, "/api/v1/inbox/", language), walked, language)
    # Handed back as "bukan wewenang" through the API: the unit no longer sees it, and is
    # told where it went and how it now reads.
    for language in LANGUAGES:
        report = walk(world, "verify")
        answer = api_client(world.unit_admin).post(
            f"/api/v1/reports/{report.tracking_id}/not-our-authority/", {"reason": "Jalan provinsi"}, format="json",
            HTTP_ACCEPT_LANGUAGE=language)
        assert answer.status_code == 200, answer.content
        assert answer.json()["status_label"] == say(AWAITING_TRANSFER, language)


def test_refusals_name_the_status_and_the_action_in_the_readers_language(world, walked):
    """"A report in status X cannot Y": the status and action words, never their codes."""
    admin, citizen = api_client(world.national_admin), api_client(world.citizen)
    tries = [  # (who, endpoint, data, action)
        (admin, "close", {"reason": "Selesai lewat telepon"}, Action.CLOSE),
        (admin, "postpone", {"reason": "Menunggu foto"}, Action.POSTPONE),
        (admin, "return", {"missing": "Foto lokasi"}, Action.RETURN),
        (citizen, "reply", {"text": "Belum diperbaiki"}, Action.REPLY),
        (citizen, "reopen", {"reason": "Rusak lagi"}, Action.REOPEN),
        (citizen, "complete", {"addition": "Depan SDN 1"}, Action.COMPLETE),
    ]
    for key, report in walked.items():
        for who, endpoint, data, action in tries:
            if report.status in policy.TRANSITIONS[action][0]:
                continue
            for language in LANGUAGES:
                answer = who.post(f"/api/v1/reports/{report.tracking_id}/{endpoint}/", data, format="json",
                                  HTTP_ACCEPT_LANGUAGE=language)
                assert answer.status_code == 400, (key, endpoint, answer.content)
                detail = answer.json()["detail"]
                with translation.override(language):
                    assert str(report.status_label) in detail and str(Action(action).label).lower() in detail, (
                        key, endpoint, language, detail)
                assert_readable(detail, language, f"refusing {endpoint} in status {key}")


# --- Open311 ----------------------------------------------------------------------------------


def test_open311_says_every_status_and_action_in_the_readers_language(world, walked):
    public = reader_client()
    shown = published(walked)
    assert {"awaiting_transfer", Status.DISPATCHED, Status.IN_PROGRESS, Status.CLOSED} <= set(shown)
    start = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    for language in LANGUAGES:
        ids = ",".join(r.tracking_id for r in shown.values())
        rows = get(public, f"/open311/v2/requests.json?service_request_id={ids}", language).json()
        by_id = {row["service_request_id"]: row for row in rows}
        for key, report in shown.items():
            assert by_id[report.tracking_id]["service_notice"] == status_label(report, language), (key, language)
        updates = get(public, "/open311/v2/servicerequestupdates.json", language, data={"start_date": start}).json()
        labels = {say(a.label, language) for a in Action}
        for update in updates:
            event = ReportEvent.objects.get(pk=update["update_id"])
            if not policy.visible_events(None, event.report, [event])[0].text:
                assert update["description"] in labels and update["description"] == say(event.get_action_display(),
                                                                                          language), update
        assert_readable(json.dumps(rows + updates, ensure_ascii=False), language, "Open311 requests and updates")


def test_open311_names_the_kinds_of_report_in_the_readers_language(world):
    public = reader_client()
    for language in LANGUAGES:
        definition = get(public, f"/open311/v2/services/{world.category.slug}.json", language).json()
        [kinds] = [a for a in definition["attributes"] if a["code"] == "KIND"]
        assert {v["key"]: v["name"] for v in kinds["values"]} == {
            k: say(Kind(k).label, language) for k in Kind.values if k != Kind.WHISTLEBLOWING}, language


def test_open311_errors_name_the_parameters_the_client_sent(world, client):
    from lapor.open311.models import Client as Open311Client

    app = Open311Client(name="Aplikasi kota", account=world.other_citizen)
    key = app.issue_key()
    app.save()
    sent = {"api_key": key, "service_code": world.category.slug, "lat": "-3.44", "long": "114.83"}
    cases = [  # (what is sent, the parameter the error must name, the report's field it must not)
        ({"description": ""}, "description", "body"),
        ({"description": "Di Berlin", "lat": "52.5", "long": "13.4"}, "lat", "latitude"),
        ({"description": "Jalan rusak", "attribute[INCIDENT_DATE]": "2099-01-01"}, "attribute[INCIDENT_DATE]",
         "incident_date"),
        ({"description": "Jalan rusak", "attribute[TITLE]": "x" * 201}, "attribute[TITLE]", "title"),
    ]
    for data, parameter, field in cases:
        for language in LANGUAGES:
            response = client.post("/open311/v2/requests.json", {**sent, **data}, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 400
            [error] = response.json()
            assert f"{parameter}: " in error["description"], (data, language, error)
            assert not re.search(rf"(^|; ){re.escape(field)}:", error["description"]), (data, language, error)
    assert not Report.objects.filter(channel=Channel.OPEN311).exists()


# --- Atom feeds -------------------------------------------------------------------------------


def test_atom_feeds_say_every_status_and_action_in_the_readers_language(world, walked, every_action):
    public = reader_client()
    for language in LANGUAGES:
        feed = get(public, "/laporan/atom.xml", language).content.decode()
        for key, report in published(walked).items():
            entry = re.search(rf"#{report.tracking_id} .*?</entry>", feed, re.S).group(0)
            assert f"{say(report.get_kind_display(), language)} · {status_label(report, language)}" in entry, key
        assert f'xml:lang="{language}"' in feed
        history = get(public, f"/laporan/{every_action.tracking_id}/atom.xml", language).content.decode()
        titles = [markup.unescape(t) for t in re.findall(r"<entry><title>([^<]*) — ", history)]
        assert sorted(titles) == sorted(say(Action(e.action).label, language)
                                        for e in policy.visible_events(None, every_action)), language
        assert set(titles) == {say(a.label, language) for a in Action if a not in INTERNAL}, language
        assert_readable(visible(feed) + " " + " ".join(titles), language, "the Atom feeds")


# --- SMS 1708 ---------------------------------------------------------------------------------


def test_sms_check_replies_name_every_status_in_indonesian_whatever_the_request_says(world, walked, client, settings):
    settings.KANNEL_INBOUND_SECRET = "rahasia-kannel"
    phone = world.citizen.profile.phone
    for i, (key, report) in enumerate(walked.items()):
        for language in LANGUAGES:
            reply = client.get("/sms/kannel/", {"sender": phone, "text": f"CEK {report.tracking_id}",
                                                "id": f"cek-{i}-{language}", "secret": "rahasia-kannel"},
                               HTTP_ACCEPT_LANGUAGE=language).content.decode()
            assert reply.startswith(f"Laporan {report.tracking_id}: {status_label(report, 'id')}."), (key, reply)
            assert_readable(reply, "id", "an SMS reply")


# --- Webhooks ---------------------------------------------------------------------------------


def test_webhook_payloads_label_every_action_and_status_as_documented(world, every_action, walked):
    from lapor.webhooks.delivery import payload
    from lapor.webhooks.models import Subscriber

    subscriber = Subscriber.objects.create(name="Sistem kota", url="https://kota.example.id/hook", agency=world.pemkot)
    for language in LANGUAGES:  # a payload says the same whatever language is active when it is made
        with translation.override(language):
            for event in every_action.events.all():
                data = payload(event, subscriber)
                assert data["event"] == event.action and data["event_label"] == say(Action(event.action).label, "id")
            for key, report in walked.items():
                data = payload(report.events.order_by("-at", "-id").first(), subscriber)
                assert data["report"]["status_label"] == status_label(report, "id"), key


# --- Statistics, exports, the monthly report ---------------------------------------------------


def test_statistics_exports_and_the_monthly_report_label_every_status_in_the_readers_language(world, walked):
    for channel in Channel.values:
        walk(world, "verify", channel=channel)
    public = reader_client()
    shown = published(walked)
    for language in LANGUAGES:
        response = get(public, "/statistik/", language)
        text = visible(response.content.decode())
        counts = response.context["data"]["counts"]
        status_rows = {r.label for r in counts["status"]}
        assert {status_label(r, language) for r in shown.values()} <= status_rows, (language, status_rows)
        assert {say(Channel(c).label, language) for c in Channel.values} <= {r.label for r in counts["channel"]}
        totals = {r.label: r.count for r in response.context["data"]["status_totals"]}
        assert totals[say(AWAITING_TRANSFER, language)] == 1
        assert totals[say(Status.SUBMITTED.label, language)] == 1  # the one not verified yet
        assert_readable(text, language, "the statistics page")

        body = b"".join(get(public, "/statistik/laporan.csv", language).streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(body)))
        status_at = rows[0].index("status")
        by_id = {row[0]: row for row in rows[1:]}
        for key, report in shown.items():
            assert by_id[report.tracking_id][status_at] == status_label(report, language), (key, language)
        assert_readable(" ".join(",".join(row) for row in rows[1:]), language, "the CSV export")

        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(get(public, "/statistik/laporan.xlsx", language).content))
        sheet = list(book.active.iter_rows(values_only=True))
        by_id = {row[0]: row for row in sheet[1:]}
        for key, report in shown.items():
            assert by_id[report.tracking_id][status_at] == status_label(report, language), (key, language)

        month = timezone.localdate().strftime("%Y-%m")
        html, text = page_text(public, f"/kinerja/{world.pemkot.slug}/bulanan/{month}/", language)
        for key, report in shown.items():
            if report.assigned_agency_id:  # the month of the agency handling it
                assert f"<th scope=\"row\">{status_label(report, language)}</th>" in html, (key, language)
        assert_readable(text, language, "the monthly report")


# --- SILAPAT ----------------------------------------------------------------------------------


def test_the_early_warning_map_says_unassessed_in_the_readers_language(world, harmony):
    from lapor.harmony import services as harmony_services
    from lapor.harmony.enums import TensionKind
    from lapor.harmony.selectors import incident_points

    report = harmony_services.harmony_report_submit(
        reporter=world.citizen, title="Ketegangan di lokasi pembangunan", body="Warga berkumpul.",
        tension_kind="antar", groups="", region=harmony.region("63.72.02.1005"))
    services.report_verify(report=report, by=world.agency_admin, agency=harmony.kesbangpol)
    Report.objects.filter(pk=report.pk).update(latitude=-3.44, longitude=114.83)
    for language in LANGUAGES:
        with translation.override(language):
            [point] = incident_points(harmony.office, harmony.operator)
        assert point["label"] == tr("Belum dinilai", language), (language, point)
        assert point["kind"] == say(TensionKind.BETWEEN.label, language)


def test_an_assessment_writes_the_sites_language_into_the_history_whatever_the_assessors(world, harmony):
    from lapor.harmony import services as harmony_services
    from lapor.harmony.enums import TensionKind, Vulnerability

    for language in LANGUAGES:
        report = harmony_services.harmony_report_submit(
            reporter=world.citizen, title="Ketegangan di lokasi pembangunan", body="Warga berkumpul.",
            tension_kind="antar", groups="", region=harmony.region("63.72.02.1005"))
        services.report_verify(report=report, by=world.agency_admin, agency=harmony.kesbangpol)
        with translation.override(language):  # the assessor's page
            harmony_services.harmony_assess(report=report, by=harmony.operator, level=Vulnerability.HIGH)
        note = report.events.get(action=Action.NOTE)
        assert note.text == tr("Tingkat kerawanan SILAPAT: %(level)s (%(kind)s).", "id") % {
            "level": say(Vulnerability.HIGH.label, "id"), "kind": say(TensionKind.BETWEEN.label, "id")}, language


def test_the_raw_code_pattern_catches_the_bug_this_module_was_written_for():
    assert RAW.search("LAPOR #1: postpone. Status: Postponed")
    assert RAW.search("Status: not_our_authority") and RAW.search("is_proxy: ya → tidak")
    assert not RAW.search("/laporan/123/ status-in-progress") and not RAW.search("Postponed · Dispatched")


# --- Every other page that shows reports, people or their roles --------------------------------


def test_every_other_page_reads_in_its_own_language(world, walked, every_action, harmony):
    from lapor.harmony import services as harmony_services
    from lapor.harmony.enums import Vulnerability

    # Something on each page: an escalation and an identity reveal for supervision, a
    # SILAPAT incident assessed and one not.
    ReportEvent.objects.create(report=walked[Status.DISPATCHED], at=timezone.now(), actor=None, actor_role="system",
                               action=Action.ESCALATE, from_status=Status.DISPATCHED, to_status=Status.DISPATCHED,
                               agency=world.pupr, is_internal=True)
    services.report_reveal_identity(report=walk(world, "verify", is_anonymous=True), by=world.custodian,
                                    reason="Permintaan penyidik")
    for level in (None, Vulnerability.HIGH):
        report = harmony_services.harmony_report_submit(
            reporter=world.citizen, title="Ketegangan di lokasi pembangunan", body="Warga berkumpul.",
            tension_kind="antar", groups="", region=harmony.region("63.72.02.1005"))
        services.report_verify(report=report, by=world.agency_admin, agency=harmony.kesbangpol)
        if level:
            harmony_services.harmony_assess(report=report, by=harmony.operator, level=level)
    office = f"?kantor={harmony.office.pk}"
    pages = {
        None: ["/", "/laporan/", "/peta/", "/statistik/", "/kinerja/", f"/kinerja/{world.pemkot.slug}/",
               "/opini/", "/silapat/"],
        world.citizen: ["/profil/", "/ikuti/", "/notifikasi/", "/laporan-saya/",
                        f"/laporan/{walked['awaiting_transfer'].tracking_id}/"],
        world.national_admin: ["/kantor/?tab=semua", "/kantor/pengawasan/", "/kantor/kelola/", "/kantor/kelola/staf/",
                               "/kantor/kelola/unit/", "/kantor/kelola/perwakilan/", "/kantor/kelola/rute/",
                               "/kantor/kelola/templat/", "/kantor/audit/", "/kantor/opini/", "/kantor/survei/"],
        world.inspector: ["/kantor/", "/kantor/pengawasan/", f"/kantor/laporan/{every_action.tracking_id}/"],
        harmony.head: [f"/kantor/silapat/{office}", f"/kantor/silapat/peringatan/{office}",
                       f"/kantor/silapat/ambang/{office}", f"/kantor/silapat/penerima/{office}"],
    }
    for person, urls in pages.items():
        client = staff_client(person) if person is not None and person.memberships.exists() else reader_client(person)
        for url in urls:
            for language in LANGUAGES:
                html, text = page_text(client, url, language)
                assert_readable(text, language, url)

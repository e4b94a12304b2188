"""SILAPAT writes: harmony incidents and their assessment, early warning, the visitor
counter. Registry imports live in ``lapor.harmony.importing``.

A harmony incident is a report: it is received, verified, dispatched, answered and
closed by ``lapor.reports.services`` like any other, and nothing here sets its status.
What SILAPAT adds (tension kind, groups, vulnerability level) lives in
``HarmonyIncident``; each level an operator sets is also an internal note in the report's
history, written through ``report_add_note``.
"""
from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lapor.agencies.routing import suggest_agency
from lapor.audit.models import AuditAction
from lapor.audit.services import audit_record, diff, snapshot, stored_snapshot
from lapor.harmony import access, selectors
from lapor.harmony.categories import harmony_categories, is_harmony_category, tension_for
from lapor.harmony.enums import TensionKind, ThresholdScope, Vulnerability
from lapor.harmony.models import (
    HarmonyAlert, HarmonyAssessment, HarmonyIncident, HarmonyOffice,
    HarmonyRole, HarmonyThreshold, VisitorCount,
)
from lapor.harmony.selectors import office_zone
from lapor.regions.models import Region
from lapor.reports import policy
from lapor.reports import services as lifecycle
from lapor.reports.enums import Status
from lapor.reports.errors import ActionForbidden, TransitionNotAllowed
from lapor.reports.models import Report
from lapor.reports.sensitivity import names_people

log = logging.getLogger(__name__)


def _now(now):
    return now or timezone.now()


def _district_and_village(region: Region | None) -> tuple[str | None, str | None]:
    if region is None or region.level < Region.Level.DISTRICT:
        return None, None
    parts = region.code.split(".")
    return ".".join(parts[:3]), (region.code if region.level == Region.Level.VILLAGE else None)


def _clean_groups(groups) -> str:
    if isinstance(groups, (list, tuple)):
        groups = ", ".join(g.strip() for g in groups if g and g.strip())
    return (groups or "").strip()


# --- Incidents ----------------------------------------------------------------------------


@transaction.atomic
def harmony_report_submit(
    *,
    reporter,
    title: str,
    body: str,
    tension_kind: str,
    groups="",
    category=None,
    region=None,
    is_confidential: bool = False,
    now: datetime.datetime | None = None,
    **report_fields,
) -> Report:
    """File a harmony incident: a report (through ``report_submit``) plus its
    ``HarmonyIncident``.

    Confidential by default when groups are named or the text names people
    (``names_people``): a report about a named community or person in a tense place must
    never become public by a verifier's oversight; the verifier may lift it. The report is
    addressed to the Kesbangpol unit the routing rules give for the region (or the
    region's SILAPAT office) unless the reporter chose an agency. Raises ValidationError
    per field; writes nothing then. Side effects: those of ``report_submit`` (event,
    notifications after commit)."""
    now = _now(now)
    groups = _clean_groups(groups)
    errors = {}
    if tension_kind not in TensionKind.values:
        errors["tension_kind"] = _("Pilih jenis ketegangan.")
    if category is not None and not is_harmony_category(category):
        errors["category"] = _("Pilih salah satu kategori kerukunan umat beragama.")
    if errors:
        raise ValidationError(errors)
    if category is None:
        category = harmony_categories().filter(is_active=True, slug__endswith=_slug_suffix(tension_kind)).first()
    office = access.office_for_region(region)
    addressed = report_fields.pop("addressed_agency", None) or suggest_agency(category=category, region=region) or (
        office.agency if office else None)
    confidential = is_confidential or bool(groups) or names_people(title, body, groups)
    report = lifecycle.report_submit(
        reporter=reporter, title=title, body=body, category=category, region=region, addressed_agency=addressed,
        is_confidential=confidential, now=now, **report_fields,
    )
    _incident_for(report, tension_kind=tension_kind, groups=groups, now=now)
    return report


def _slug_suffix(tension_kind: str) -> str:
    return {
        TensionKind.BETWEEN: "antarumat-beragama",
        TensionKind.WITHIN: "intern-umat-beragama",
        TensionKind.WITH_GOVERNMENT: "umat-beragama-dengan-pemerintah",
    }[tension_kind]


def _incident_fields(report: Report, office: HarmonyOffice | None, *, tension_kind: str | None,
                     groups: str | None, now) -> dict:
    district, village = _district_and_village(report.region)
    return {
        "office": office,
        "tension_kind": tension_kind or tension_for(report.category),
        "groups": groups or "",
        # The day it was reported where it happened: the Kesbangpol office's own day.
        "occurred_on": report.incident_date or timezone.localdate(report.created_at, office_zone(office)),
        "district_id": district,
        "village_id": village,
        "created_at": now,
    }


def _incident_for(report: Report, *, tension_kind: str | None, groups: str | None, now) -> HarmonyIncident:
    incident, created = HarmonyIncident.objects.get_or_create(
        report=report,
        defaults=_incident_fields(report, _office_of(report), tension_kind=tension_kind, groups=groups, now=now),
    )
    if not created:
        changed = []
        if tension_kind and tension_kind != incident.tension_kind:
            incident.tension_kind = tension_kind
            changed.append("tension_kind")
        if groups is not None and groups != incident.groups:
            incident.groups = groups
            changed.append("groups")
        if changed:
            incident.save(update_fields=changed)
    return incident


ADOPT_BATCH = 500


def harmony_adopt_reports(*, office: HarmonyOffice, now: datetime.datetime | None = None) -> int:
    """Make incidents of the reports that reached the office's Kesbangpol unit (addressed
    or assigned to it or a section below it) through the ordinary route: filed under a
    SILAPAT category on the general form, or verified into one by a router (an SMS).
    They then appear on the early-warning page, in its trend and map, and can be assessed,
    like those filed on /silapat/lapor/. Returns how many were made: only the rows really
    inserted, never one whose incident another check or an assessment made meanwhile.

    Run by the periodic check and by an operator's "Catat sebagai kejadian sekarang" (a
    POST on the early-warning page); never by opening a page. Side effects:
    ``HarmonyIncident`` rows without a level (the level is the operator's); the report is
    untouched. Archived reports are left alone (``selectors.waiting_reports``).

    Made in batches, each report's office found once per agency and region: the first
    check after SILAPAT is switched on (or after a legacy import) may find thousands. Two
    checks at once make each incident once (the report's incident is unique)."""
    now = _now(now)
    waiting = selectors.waiting_reports(office).select_related("region", "category")
    by_agency: dict = {}
    by_region: dict = {}

    def office_of(report: Report) -> HarmonyOffice | None:  # as _office_of, each lookup once
        for agency_id in (report.assigned_agency_id, report.addressed_agency_id):
            if agency_id not in by_agency:
                by_agency[agency_id] = HarmonyOffice.objects.select_related("agency").filter(agency_id=agency_id).first()
            if by_agency[agency_id] is not None:
                return by_agency[agency_id]
        if report.region_id not in by_region:
            by_region[report.region_id] = access.office_for_region(report.region)
        return by_region[report.region_id]

    made = 0
    batch: list[HarmonyIncident] = []
    for report in waiting.iterator(chunk_size=ADOPT_BATCH):
        batch.append(HarmonyIncident(report=report, **_incident_fields(report, office_of(report), tension_kind=None,
                                                                          groups=None, now=now)))
        if len(batch) == ADOPT_BATCH:
            made += _insert_new(batch)
            batch = []
    if batch:
        made += _insert_new(batch)
    return made


def _insert_new(incidents: list[HarmonyIncident]) -> int:
    """Insert ``incidents``, skipping each whose report has its incident already (made
    since the reports were read: another check, an assessment); returns how many rows
    were inserted, as the database counts them. ``bulk_create(ignore_conflicts=True)``
    returns every object passed, made or skipped, so the sweep's count would lie.
    ``INSERT … ON CONFLICT DO NOTHING`` (PostgreSQL; SQLite since 3.24), in batches the
    backend's bound parameters allow."""
    connection = connections[router.db_for_write(HarmonyIncident)]
    meta = HarmonyIncident._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = connection.ops.bulk_batch_size(fields, incidents) or len(incidents)
    made = 0
    with connection.cursor() as cursor:
        for start in range(0, len(incidents), size):
            chunk = incidents[start:start + size]
            params = [f.get_db_prep_save(getattr(obj, f.attname), connection) for obj in chunk for f in fields]
            cursor.execute(f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {', '.join([row] * len(chunk))} "
                           f"ON CONFLICT ({quote(meta.get_field('report').column)}) DO NOTHING", params)
            made += cursor.rowcount
    return made


def can_assess(user, report: Report) -> bool:
    """Staff with full access to the report (``policy.has_full_access``) who are
    operators of the SILAPAT office for the report's region (or of the Kesbangpol unit
    it is assigned or addressed to)."""
    if not policy.has_full_access(user, report):
        return False
    office = _office_of(report)
    return office is not None and access.is_operator(user, office)


def _office_of(report: Report) -> HarmonyOffice | None:
    incident = getattr(report, "harmony_incident", None) if report.pk else None
    if incident is not None and incident.office_id:
        return incident.office
    for agency_id in (report.assigned_agency_id, report.addressed_agency_id):
        office = HarmonyOffice.objects.select_related("agency").filter(agency_id=agency_id).first()
        if office is not None:
            return office
    return access.office_for_region(report.region)


@transaction.atomic
def harmony_assess(
    *,
    report: Report,
    by,
    level: int,
    tension_kind: str | None = None,
    groups=None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> HarmonyIncident:
    """An operator sets (or changes) the incident's vulnerability level, and may correct
    its tension kind and groups.

    Allowed only to ``can_assess`` staff, on a harmony report (an incident, or a report in
    a SILAPAT category) that is not archived. Side effects: a ``HarmonyAssessment`` row;
    an internal note in the report's history (``report_add_note``); the office's
    thresholds checked for the incident's district and village, which may raise an
    early warning (``harmony_check_thresholds``; its notifications go out after commit).
    Raises ActionForbidden, TransitionNotAllowed or ValidationError; writes nothing then."""
    now = _now(now)
    report = Report.objects.select_related("region", "category", "assigned_agency", "addressed_agency").get(
        pk=report.pk)
    if not can_assess(by, report):
        raise ActionForbidden(_("Hanya operator Kesbangpol yang menangani laporan ini yang dapat menilai kerawanannya."))
    has_incident = HarmonyIncident.objects.filter(report=report).exists()
    if not has_incident and not is_harmony_category(report.category):
        raise ValidationError({"report": _("Laporan ini bukan laporan kerukunan umat beragama.")})
    if report.status == Status.ARCHIVED:
        raise TransitionNotAllowed(_("Laporan yang diarsipkan tidak dinilai kerawanannya."))
    try:
        level = Vulnerability(int(level))
    except (TypeError, ValueError):
        raise ValidationError({"level": _("Pilih tingkat kerawanan: rendah, sedang, tinggi atau kritis.")}) from None
    if tension_kind is not None and tension_kind not in TensionKind.values:
        raise ValidationError({"tension_kind": _("Pilih jenis ketegangan.")})
    groups = None if groups is None else _clean_groups(groups)
    incident = _incident_for(report, tension_kind=tension_kind, groups=groups, now=now)
    if incident.office_id is None:
        # A report outside every office's area that reached a Kesbangpol unit anyway
        # (transferred there): it counts for the office that assesses it.
        incident.office = _office_of(report)
    incident.level, incident.assessed_at, incident.assessed_by = level, now, by
    incident.save(update_fields=["level", "assessed_at", "assessed_by", "office"])
    note = (note or "").strip()
    HarmonyAssessment.objects.create(incident=incident, level=level, by=by, at=now, note=note)
    # Written into the history for every reader, so in the site's language, not in whichever
    # the assessor's page was in (an English page wrote English into Indonesian histories).
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Tingkat kerawanan SILAPAT: %(level)s (%(kind)s).") % {
            "level": level.label, "kind": incident.get_tension_kind_display()}
    lifecycle.report_add_note(report=report, by=by, text=f"{text} {note}".strip(), now=now)
    if incident.office_id:
        harmony_check_thresholds(office=incident.office, district=incident.district_id, village=incident.village_id,
                                 now=now)
    return incident


@transaction.atomic
def harmony_verify(
    *,
    report: Report,
    by,
    level: int,
    tension_kind: str | None = None,
    groups=None,
    is_confidential: bool | None = None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> HarmonyIncident:
    """Verify a harmony report to the Kesbangpol unit and set its vulnerability level in
    one step (the operator who is also the router of reports addressed to Kesbangpol).
    ``note`` is the assessment's, internal as in ``harmony_assess``: the verification's own
    text is public (the reporter reads it and gets it by e-mail), so it is left empty.
    Side effects: those of ``report_verify`` and ``harmony_assess``; all or nothing."""
    now = _now(now)
    office = _office_of(report)
    agency = office.agency if office else None
    lifecycle.report_verify(report=report, by=by, agency=agency, is_confidential=is_confidential, now=now)
    return harmony_assess(report=report, by=by, level=level, tension_kind=tension_kind, groups=groups, note=note,
                          now=now)


# --- Early warning ------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    raised: list
    cleared: int


def _window(threshold: HarmonyThreshold, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return today - datetime.timedelta(days=threshold.days - 1), today


@transaction.atomic
def harmony_check_thresholds(
    *,
    office: HarmonyOffice | None = None,
    district: str | None = None,
    village: str | None = None,
    now: datetime.datetime | None = None,
) -> CheckResult:
    """Compare the incidents of the last ``days`` days (up to today, in the office's own
    zone, its Kesbangpol unit's) with every active threshold; raise an alert for each region that crosses one and
    has no ongoing alert for it, and clear ongoing alerts whose region fell below it.

    Idempotent: an ongoing crossing is raised once, however often this runs (after each
    assessment, and periodically from the sweep or ``manage.py silapat_check``); two runs
    at once are kept apart by the one ongoing alert allowed per (threshold, region); a new
    crossing after an alert cleared is a new alert. Limit the work
    with ``office``, ``district`` or ``village`` (codes). A threshold with a region counts
    only the districts/villages inside it. Side effects: ``HarmonyAlert`` rows and, for each
    new one, notifications to the office's head and leadership (``notifications_notify``:
    in-app at once, e-mail/SMS queued after commit)."""
    now = _now(now)
    thresholds = HarmonyThreshold.objects.filter(is_active=True).select_related("office__agency")
    if office is not None:
        thresholds = thresholds.filter(office=office)
    raised, cleared = [], 0
    for threshold in thresholds:
        today = timezone.localdate(now, office_zone(threshold.office))
        start, end = _window(threshold, today)
        field = "district_id" if threshold.scope == ThresholdScope.DISTRICT else "village_id"
        incidents = HarmonyIncident.objects.filter(
            office=threshold.office, level__gte=threshold.min_level, occurred_on__gte=start, occurred_on__lte=end,
        ).exclude(report__status=Status.ARCHIVED).exclude(**{f"{field}__isnull": True})
        if threshold.region_id:
            incidents = incidents.filter(_within(threshold.region_id, field))
        only = district if threshold.scope == ThresholdScope.DISTRICT else village
        if district or village:
            if not only:
                continue
            incidents = incidents.filter(**{field: only})
        counts = {
            row[field]: row
            for row in incidents.values(field).annotate(n=Count("id"), top=Max("level"))
        }
        crossing = {code: row for code, row in counts.items() if row["n"] >= threshold.count}
        ongoing = HarmonyAlert.objects.filter(threshold=threshold, cleared_on__isnull=True)
        if district or village:
            ongoing = ongoing.filter(region_id=only)
        for alert in ongoing:
            if alert.region_id not in crossing:
                alert.cleared_on = today
                alert.save(update_fields=["cleared_on"])
                cleared += 1
        open_regions = set(ongoing.filter(cleared_on__isnull=True).values_list("region_id", flat=True))
        for code, row in crossing.items():
            if code in open_regions:
                continue
            oldest = incidents.filter(**{field: code}).order_by("occurred_on").values_list("occurred_on", flat=True)[0]
            alert = _raise(threshold, code, window_start=oldest, window_end=end, count=row["n"], top=row["top"],
                           now=now)
            if alert is not None:
                raised.append(alert)
    return CheckResult(raised=raised, cleared=cleared)


def _within(code: str, field: str) -> Q:
    """Incidents whose district (or village) lies in the region ``code``."""
    relation = field.removesuffix("_id")  # region codes are the primary key: no join
    return Q(**{field: code}) | Q(**{f"{relation}__code__startswith": code + "."})


def _raise(threshold, region_code, *, window_start, window_end, count, top, now) -> HarmonyAlert | None:
    try:
        with transaction.atomic():
            alert = HarmonyAlert.objects.create(
                threshold=threshold, region_id=region_code, window_start=window_start, window_end=window_end,
                incident_count=count, max_level=top, raised_at=now,
            )
    except IntegrityError:
        return None  # Another check raised this very crossing first: one ongoing alert per region.
    _notify(alert)
    return alert


def _notify(alert: HarmonyAlert) -> None:
    """The alert to the office's head and leadership through the notification centre:
    in-app, and e-mail/SMS as each person chose, in their language; once per person
    (the key is the alert's)."""
    from lapor.notifications.models import Reason
    from lapor.notifications.services import notifications_notify

    people = {role.user_id for role in HarmonyRole.objects.filter(office=alert.threshold.office, user__is_active=True)}
    notifications_notify(
        users=people, key=f"harmony-alert:{alert.pk}", reason=Reason.HARMONY_ALERT, url=alert_url(),
        subject=lambda language: alert_message(alert)[0], body=lambda language: alert_message(alert)[1],
        sms=lambda language: alert_sms(alert), now=alert.raised_at,
    )


def _figures(alert: HarmonyAlert) -> dict:
    threshold = alert.threshold
    return {
        "name": threshold.name, "region": alert.region.name, "count": alert.incident_count,
        "level": str(Vulnerability(threshold.min_level).label).lower(),
        "start": alert.window_start.strftime("%d-%m-%Y"), "end": alert.window_end.strftime("%d-%m-%Y"),
        "top": str(Vulnerability(alert.max_level).label).lower(), "url": alert_url(),
    }


def alert_message(alert: HarmonyAlert) -> tuple[str, str]:
    """Subject and body of an alert in the active language: figures and the region only,
    never an incident's text or a name."""
    subject = _("Peringatan dini SILAPAT: %(region)s") % {"region": alert.region.name}
    body = _(
        "Ambang “%(name)s” terlampaui di %(region)s: %(count)s kejadian dengan tingkat kerawanan "
        "%(level)s atau lebih antara %(start)s dan %(end)s (tingkat tertinggi: %(top)s).\n\n"
        "Buka halaman peringatan dini untuk rinciannya: %(url)s"
    ) % _figures(alert)
    return subject, body


def alert_sms(alert: HarmonyAlert) -> str:
    return _("Peringatan dini SILAPAT: %(region)s, %(count)s kejadian %(level)s atau lebih sejak %(start)s. "
             "%(url)s") % _figures(alert)


def alert_url() -> str:
    return settings.LAPOR_SITE_URL + "/kantor/silapat/peringatan/"


def harmony_periodic_check(*, now=None) -> dict:
    """What the sweep (or ``manage.py silapat_check``) runs: the incidents that came by the
    ordinary route (``harmony_adopt_reports``), then every threshold. The alerts' e-mail
    and SMS are retried by the notifications' own ``notifications_deliver_due``. Returns
    counts for logs."""
    adopted = sum(harmony_adopt_reports(office=office, now=now)
                  for office in HarmonyOffice.objects.select_related("agency"))
    result = harmony_check_thresholds(now=now)
    return {"adopted": adopted, "raised": len(result.raised), "cleared": result.cleared}


def harmony_mark_alerts_read(*, user, now=None) -> int:
    """Opening the early-warning page reads this person's SILAPAT alerts in their
    notification centre. Side effect: ``Notification.read_at``."""
    from lapor.notifications.models import Channel, Notification, Reason
    from lapor.notifications.services import notifications_mark_read

    ids = Notification.objects.filter(recipient=user, channel=Channel.IN_APP, reason=Reason.HARMONY_ALERT,
                                      read_at__isnull=True).values_list("pk", flat=True)
    return notifications_mark_read(user=user, notification_ids=list(ids), now=now) if ids else 0


# --- Public page --------------------------------------------------------------------------


def visitor_count_increment(*, now: datetime.datetime | None = None) -> None:
    """Count one visit to the public page today: an atomic UPDATE … SET count = count + 1,
    so parallel visits are all counted; the day's row is created by the first visit."""
    day = timezone.localdate(_now(now))
    if VisitorCount.objects.filter(day=day).update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            VisitorCount.objects.create(day=day, count=1)
    except IntegrityError:
        # Another visit created the row between our UPDATE and INSERT.
        VisitorCount.objects.filter(day=day).update(count=F("count") + 1)


# --- Registry edits -----------------------------------------------------------------------


@transaction.atomic
def registry_save(*, instance, by, office: HarmonyOffice):
    """Create or update one registry row (house of worship, organisation or population
    figure) from an operator's form. Only operators of ``office``, only inside its area;
    the model's own checks (unique natural key) apply. Raises ActionForbidden or
    ValidationError; writes nothing then. Side effect: an audit-log entry with what changed."""
    if not access.is_operator(by, office):
        raise ActionForbidden(_("Hanya operator Kesbangpol yang dapat mengubah data SILAPAT."))
    region = getattr(instance, "village", None) if hasattr(instance, "village_id") else instance.region
    if not office.covers(region):
        raise ValidationError({"village" if hasattr(instance, "village_id") else "region":
                               _("Wilayah ini di luar wilayah kerja kantor Anda.")})
    before = stored_snapshot(instance)
    instance.full_clean()
    instance.save()
    changes = diff(before, snapshot(instance))
    if before is None or changes:
        audit_record(actor=by, action=AuditAction.CREATED if before is None else AuditAction.CHANGED, target=instance,
                     agency=office.agency, changes=changes)
    return instance

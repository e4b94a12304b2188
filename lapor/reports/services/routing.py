"""Verification and routing (SPEC §4, §8): verify, postpone, return and complete, archive
or merge as a duplicate, dispose inside an agency, hand back ("bukan wewenang") or
transfer to another government."""
from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lapor.agencies.models import Agency
from lapor.reports import policy, writing
from lapor.reports.enums import Action, ArchiveReason, Kind, Status
from lapor.reports.errors import ActionForbidden, ReportError
from lapor.reports.models import Report, Support
from lapor.reports.services._core import (
    ANONYMITY_STAYS, CONFIDENTIALITY_STAYS, _arrive, _authorize, _check_address, _check_location, _dispatch_target,
    _finish, _forget_map_on_commit, _hide_people, _lock, _now, _record, _required, _router_zone, _set_deadline, _zone,
    confidential_by_reporter, incident_date_error,
)
from lapor.workdays.calendar import same_day_in


@writing.atomic
def report_verify(
    *,
    report: Report,
    by,
    agency: Agency | None = None,
    title: str | None = None,
    is_anonymous: bool | None = None,
    is_confidential: bool | None = None,
    category=None,
    region=None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Report:
    """Verify a report and dispatch it to ``agency`` (default: the one the reporter
    addressed). The verifier may rewrite the title as a summary (the original is kept),
    set the anonymous/confidential flags, and set or correct the category and the region
    (an SMS report comes with neither; a citizen may pick the wrong one): statistics, the
    map's filters, routing suggestions and duplicate checks read them. Each change is in
    the event's ``changes``. The report becomes public unless confidential; a report its
    reporter filed as confidential is never published here (``confidential_by_reporter``)."""
    now = _now(now)
    report = _lock(report)
    role = _authorize(report, Action.VERIFY, by)
    agency = agency or report.addressed_agency
    if agency is None:
        raise ValidationError({"agency": _("Pilih instansi tujuan laporan.")})
    if role != "national_admin" and not policy.actor_for(by).within(agency.path, "agency_admin"):
        raise ActionForbidden(_("Admin instansi hanya dapat mendisposisikan ke instansi/unit di bawahnya."))
    agency = _dispatch_target(report, agency)
    from_status = report.status
    changes = {}
    if report.addressed_agency_id and not agency.is_within(report.addressed_agency):
        # The national admin sends it to another government: that government routes it
        # from now on (as after a transfer), and the one first addressed no longer sees it.
        changes["addressed_agency"] = [report.addressed_agency_id, agency.pk]
        report.addressed_agency = agency
    if title is not None and title.strip() and title.strip() != report.title:
        if len(title.strip()) > 200:
            raise ValidationError({"title": _("Judul paling panjang 200 karakter.")})
        changes["title"] = [report.title, title.strip()]
        report.title = title.strip()
    if is_anonymous is not None and is_anonymous != report.is_anonymous:
        if not is_anonymous:
            raise ValidationError({"is_anonymous": ANONYMITY_STAYS})
        changes["is_anonymous"] = [False, True]
        _hide_people(report)
        report.is_anonymous = True
        report.show_reporter_name = False
    if is_confidential is not None and is_confidential != report.is_confidential:
        if report.kind == Kind.WHISTLEBLOWING and not is_confidential:
            raise ValidationError({"is_confidential": _("Laporan whistle-blowing selalu rahasia.")})
        if not is_confidential and confidential_by_reporter(report):
            raise ValidationError({"is_confidential": CONFIDENTIALITY_STAYS})
        changes["is_confidential"] = [report.is_confidential, is_confidential]
        report.is_confidential = is_confidential
    if category is not None and category.pk != report.category_id:
        changes["category"] = [report.category_id, category.pk]
        report.category = category
    if region is not None and region.pk != report.region_id:
        changes["region"] = [report.region_id, region.pk]
        report.region = region
    report.verified_at = now
    report.updated_at = now
    _arrive(report, agency, now)
    writing.current().save_report(report)
    _record(report, action=Action.VERIFY, by=by, role=role, from_status=from_status, now=now, text=note,
            agency=agency, data={"changes": changes} if changes else None)
    return report


@writing.atomic
def report_postpone(*, report: Report, by, reason: str, now: datetime.datetime | None = None) -> Report:
    """Put verification on hold (e.g. to call the reporter). The 3-day clock keeps running."""
    now = _now(now)
    report = _lock(report)
    role = _authorize(report, Action.POSTPONE, by)
    reason = _required(reason, "reason", gettext_lazy("Tuliskan alasan penundaan."))
    from_status, report.status, report.updated_at = report.status, Status.POSTPONED, now
    writing.current().save_report(report)
    _record(report, action=Action.POSTPONE, by=by, role=role, from_status=from_status, now=now, text=reason)
    return report


@writing.atomic
def report_return(*, report: Report, by, missing: str, now: datetime.datetime | None = None) -> Report:
    """Return an incomplete report to the reporter, saying exactly what is missing. The
    reporter has 10 working days to complete it, after which the sweep archives it."""
    now = _now(now)
    report = _lock(report)
    role = _authorize(report, Action.RETURN, by)
    missing = _required(missing, "missing", gettext_lazy("Sebutkan apa yang perlu dilengkapi pelapor."))
    from_status = report.status
    report.status, report.missing_items, report.updated_at = Status.RETURNED, missing, now
    report.completed_at = None
    report.outer_due_at = None  # the 60 days run from completeness (Perpres 76/2013)
    _set_deadline(report, start=now, days=settings.LAPOR_RETURN_EXPIRY_DAYS, zone=_router_zone(report))
    writing.current().save_report(report)
    _record(report, action=Action.RETURN, by=by, role=role, from_status=from_status, now=now, text=missing)
    return report


@writing.atomic
def report_complete(
    *,
    report: Report,
    by,
    addition: str,
    incident_date: datetime.date | None = None,
    region=None,
    address: str | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    now: datetime.datetime | None = None,
) -> Report:
    """The reporter supplies what was missing; the report waits for verification again
    with a fresh 3-working-day clock, and the 60-day outer limit starts now."""
    now = _now(now)
    report = _lock(report)
    role = _authorize(report, Action.COMPLETE, by)
    addition = _required(addition, "addition", gettext_lazy("Tuliskan kelengkapan yang diminta."))
    errors: dict[str, str] = {}
    if late := incident_date_error(incident_date, now):
        errors["incident_date"] = late
    _check_address(address, errors)
    _check_location(latitude, longitude, errors)
    if errors:
        raise ValidationError(errors)
    from_status = report.status
    report.body = f"{report.body}\n\n{addition}"
    if incident_date is not None:
        report.incident_date = incident_date
    if region is not None:
        report.region = region
    if address is not None and address.strip():
        report.address = address.strip()
    if latitude is not None:
        report.latitude, report.longitude = latitude, longitude
    report.status, report.missing_items, report.updated_at = Status.SUBMITTED, "", now
    report.completed_at = now
    report.outer_due_at = now + datetime.timedelta(days=settings.LAPOR_OUTER_LIMIT_CALENDAR_DAYS)
    _set_deadline(report, start=now, days=settings.LAPOR_VERIFY_DAYS, zone=_router_zone(report))
    writing.current().save_report(report)
    _record(report, action=Action.COMPLETE, by=by, role=role, from_status=from_status, now=now, text=addition)
    return report


@writing.atomic
def report_archive(
    *, report: Report, by, reason: str, note: str = "", now: datetime.datetime | None = None
) -> Report:
    """Archive a report that will not be handled (spam, unintelligible, too general, not
    about government). Archived reports are never public."""
    now = _now(now)
    report = _lock(report)
    role = _authorize(report, Action.ARCHIVE, by)
    allowed = set(ArchiveReason.values) - {ArchiveReason.DUPLICATE, ArchiveReason.NEVER_COMPLETED}
    if reason not in allowed:
        raise ValidationError({"reason": _("Pilih alasan pengarsipan.")})
    from_status = report.status
    report.archive_reason = reason
    was_public = report.is_published
    _finish(report, Status.ARCHIVED, now)
    writing.current().save_report(report)
    if was_public:
        _forget_map_on_commit()
    _record(report, action=Action.ARCHIVE, by=by, role=role, from_status=from_status, now=now, text=note,
            data={"reason": reason})
    return report


@writing.atomic
def report_mark_duplicate(
    *, report: Report, by, original: Report, now: datetime.datetime | None = None
) -> Report:
    """Archive a report as a duplicate of ``original`` (linked, so its people can follow
    the original): before verification, or after it while no agency has answered it (in a
    surge the same street is verified twice; ``policy.role_for`` says who may).

    Side effects: status ``archived`` with reason ``duplicate`` and ``duplicate_of`` set;
    one ``mark_duplicate`` event naming the original. A report with an agency leaves its
    work: its handling ends now (compliance owes no answer from now on). Its supporters'
    support moves to the original (once per person; the original's reporter is not made
    its supporter), and its reporter, the RT/RW who filed it, its supporters and its
    followers follow the original where they may see it.

    Refused (``ValidationError`` on ``original``): the report itself, a report ``by`` may not
    see, an archived one, and, for a verified report, an unverified original (its people
    could neither see nor follow it). A chain is followed to its root where ``by`` may see
    it, refused otherwise (the one chosen is archived)."""
    now = _now(now)
    report = _lock(report)
    role = _authorize(report, Action.MARK_DUPLICATE, by)
    if original.pk == report.pk:
        raise ValidationError({"original": _("Laporan tidak dapat menjadi duplikat dirinya sendiri.")})
    # Read the original afresh (the caller's copy may be stale) and always link to the
    # root of a duplicate chain, so a reporter following a duplicate reaches the live one.
    original = Report.objects.select_related("addressed_agency", "assigned_agency").get(pk=original.pk)
    if not policy.can_view(by, original):
        raise ValidationError({"original": _("Laporan #%(id)s tidak ditemukan.") % {"id": original.tracking_id}})
    if original.duplicate_of_id:
        root = Report.objects.get(pk=original.duplicate_of_id)
        # Only follow the chain to a report the verifier may see: the link is shown to them.
        if policy.can_view(by, root):
            original = root
    if original.pk == report.pk:  # the one chosen is already a duplicate of this report
        raise ValidationError({"original": _(
            "Laporan yang dipilih sudah ditandai sebagai duplikat dari laporan ini.")})
    if original.status == Status.ARCHIVED:
        raise ValidationError({"original": _("Laporan asli sudah diarsipkan; pilih laporan yang masih berjalan.")})
    if report.verified_at is not None and original.verified_at is None:
        raise ValidationError({"original": _(
            "Laporan yang sudah diverifikasi hanya dapat ditandai duplikat dari laporan yang juga sudah "
            "diverifikasi.")})
    from_status = report.status
    report.archive_reason = ArchiveReason.DUPLICATE
    report.duplicate_of = original
    was_public = report.is_published
    if from_status in Status.with_agency():
        writing.current().handling(report, left_at=now)
    supporters = _move_supports(report, original)
    _finish(report, Status.ARCHIVED, now)
    writing.current().save_report(report)
    if was_public:
        _forget_map_on_commit()
    _record(report, action=Action.MARK_DUPLICATE, by=by, role=role, from_status=from_status, now=now,
            data={"original": original.tracking_id})
    _follow_original(report, original, supporters, now=now)
    return report


def _move_supports(report: Report, original: Report) -> list:
    """Move the duplicate's supports to the original, so the problem's support is counted
    in one place: one per person (who supported both counts once) and never the original's
    own reporter, as ``report_support`` would refuse. Returns the supporters."""
    supports = list(Support.objects.filter(report=report).select_related("user").order_by("pk"))
    moved = 0
    for support in supports:
        # As a bare Actor: whether they filed the original needs no roles (nor their query).
        if policy.is_reporter(policy.Actor(user=support.user), original):
            continue
        if not policy.can_view(support.user, original):
            continue  # a confidential original: a supporter outside it must not learn it exists
        _support, created = Support.objects.get_or_create(report=original, user=support.user,
                                                          defaults={"created_at": support.created_at})
        moved += created
    if supports:
        Support.objects.filter(report=report).delete()
        report.support_count = 0
    if moved:
        Report.objects.filter(pk=original.pk).update(support_count=models.F("support_count") + moved)
    return [support.user for support in supports]


def _follow_original(report: Report, original: Report, supporters=(), *, now) -> None:
    """The people of a duplicate follow the original, where they may see it: its reporter
    (and the RT/RW who filed it), its ``supporters`` and its followers. The original's
    answers reach them as their own report's would have (SPEC §9)."""
    from lapor.following.models import Follow
    from lapor.following.services import follow_create

    followers = [follow.user for follow in Follow.objects.filter(report=report).select_related("user")]
    people = [u for u in (report.reporter, report.filed_by, *supporters, *followers) if u is not None]
    for user in dict.fromkeys(people):  # each person once, in that order
        if not policy.can_view(user, original):
            continue
        try:
            follow_create(user=user, report=original, now=now)
        except (ValidationError, ReportError):
            pass  # at the limit of things followed: the report page still links the original


@writing.atomic
def report_dispose(
    *, report: Report, by, unit: Agency, note: str = "", now: datetime.datetime | None = None
) -> Report:
    """Forward a dispatched report down to a unit of the acting admin's agency. The
    agency's 5-working-day clock keeps running: disposition inside an agency does not
    buy it time. Its deadline's day stays; a unit in another time zone (a ministry's
    regional office) has until the end of that day in its own."""
    now = _now(now)
    report = _lock(report)
    role = _authorize(report, Action.DISPOSE, by)
    actor = policy.actor_for(by)
    if not actor.within(unit.path, role) or unit.pk == report.assigned_agency_id:
        raise ValidationError({"unit": _("Pilih unit kerja lain di bawah instansi Anda.")})
    if not unit.is_active:
        raise ValidationError({"unit": _("Unit kerja ini tidak aktif.")})
    if report.kind == Kind.WHISTLEBLOWING and not unit.is_inspectorate:
        raise ValidationError({"unit": _("Laporan whistle-blowing hanya dapat ditangani inspektorat.")})
    from_agency, counted_in = report.assigned_agency, report.deadline_zone
    report.assigned_agency, report.updated_at = unit, now
    writing.current().handling(report, agency=unit)
    if report.due_at is not None:  # the same day, ending in the unit's own zone
        report.due_at = same_day_in(report.due_at, counted_in, report.deadline_zone)
    writing.current().save_report(report)
    _record(report, action=Action.DISPOSE, by=by, role=role, from_status=report.status, now=now, text=note,
            agency=unit, data={"from": from_agency.pk if from_agency else None})
    return report


@writing.atomic
def report_not_our_authority(
    *, report: Report, by, reason: str, now: datetime.datetime | None = None
) -> Report:
    """"Bukan wewenang": hand the report back to the router, who transfers it to the right
    agency (no wrong door). The router gets a fresh 3-working-day clock."""
    now = _now(now)
    report = _lock(report)
    role = _authorize(report, Action.NOT_OUR_AUTHORITY, by)
    reason = _required(reason, "reason", gettext_lazy("Jelaskan mengapa laporan ini bukan wewenang instansi Anda."))
    from_status, from_agency = report.status, report.assigned_agency
    report.status, report.assigned_agency, report.arrived_at, report.updated_at = Status.SUBMITTED, None, None, now
    writing.current().handling(report, left_at=now)  # its handling ends: late or not, it counts
    _set_deadline(report, start=now, days=settings.LAPOR_VERIFY_DAYS, zone=_router_zone(report))
    writing.current().save_report(report)
    _record(report, action=Action.NOT_OUR_AUTHORITY, by=by, role=role, from_status=from_status, now=now,
            text=reason, agency=from_agency)
    return report


@writing.atomic
def report_transfer(
    *, report: Report, by, agency: Agency, reason: str, now: datetime.datetime | None = None
) -> Report:
    """Pelimpahan: send a verified report to another government's agency, which gets its
    own 5-working-day clock from arrival. Inside the government that holds it, a report
    moves by disposition (its clock runs on); one handed back as "bukan wewenang" (held by
    no unit) may be transferred anywhere, its own government's units included.

    A report not verified yet was addressed to the wrong government ("no wrong door",
    SPEC §4): its router hands it to the right one, whose admins verify it (a fresh
    3-working-day clock, in that agency's zone); the report stays unverified."""
    now = _now(now)
    report = _lock(report)
    role = _authorize(report, Action.TRANSFER, by)
    reason = _required(reason, "reason", gettext_lazy("Tuliskan alasan pelimpahan."))
    if report.verified_at is None:
        return _transfer_unverified(report, by=by, role=role, agency=agency, reason=reason, now=now)
    if report.assigned_agency_id and agency.path.startswith(report.assigned_agency.root_path):
        # Inside one government the report moves by disposition, and its 5-day clock runs
        # on (docs/decisions/0001 §3): a transfer would give a late unit's government a new one.
        raise ValidationError({"agency": _(
            "Instansi ini berada dalam pemerintahan yang sama: teruskan laporan dengan disposisi; "
            "tenggatnya tetap berjalan.")})
    agency = _dispatch_target(report, agency)
    from_status, from_agency, from_address = report.status, report.assigned_agency, report.addressed_agency_id
    report.addressed_agency = agency
    report.updated_at = now
    _arrive(report, agency, now)
    writing.current().save_report(report)
    # The old address too: connected systems are told by who held the report at each event
    # (lapor/webhooks/history.py).
    _record(report, action=Action.TRANSFER, by=by, role=role, from_status=from_status, now=now, text=reason,
            agency=agency, data={"from": from_agency.pk if from_agency else None, "addressed_from": from_address})
    return report


def _transfer_unverified(report: Report, *, by, role: str, agency: Agency, reason: str, now) -> Report:
    if report.addressed_agency_id and agency.is_within(report.addressed_agency):
        raise ValidationError({"agency": _(
            "Instansi ini berada di bawah instansi Anda: verifikasi laporan dan disposisikan ke sana.")})
    agency = _dispatch_target(report, agency)
    from_status, from_agency = report.status, report.addressed_agency
    report.addressed_agency, report.status, report.updated_at = agency, Status.SUBMITTED, now
    _set_deadline(report, start=now, days=settings.LAPOR_VERIFY_DAYS, zone=_zone(agency))
    writing.current().save_report(report)
    _record(report, action=Action.TRANSFER, by=by, role=role, from_status=from_status, now=now, text=reason,
            agency=agency, data={"from": from_agency.pk if from_agency else None, "unverified": True})
    return report


# --- answers and the reporter's side ------------------------------------------------------

"""The report lifecycle (SPEC §4): the only code that changes a report's status.

Every channel (web, API, SMS, Open311, import) and every screen, command and task calls
these functions. Each one:

- locks the report row, checks the status allows the action and that ``by`` may take it
  (``lapor.reports.policy.role_for``), raising ``TransitionNotAllowed``/``ActionForbidden``;
- validates its input, raising ``django.core.exceptions.ValidationError`` with messages
  per field;
- changes the report, stores the deadline of whatever it now waits for, and appends one
  ``ReportEvent`` (who, in which role, from which status to which, why);
- does all of that in one transaction: on any error nothing is written.

What they decide is stored by a writer (``lapor.reports.writing``): at once by default,
or, for the bulk import, collected per chunk and written with multi-row INSERTs. The
rules above are the same code either way.

``now`` defaults to the current time; commands and tests may pass another instant.
"""
from __future__ import annotations

import datetime
import functools
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lapor.accounts import pseudonyms
from lapor.agencies.models import Agency, zone_label
from lapor.reports import policy, quota, references, writing
from lapor.reports.enums import Action, ArchiveReason, Channel, Kind, Status
from lapor.reports.errors import ActionForbidden, ReportError, TransitionNotAllowed
from lapor.reports.models import Attachment, FollowUp, Report, ReportEvent, Support
from lapor.workdays.calendar import deadline_for, same_day_in

# Indonesia from Sabang to Merauke, Miangas to Rote, with a margin for its seas.
LATITUDE_RANGE = (-11.5, 6.5)
LONGITUDE_RANGE = (94.5, 141.5)


_KINDS = frozenset(Kind.values)
_CHANNELS = frozenset(Channel.values)


# --- helpers ------------------------------------------------------------------------------


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def _zone(agency: Agency | None) -> str:
    return agency.time_zone if agency is not None else settings.LAPOR_DEFAULT_ZONE


def _router_zone(report: Report) -> str:
    return _zone(report.addressed_agency if report.addressed_agency_id else None)


def _lock(report: Report) -> Report:
    """The report as the writer lets this action change it: re-read under a row lock (see
    ``writing.Immediate.lock``), or a batch's own new report."""
    return writing.current().lock(report)


def _authorize(report: Report, action: str, by) -> str:
    """The role ``by`` acts in; raises if the status or the person does not allow it."""
    sources, _target = policy.TRANSITIONS[action]
    if action in policy.REPORTER_ACTIONS and not policy.is_reporter(by, report):
        # Someone else's report: refused as theirs to act on, whatever its status.
        raise ActionForbidden(_("Anda tidak berwenang melakukan tindakan ini pada laporan ini."))
    if report.status not in sources:
        raise TransitionNotAllowed(
            # The action named first, in quotes: its label is a noun or a participle
            # ("tanggapan pelapor", "diarsipkan"), which at the end of the sentence read as
            # what had been done ("…: diarsipkan.") in a list of bulk results.
            _("Tindakan “%(action)s” tidak dapat dilakukan pada laporan berstatus “%(status)s”.")
            % {"status": report.status_label, "action": Action(action).label.lower()}
        )
    role = policy.role_for(by, report, action)
    if role is None:
        if action == Action.VERIFY and report.verified_at is not None:
            raise TransitionNotAllowed(_("Laporan ini sudah diverifikasi; gunakan pelimpahan."))
        if action == Action.TRANSFER and report.verified_at is None:
            raise TransitionNotAllowed(_("Laporan ini belum diverifikasi; verifikasi dahulu."))
        if action == Action.MARK_DUPLICATE and report.last_answer_at is not None:
            raise TransitionNotAllowed(_("Laporan ini sudah ditindaklanjuti sehingga tidak dapat ditandai "
                                         "duplikat; tutup laporan dengan alasannya."))
        raise ActionForbidden(_("Anda tidak berwenang melakukan tindakan ini pada laporan ini."))
    return role


# Neither verification nor the flags lift anonymity (SPEC §5): only the custodian's reveal
# shows who the reporter is, and the stand-in accounts (lapor/accounts/pseudonyms.py) stay.
ANONYMITY_STAYS = gettext_lazy("Anonimitas pelapor tidak dapat dicabut; identitasnya hanya dapat dibuka "
                               "pemegang kunci identitas, dengan alasan yang tercatat.")


def _record(
    report: Report,
    *,
    action: str,
    by,
    role: str = "",
    from_status: str,
    now: datetime.datetime,
    text: str = "",
    agency: Agency | None = None,
    internal: bool = False,
    data: dict | None = None,
) -> ReportEvent:
    if role in policy.REPORTER_EVENT_ROLES:
        by = pseudonyms.acting_as(report, by)  # on an anonymous report, its stand-in
    event = writing.build(
        ReportEvent,
        report=report,
        at=now,
        actor=by if by is not None and getattr(by, "is_authenticated", False) else None,
        actor_role=role,
        action=action,
        from_status=from_status,
        to_status=report.status,
        agency=agency,
        text=text,
        is_internal=internal,
        data=data or {},
    )
    # Stored, and people told after commit (``writing.tells_anyone``), by the writer.
    writing.current().add_event(event)
    return event


ADDRESS_LENGTH = Report._meta.get_field("address").max_length


def _check_address(address: str | None, errors: dict) -> None:
    # Every channel's own form says it sooner; Open311 and imports pass the text as sent.
    if address and len(address.strip()) > ADDRESS_LENGTH:
        errors["address"] = _("Alamat atau patokan lokasi paling panjang %(limit)d karakter.") % {
            "limit": ADDRESS_LENGTH}


# A report's text as typed on the web or sent through the API: room for pages of detail,
# well under the 2.5 MB a request may carry (Django's DATA_UPLOAD_MAX_MEMORY_SIZE), past
# which nothing of the form could be kept. Imports and Open311 pass older texts as sent.
BODY_LENGTH = 20_000
# Characters that show nothing: a text made of them (and spaces) is empty.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def blank(value: str | None) -> bool:
    """Whether ``value`` shows nothing: empty, spaces, or characters without a glyph."""
    return not (value or "").translate(_INVISIBLE).strip()


def _required(value: str, field: str, message) -> str:
    # ``message`` lazy: translated only when the value is missing (not on every call).
    value = (value or "").strip()
    if blank(value):
        raise ValidationError({field: message})
    return value


def location_error(latitude, longitude) -> str | None:
    """What is wrong with this pin, or None (both given or neither; inside Indonesia)."""
    if (latitude is None) != (longitude is None):
        return _("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya.")
    if latitude is None:
        return None
    if not (LATITUDE_RANGE[0] <= latitude <= LATITUDE_RANGE[1] and LONGITUDE_RANGE[0] <= longitude <= LONGITUDE_RANGE[1]):
        return _("Titik lokasi berada di luar wilayah Indonesia.")
    return None


# No government service complained of here is older than the Republic: an earlier date
# is a slip of the keyboard (0001-01-01, 1026 for 2026).
EARLIEST_INCIDENT = datetime.date(1945, 8, 17)


# The easternmost zone: a date that is today anywhere in Indonesia is not in the future
# (a reporter in Jayapura at 01:00 WIT is already on a date WIB has not reached).
LATEST_ZONE = ZoneInfo("Asia/Jayapura")


def incident_date_error(incident_date, now: datetime.datetime) -> str | None:
    if incident_date is not None and incident_date > timezone.localdate(now, LATEST_ZONE):
        return _("Tanggal kejadian tidak boleh di masa depan.")
    if incident_date is not None and incident_date < EARLIEST_INCIDENT:
        return _("Tanggal kejadian tidak boleh sebelum 17 Agustus 1945; periksa tahunnya.")
    return None


def _check_location(latitude, longitude, errors: dict) -> None:
    message = location_error(latitude, longitude)
    if message:
        errors["latitude"] = message


def _set_deadline(report: Report, *, start: datetime.datetime, days: int, zone: str) -> None:
    report.due_at = deadline_for(start, days, zone)


# --- submission ---------------------------------------------------------------------------


@writing.atomic
def report_submit(
    *,
    reporter,
    kind: str = Kind.COMPLAINT,
    title: str,
    body: str,
    incident_date: datetime.date | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
    region=None,
    address: str = "",
    category=None,
    addressed_agency: Agency | None = None,
    is_anonymous: bool = False,
    is_confidential: bool = False,
    show_reporter_name: bool = False,
    channel: str = Channel.WEB,
    filed_by=None,
    limited_by=None,
    now: datetime.datetime | None = None,
) -> Report:
    """Receive a new report: assign its tracking ID, start the 3-working-day verification
    clock and the 60-day outer limit, record the ``submit`` event.

    ``limited_by``: the signed-in account whose per-account limit applies (the web form,
    the API, SILAPAT); checked again inside this transaction, raising ``OverQuota``
    (lapor/reports/quota.py). Channels with limits of their own (SMS, Open311, imports)
    leave it out.

    Whistle-blowing is always confidential and addressed to the inspectorate of the agency
    named (when it has one). A proxy (``filed_by``) must be a registered
    RT/RW representative. Raises ValidationError naming each bad field; writes nothing then.
    """
    now = _now(now)
    errors: dict[str, str] = {}
    title = (title or "").strip()
    body = (body or "").strip()
    if blank(title):
        errors["title"] = _("Judul laporan wajib diisi.")
    elif len(title) > 200:
        errors["title"] = _("Judul paling panjang 200 karakter.")
    if blank(body):
        errors["body"] = _("Isi laporan wajib diisi.")
    if kind not in _KINDS:
        errors["kind"] = _("Jenis laporan tidak dikenal.")
    if channel not in _CHANNELS:
        errors["channel"] = _("Kanal tidak dikenal.")
    if late := incident_date_error(incident_date, now):
        errors["incident_date"] = late
    _check_address(address, errors)
    _check_location(latitude, longitude, errors)
    if category is not None and not category.is_active:
        errors["category"] = _("Kategori ini tidak aktif lagi; pilih kategori lain.")
    if addressed_agency is not None and not addressed_agency.is_active:
        errors["addressed_agency"] = _("Instansi ini tidak aktif lagi; pilih instansi lain.")
    if filed_by is not None:
        profile = getattr(filed_by, "profile", None)
        if profile is None or not profile.is_proxy:
            errors["filed_by"] = _("Hanya perwakilan RT/RW terdaftar yang dapat melapor atas nama warga.")
        elif reporter is None or reporter.pk == filed_by.pk:
            errors["reporter"] = _("Laporan atas nama warga harus menyebut warga yang diwakili.")
    if errors:
        raise ValidationError(errors)
    if kind == Kind.WHISTLEBLOWING:
        is_confidential = True
        # Routed only to the inspectorate (SPEC §3): it, not the government the report is
        # about, verifies it; that government's admins never see it (policy.Actor.for_report).
        if addressed_agency is not None and not addressed_agency.is_inspectorate:
            addressed_agency = addressed_agency.inspectorate() or addressed_agency
    if limited_by is not None:
        quota.hold(limited_by, now=now)
    if is_anonymous and not _files_for_others(reporter, channel):
        # Stand-in accounts, one per report: no row of this report names its people. The
        # RT/RW's first, whose row ``quota.hold`` already locked.
        filed_by, reporter = (pseudonyms.stand_in_for(u) if u is not None else None for u in (filed_by, reporter))

    report = writing.build(
        Report,
        kind=kind,
        title=title,
        original_title=title,
        body=body,
        incident_date=incident_date,
        latitude=latitude,
        longitude=longitude,
        region=region,
        address=(address or "").strip(),
        category=category,
        addressed_agency=addressed_agency,
        is_anonymous=is_anonymous,
        is_confidential=is_confidential,
        show_reporter_name=show_reporter_name and not is_anonymous,
        channel=channel,
        reporter=reporter,
        filed_by=filed_by,
        status=Status.SUBMITTED,
        created_at=now,
        updated_at=now,
        completed_at=now,
        outer_due_at=now + datetime.timedelta(days=settings.LAPOR_OUTER_LIMIT_CALENDAR_DAYS),
    )
    _set_deadline(report, start=now, days=settings.LAPOR_VERIFY_DAYS, zone=_router_zone(report))
    writing.current().insert_report(report)  # with a fresh, unique tracking ID
    event = _record(
        report,
        action=Action.SUBMIT,
        by=filed_by or reporter,
        role="proxy" if filed_by else "reporter",
        from_status="",
        now=now,
        data={"channel": channel},
    )
    if not writing.current().deferred:
        # A new report's whole history and follow-ups, kept on it: a caller that shows
        # the report (the API's answer to a submit) need not read them back.
        references.keep_related(report, events=[event], followups=[])
    return report


def _files_for_others(reporter, channel: str) -> bool:
    """An organisation's account that forwards its users' reports: an Open311 client, a
    connected system (``LAPOR_SUBMIT_UNLIMITED_ACCOUNTS``). Its anonymous reports keep it
    as their reporter: it is not a person to hide (the person is not in our database at
    all), and a stand-in per report would pile up thousands of them on one account."""
    return channel == Channel.OPEN311 or (
        reporter is not None and reporter.username in settings.LAPOR_SUBMIT_UNLIMITED_ACCOUNTS)


# --- verification and routing -------------------------------------------------------------


def _dispatch_target(report: Report, agency: Agency) -> Agency:
    """Where a report really goes: whistle-blowing only ever to an inspectorate."""
    if not agency.is_active:
        raise ValidationError({"agency": _("Instansi tujuan tidak aktif.")})
    if report.kind == Kind.WHISTLEBLOWING and not agency.is_inspectorate:
        inspectorate = agency.inspectorate()
        if inspectorate is None:
            raise ValidationError(
                {"agency": _("Laporan whistle-blowing hanya dapat diteruskan ke inspektorat, dan instansi ini tidak memilikinya.")}
            )
        return inspectorate
    return agency


def _arrive(report: Report, agency: Agency, now: datetime.datetime) -> None:
    """The report reaches an agency: its 5-working-day clock for a first answer starts.
    ``first_answer_at`` is this agency's first answer: one an agency gave before a transfer
    is not the new agency's (compliance would count it as answered on time, in 0 days).
    Each arrival opens a handling; one held until now (a transfer) ends."""
    writing.current().arrive(report, agency, now)
    report.assigned_agency = agency
    report.arrived_at = now
    report.first_answer_at = None
    report.status = Status.DISPATCHED
    _set_deadline(report, start=now, days=settings.LAPOR_FIRST_ANSWER_DAYS, zone=_zone(agency))


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
    the event's ``changes``. The report becomes public unless confidential."""
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


def _finish(report: Report, status: str, now: datetime.datetime, *, reopen_until: dict | None = None) -> None:
    """Set the fields of a report leaving the open statuses. ``reopen_until``: a memo of
    the reopen window per zone, for a batch closing many reports at the same instant."""
    report.status = status
    report.updated_at = now
    report.due_at = None
    report.outer_due_at = None
    if status == Status.CLOSED:
        report.closed_at = now
        zone = _zone(report.assigned_agency)
        memo = reopen_until if reopen_until is not None else {}
        if zone not in memo:
            memo[zone] = deadline_for(now, settings.LAPOR_REOPEN_DAYS, zone)
        report.reopen_until = memo[zone]


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


@writing.atomic
def report_answer(
    *, report: Report, by, body: str, drafted_by=None, now: datetime.datetime | None = None
) -> FollowUp:
    """Record the agency's follow-up: an admin of the handling unit answers, or approves
    the draft of its liaison officer ``drafted_by`` (lapor/reports/drafts.py). The reporter
    may then reply or rate; with no reply the sweep closes the report 10 working days
    after the last follow-up."""
    now = _now(now)
    report = _lock(report)
    role = _authorize(report, Action.ANSWER, by)
    last = _last_followup(report)
    if (last is not None and last.author_id == getattr(by, "pk", None) and body and last.body == body.strip()
            and now - last.created_at < RESENT_WITHIN):
        # The same form sent twice (a double click, a reload): the citizen is told once.
        raise ValidationError({"body": _("Tindak lanjut yang sama sudah terkirim; tidak dikirim dua kali.")})
    return _answer(report, by=by, role=role, body=body, drafted_by=drafted_by, now=now)


# A second identical answer or note from the same person within this time is the first
# one sent again, not a new one.
RESENT_WITHIN = datetime.timedelta(minutes=10)


@writing.atomic
def report_answer_imported(*, report: Report, by, body: str, now: datetime.datetime) -> FollowUp:
    """An answer given in an earlier system, as its records name it (lapor/reports/importing.py):
    whoever handled the report there, a liaison officer included, is its author. The
    approval, if there was one, happened in that system."""
    report = _lock(report)
    try:
        role = _authorize(report, Action.ANSWER, by)
    except ActionForbidden:
        role = _authorize(report, Action.DRAFT_ANSWER, by)
    return _answer(report, by=by, role=role, body=body, drafted_by=None, now=now)


def _answer(report: Report, *, by, role: str, body: str, drafted_by, now) -> FollowUp:
    body = _required(body, "body", gettext_lazy("Tuliskan tindak lanjut."))
    from_status = report.status
    followup = writing.build(FollowUp, report=report, agency=report.assigned_agency, author=by,
                             drafted_by=drafted_by, body=body, created_at=now)
    writing.current().add_followup(followup)
    report.status, report.updated_at, report.last_answer_at = Status.IN_PROGRESS, now, now
    if report.first_answer_at is None:
        report.first_answer_at = now
        writing.current().handling(report, first_answer_at=now)
    _set_deadline(report, start=now, days=settings.LAPOR_AUTO_CLOSE_DAYS, zone=_zone(report.assigned_agency))
    writing.current().save_report(report)
    data = {"followup": followup}
    if drafted_by is not None:
        data["drafted_by"] = drafted_by.pk
    _record(report, action=Action.ANSWER, by=by, role=role, from_status=from_status, now=now, text=body,
            agency=report.assigned_agency, data=data)
    return followup


def _last_followup(report: Report) -> FollowUp | None:
    return writing.current().last_followup(report)


class AnswerSuperseded(TransitionNotAllowed):
    """The reporter replied to, or rated, a follow-up that is no longer the last one: the
    agency answered again since they read it."""

    code = "answer_superseded"


def _answer_replied_to(report: Report, followup_id: int | None) -> FollowUp | None:
    """The last follow-up, which a reply or a rating is about. ``followup_id`` is the one
    the reporter read (the web form and the API may say which; None: the last, as SMS
    rates). A newer one came since: they have not read it, and their words are not
    recorded against it; they are asked to read it first."""
    last = _last_followup(report)
    if followup_id is None or (last is not None and last.pk == followup_id):
        return last
    if last is None or not report.followups.filter(pk=followup_id).exists():
        raise ValidationError({"followup": _("Tindak lanjut ini bukan tindak lanjut laporan ini.")})
    zone = _zone(last.agency)
    raise AnswerSuperseded(
        _("%(agency)s mengirim tindak lanjut baru (%(when)s) setelah tindak lanjut yang Anda tanggapi. "
          "Bacalah tindak lanjut terbaru itu dahulu, lalu tanggapi atau nilai.") % {
            "agency": last.agency.name if last.agency_id else _("Instansi"),
            "when": f"{timezone.localtime(last.created_at, ZoneInfo(zone)):%d-%m-%Y %H:%M} {zone_label(zone)}"})


@writing.atomic
def report_reply(
    *, report: Report, by, text: str, followup_id: int | None = None, now: datetime.datetime | None = None
) -> Report:
    """The reporter is not satisfied with the answer: the report goes back to the agency,
    which has 5 working days for a new follow-up. ``followup_id``: the answer the reporter
    read; raises ``AnswerSuperseded`` (nothing written) when a newer one came since."""
    now = _now(now)
    report = _lock(report)
    role = _authorize(report, Action.REPLY, by)
    text = _required(text, "text", gettext_lazy("Tuliskan tanggapan Anda atas tindak lanjut."))
    followup = _answer_replied_to(report, followup_id)
    if followup is not None and followup.satisfied is None:
        followup.satisfied, followup.rating_comment, followup.rated_at = False, text, now
        writing.current().save_followup(followup, ["satisfied", "rating_comment", "rated_at"])
    from_status = report.status
    report.status, report.updated_at = Status.DISPATCHED, now
    _set_deadline(report, start=now, days=settings.LAPOR_FIRST_ANSWER_DAYS, zone=_zone(report.assigned_agency))
    writing.current().save_report(report)
    _record(report, action=Action.REPLY, by=by, role=role, from_status=from_status, now=now, text=text,
            agency=report.assigned_agency)
    return report


@writing.atomic
def report_rate(
    *, report: Report, by, comment: str = "", followup_id: int | None = None, now: datetime.datetime | None = None
) -> Report:
    """The reporter is satisfied with the last answer: it is rated and the report closes
    (it may still be reopened once within 10 working days). ``followup_id``: the answer
    the reporter read; raises ``AnswerSuperseded`` (nothing written) when a newer one came
    since."""
    now = _now(now)
    report = _lock(report)
    role = _authorize(report, Action.RATE, by)
    followup = _answer_replied_to(report, followup_id)
    followup.satisfied, followup.rating_comment, followup.rated_at = True, (comment or "").strip(), now
    writing.current().save_followup(followup, ["satisfied", "rating_comment", "rated_at"])
    from_status = report.status
    _finish(report, Status.CLOSED, now)
    writing.current().save_report(report)
    _record(report, action=Action.RATE, by=by, role=role, from_status=from_status, now=now, text=comment or "",
            agency=report.assigned_agency, data={"satisfied": True, "followup": followup})
    return report


@writing.atomic
def report_close(*, report: Report, by, reason: str, now: datetime.datetime | None = None) -> Report:
    """An admin closes the report, saying why (e.g. settled by phone)."""
    now = _now(now)
    report = _lock(report)
    role = _authorize(report, Action.CLOSE, by)
    reason = _required(reason, "reason", gettext_lazy("Tuliskan alasan penutupan."))
    from_status = report.status
    _finish(report, Status.CLOSED, now)
    writing.current().save_report(report)
    _record(report, action=Action.CLOSE, by=by, role=role, from_status=from_status, now=now, text=reason,
            agency=report.assigned_agency)
    return report


@writing.atomic
def report_reopen(*, report: Report, by, reason: str, now: datetime.datetime | None = None) -> Report:
    """The reporter reopens a closed report, once, within 10 working days of closing; the
    agency gets 5 working days for a new follow-up."""
    now = _now(now)
    report = _lock(report)
    role = _authorize(report, Action.REOPEN, by)
    reason = _required(reason, "reason", gettext_lazy("Jelaskan mengapa laporan dibuka kembali."))
    if report.reopen_count >= 1:
        raise TransitionNotAllowed(_("Laporan hanya dapat dibuka kembali satu kali."))
    if report.reopen_until is None or now > report.reopen_until:
        raise TransitionNotAllowed(_("Batas waktu untuk membuka kembali laporan ini sudah lewat."))
    if report.assigned_agency_id is None:
        raise TransitionNotAllowed(_("Laporan ini belum pernah ditangani instansi."))
    from_status = report.status
    report.reopen_count += 1
    report.reopen_until = None
    report.closed_at = None
    report.status, report.updated_at = Status.DISPATCHED, now
    report.outer_due_at = (report.completed_at or now) + datetime.timedelta(days=settings.LAPOR_OUTER_LIMIT_CALENDAR_DAYS)
    _set_deadline(report, start=now, days=settings.LAPOR_FIRST_ANSWER_DAYS, zone=_zone(report.assigned_agency))
    writing.current().save_report(report)
    _record(report, action=Action.REOPEN, by=by, role=role, from_status=from_status, now=now, text=reason,
            agency=report.assigned_agency)
    return report


# --- done by the sweep --------------------------------------------------------------------


def report_auto_close(*, report: Report, now: datetime.datetime | None = None) -> Report | None:
    """Close a report whose last follow-up got no reply within 10 working days.

    Returns None (and writes nothing) when the report is no longer due, e.g. because the
    reporter replied or another sweep got there first."""
    done = reports_auto_close(pks=[report.pk], now=now)
    return Report.objects.get(pk=report.pk) if done else None


def report_expire_return(*, report: Report, now: datetime.datetime | None = None) -> Report | None:
    """Archive a returned report the reporter never completed (10 working days). Returns
    None when it is no longer due."""
    done = reports_expire_return(pks=[report.pk], now=now)
    return Report.objects.get(pk=report.pk) if done else None


def reports_auto_close(*, pks, now: datetime.datetime | None = None) -> int:
    """``report_auto_close`` for many reports in one transaction (the sweep's path).

    Side effects: for each report of ``pks`` still answered and past its reply deadline,
    status ``closed`` with its reopen window and one ``auto_close`` event (notifications
    after commit). Reports another transaction holds are skipped (``SKIP LOCKED``): their
    holder is changing them, and the next sweep looks again. Returns how many closed."""
    return _finish_due_many(pks=pks, now=_now(now), status=Status.IN_PROGRESS, action=Action.AUTO_CLOSE,
                            to=Status.CLOSED)


def reports_expire_return(*, pks, now: datetime.datetime | None = None) -> int:
    """``report_expire_return`` for many reports in one transaction (see ``reports_auto_close``)."""
    return _finish_due_many(pks=pks, now=_now(now), status=Status.RETURNED, action=Action.EXPIRE_RETURN,
                            to=Status.ARCHIVED, archive_reason=ArchiveReason.NEVER_COMPLETED)


def _finish_due_many(*, pks, now, status, action, to, archive_reason="") -> int:
    from lapor.notifications.services import events_recorded

    with transaction.atomic():
        reports = list(
            Report.objects.select_for_update(skip_locked=True, of=("self",)).select_related("assigned_agency")
            .filter(pk__in=list(pks), status=status, due_at__lt=now).order_by("pk")
        )
        if not reports:
            return 0
        # The new values are the same for the whole batch but for the reopen window, which
        # depends on the agency's zone: one UPDATE per distinct set of values (at most one
        # per zone) instead of bulk_update's per-row CASE, which costs seconds per batch.
        fields = ["status", "updated_at", "due_at", "outer_due_at", "closed_at", "reopen_until", "archive_reason"]
        groups: dict[tuple, list[int]] = {}
        reopen_until: dict[str, datetime.datetime] = {}
        for report in reports:
            if archive_reason:
                report.archive_reason = archive_reason
            _finish(report, to, now, reopen_until=reopen_until)
            groups.setdefault(tuple(getattr(report, f) for f in fields), []).append(report.pk)
        for values, group in groups.items():
            Report.objects.filter(pk__in=group).update(**dict(zip(fields, values)))
        events = ReportEvent.objects.bulk_create([
            ReportEvent(report=report, at=now, actor=None, actor_role="system", action=action, from_status=status,
                        to_status=to, agency=report.assigned_agency if to == Status.CLOSED else None, data={})
            for report in reports
        ])
        # As _record does for one event: tell people after commit, never failing the change.
        ids = [event.pk for event in events]
        transaction.on_commit(functools.partial(events_recorded, ids), robust=True)
    return len(reports)


# --- support ("dukung") -------------------------------------------------------------------


def report_support(*, report: Report, by, now: datetime.datetime | None = None) -> bool:
    """A signed-in citizen supports a published report ("this is my problem too").

    Once per account: a second support changes nothing and returns False (the unique
    constraint decides, so two clicks at once count once). The reporter cannot support
    their own report. Not an event: supports are counted, not narrated."""
    now = _now(now)
    if by is None or not by.is_authenticated:
        raise ActionForbidden(_("Masuk terlebih dahulu untuk mendukung laporan."))
    if not report.is_published:
        raise TransitionNotAllowed(_("Hanya laporan yang sudah terbit yang dapat didukung."))
    if policy.is_reporter(policy.actor_for(by), report):
        raise TransitionNotAllowed(_("Anda tidak dapat mendukung laporan Anda sendiri."))
    try:
        with transaction.atomic():
            Support.objects.create(report=report, user=by, created_at=now)
            Report.objects.filter(pk=report.pk).update(support_count=models.F("support_count") + 1)
    except IntegrityError:
        return False
    return True


# --- notes and identity -------------------------------------------------------------------


@writing.atomic
def report_add_note(*, report: Report, by, text: str, now: datetime.datetime | None = None) -> ReportEvent:
    """An internal note for staff; the reporter and the public never see it."""
    now = _now(now)
    report = _lock(report)
    role = _authorize(report, Action.NOTE, by)
    text = _required(text, "text", gettext_lazy("Catatan tidak boleh kosong."))
    if report.events.filter(action=Action.NOTE, actor=by, text=text, at__gte=now - RESENT_WITHIN).exists():
        raise ValidationError({"text": _("Catatan yang sama sudah tersimpan; tidak disimpan dua kali.")})
    return _record(report, action=Action.NOTE, by=by, role=role, from_status=report.status, now=now, text=text,
                   internal=True)


@writing.atomic
def report_set_flags(
    *,
    report: Report,
    by,
    reason: str,
    is_anonymous: bool | None = None,
    is_confidential: bool | None = None,
    now: datetime.datetime | None = None,
) -> Report:
    """Protect a report after verification (SPEC §5, §12): make it confidential (no longer
    public anywhere) or anonymous (the reporter's identity hidden from staff and public), or
    publish a confidential one again.

    Anyone who routes or handles the report may protect it; only its routers (the national
    admin, an agency admin over the addressed agency) may make it public again, and never a
    whistle-blowing report. Anonymity is never lifted here: only the identity custodian's
    recorded reveal shows who the reporter is. ``reason`` is required (the reporter reads it
    in their history; the public does not). Side effects: the flags (an anonymous report
    also stops showing the reporter's name), a ``set_flags`` event with the changes, and
    the reporter told; a report made public reaches its followers."""
    now = _now(now)
    report = _lock(report)
    role = _authorize(report, Action.SET_FLAGS, by)
    errors, changes = {}, {}
    reason = (reason or "").strip()
    if len(reason) < 10:
        errors["reason"] = _("Tulis alasannya (minimal 10 karakter); pelapor membacanya di riwayat laporan.")
    if is_anonymous is not None and is_anonymous != report.is_anonymous:
        if not is_anonymous:
            errors["is_anonymous"] = ANONYMITY_STAYS
        else:
            changes["is_anonymous"] = [False, True]
    if is_confidential is not None and is_confidential != report.is_confidential:
        if not is_confidential:
            if report.kind == Kind.WHISTLEBLOWING:
                errors["is_confidential"] = _("Laporan whistle-blowing selalu rahasia.")
            elif not policy.may_publish(by, report):
                errors["is_confidential"] = _("Hanya admin yang memverifikasi laporan ini (Admin Nasional atau admin "
                                              "instansi tujuan) yang dapat menerbitkannya kembali.")
        if "is_confidential" not in errors:
            changes["is_confidential"] = [report.is_confidential, is_confidential]
    if not changes and not errors:
        errors["__all__"] = _("Tidak ada yang diubah: pilih sifat laporan yang berbeda dari sekarang.")
    if errors:
        raise ValidationError(errors)
    if changes.get("is_anonymous"):
        _hide_people(report)
        report.is_anonymous = True
        if report.show_reporter_name:
            changes["show_reporter_name"] = [True, False]
            report.show_reporter_name = False
    if "is_confidential" in changes:
        report.is_confidential = is_confidential
    report.updated_at = now
    writing.current().save_report(report)
    _record(report, action=Action.SET_FLAGS, by=by, role=role, from_status=report.status, now=now, text=reason,
            data={"changes": changes})
    if changes.get("is_confidential") == [False, True]:
        _forget_map_on_commit()
    return report


def _forget_map_on_commit() -> None:
    """A report left the public (made confidential, archived): the map keeps its country
    and province views for a while, and they name a lone report, so none of them may show
    it once the change commits."""
    from lapor.transparency.figures import forget_map

    transaction.on_commit(forget_map)


def _hide_people(report: Report) -> None:
    """A report made anonymous moves to stand-in accounts (lapor/accounts/pseudonyms.py),
    with what points at its people from it: what they were told (their name taken out of
    it), the reporter's files and rating. Its history before this moment keeps who acted
    (events are append-only, docs/decisions/0005); the policy hides them."""
    from lapor.notifications.services import notifications_move_to_stand_in
    from lapor.transparency.models import ServiceRating

    # The RT/RW's row first, then the resident's: the order a submit locks them in.
    for field in ("filed_by", "reporter"):
        person = getattr(report, field)
        if person is None or pseudonyms.is_stand_in(person):
            continue
        stand_in = pseudonyms.stand_in_for(person)
        notifications_move_to_stand_in(report=report, person=person, stand_in=stand_in)
        Attachment.objects.filter(report=report, uploaded_by=person).update(uploaded_by=stand_in)
        ServiceRating.objects.filter(report=report, user=person).update(user=stand_in)
        setattr(report, field, stand_in)


@writing.atomic
def report_reveal_identity(*, report: Report, by, reason: str, now: datetime.datetime | None = None) -> dict:
    """The identity custodian reveals who filed an anonymous report, after stating why.

    Side effect: an internal ``reveal_identity`` event with the reason (never the identity
    itself), which supervisors see. Returns the identity as a dict."""
    now = _now(now)
    report = _lock(report)
    role = _authorize(report, Action.REVEAL_IDENTITY, by)
    reason = _required(reason, "reason", gettext_lazy("Alasan membuka identitas wajib diisi."))
    if len(reason) < 10:
        raise ValidationError({"reason": _("Jelaskan alasannya dengan lebih lengkap (minimal 10 karakter).")})
    _record(report, action=Action.REVEAL_IDENTITY, by=by, role=role, from_status=report.status, now=now,
            text=reason, internal=True)
    return reporter_identity(report)


def reporter_identity(report: Report) -> dict:
    """The reporter's identity in clear. Callers must have asked ``policy.identity_visible``
    (or be the audited reveal above)."""
    user = pseudonyms.person(report.reporter)
    if user is None:
        return {}
    profile = getattr(user, "profile", None)
    return {
        "name": user.display_name,
        "username": user.username,
        # A phone-only account's username is made up ("sms-6eb7952ce4b1"): its phone says who.
        "phone_only": bool(profile and profile.is_phone_only),
        "nik": profile.nik if profile else "",
        "phone": profile.phone if profile else "",
        "email": (profile.email if profile and profile.email else user.email),
    }

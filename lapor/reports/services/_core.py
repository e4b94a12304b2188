"""What every lifecycle service shares (lapor/reports/services/__init__.py): locking, the
permission check, the history entry, input checks, deadlines and the fields a report takes
when it arrives at an agency or leaves the open statuses."""
from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lapor.accounts import pseudonyms
from lapor.agencies.models import Agency
from lapor.reports import policy, writing
from lapor.reports.enums import Action, Channel, Kind, Status
from lapor.reports.errors import ActionForbidden, TransitionNotAllowed
from lapor.reports.models import Attachment, Report, ReportEvent
from lapor.workdays.calendar import deadline_for



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


def _authorize(report: Report, action: str, by, *, now: datetime.datetime | None = None) -> str:
    """The role ``by`` acts in at ``now``; raises if the status or the person does not allow it."""
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
    role = policy.role_for(by, report, action, now=now)
    if role is None:
        if action == Action.REOPEN and report.reopen_count >= 1:
            raise TransitionNotAllowed(_("Laporan hanya dapat dibuka kembali satu kali."))
        if action == Action.REOPEN:
            raise TransitionNotAllowed(_("Batas waktu untuk membuka kembali laporan ini sudah lewat."))
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


# A report its reporter filed as confidential stays so (SPEC §5): the whole report is theirs
# to keep from the public, and staff who think it harmless may not decide otherwise. What
# staff made confidential themselves (at verification or later) their routers may undo.
CONFIDENTIALITY_STAYS = gettext_lazy("Pelapor memilih merahasiakan laporan ini; laporan ini tidak dapat "
                                     "diterbitkan.")


def confidential_by_reporter(report: Report) -> bool:
    """Was ``report`` confidential from the moment it was filed (the reporter's choice, or
    the channel's on their behalf, as SILAPAT's for a report naming groups)? Staff's own
    protections are in its history, as a verification or a change of flags that made it
    confidential; the reporter's choice is the absence of one."""
    if not report.is_confidential:
        return False
    events = report.events.filter(action__in=(Action.VERIFY, Action.SET_FLAGS)).only("data")
    return not any((event.data or {}).get("changes", {}).get("is_confidential") == [False, True] for event in events)


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

"""The agency's answer and the reporter's side (SPEC §4): answer, reply, rate, close,
reopen, and what the sweep closes or archives when a deadline passes."""
from __future__ import annotations

import datetime
import functools
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lapor.agencies.models import zone_label
from lapor.reports import writing
from lapor.reports.enums import Action, ArchiveReason, Status
from lapor.reports.errors import ActionForbidden, TransitionNotAllowed
from lapor.reports.models import FollowUp, Report, ReportEvent
from lapor.reports.services._core import (
    _authorize, _finish, _lock, _now, _record, _required, _set_deadline, _zone,
)


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
    role = _authorize(report, Action.REOPEN, by, now=now)  # once, within its window (policy.may_reopen)
    reason = _required(reason, "reason", gettext_lazy("Jelaskan mengapa laporan dibuka kembali."))
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

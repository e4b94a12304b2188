"""Writes of transparency and evaluation: service ratings, IKM surveys, opinion polls.

Keyword-only, ``now`` injectable; each raises ``ValidationError`` (per field),
``ActionForbidden`` (this person may not), ``NotOpen`` or ``AlreadyAnswered`` and then
writes nothing. One-per-person rules are enforced by unique constraints, so two submits at
once cannot both count: the loser gets ``AlreadyAnswered``.
"""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lapor.accounts import pseudonyms
from lapor.agencies.models import Agency, Role
from lapor.audit.models import CLOSED_EARLY, AuditAction
from lapor.audit.services import audit_record, diff, snapshot
from lapor.reports import policy
from lapor.reports.enums import Status
from lapor.reports.errors import ActionForbidden
from lapor.reports.models import Report
from lapor.transparency.errors import AlreadyAnswered, NotOpen
from lapor.transparency.models import (
    IkmResponse, IkmSurvey, Poll, PollAnswer, PollOption, ServiceLevel, ServiceRating,
)


def _now(now):
    return now or timezone.now()


def _signed_in(by, message):
    if by is None or not getattr(by, "is_authenticated", False):
        raise ActionForbidden(message)


def _may_publish_for(by, agency: Agency) -> None:
    """Agency admins publish for their agency's tree; the national admin for any."""
    actor = policy.actor_for(by)
    if actor.has(Role.NATIONAL_ADMIN) or actor.within(agency.path, Role.AGENCY_ADMIN, Role.UNIT_ADMIN):
        return
    raise ActionForbidden(_("Hanya admin instansi ini yang dapat menerbitkannya."))


# --- four-level service rating ------------------------------------------------------------


def service_rating_give(*, report: Report, by, level: int, comment: str = "",
                        now: datetime.datetime | None = None) -> ServiceRating:
    """The reporter rates the agency's service on their report (Sangat Puas … Tidak Puas).

    Allowed once per report, after the agency answered (status in progress or closed).
    Side effect: one ``ServiceRating`` row for the report's assigned agency. Does not
    touch the report or its history (the answer's own satisfied/not rating is
    ``report_rate``/``report_reply`` in lapor.reports.services)."""
    now = _now(now)
    _signed_in(by, _("Masuk terlebih dahulu untuk menilai layanan."))
    if not policy.is_reporter(policy.actor_for(by), report):
        raise ActionForbidden(_("Hanya pelapor yang dapat menilai layanan atas laporannya."))
    if report.status not in (Status.IN_PROGRESS, Status.CLOSED) or report.assigned_agency_id is None \
            or report.first_answer_at is None:
        raise NotOpen(_("Layanan dapat dinilai setelah instansi menindaklanjuti laporan."))
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in ServiceLevel.values:
        raise ValidationError({"level": _("Pilih salah satu penilaian.")})
    comment = (comment or "").strip()
    if "\x00" in comment:  # PostgreSQL text cannot hold it: refused here, not in SQL
        raise ValidationError({"comment": _("Karakter NUL tidak diperbolehkan.")})
    try:
        with transaction.atomic():
            return ServiceRating.objects.create(report=report, agency_id=report.assigned_agency_id,
                                                user=pseudonyms.acting_as(report, by),
                                                level=level, comment=comment, created_at=now)
    except IntegrityError:
        raise AlreadyAnswered(_("Anda sudah menilai layanan untuk laporan ini."))


# --- IKM survey ---------------------------------------------------------------------------


def ikm_survey_open(*, agency: Agency, by, title: str, opens_on: datetime.date, closes_on: datetime.date,
                    now: datetime.datetime | None = None) -> IkmSurvey:
    """An agency opens a satisfaction survey (nine elements of PermenPAN-RB 14/2017) for a
    period. Side effect: one ``IkmSurvey`` row; citizens can answer from ``opens_on``."""
    now = _now(now)
    _signed_in(by, _("Masuk terlebih dahulu."))
    _may_publish_for(by, agency)
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Judul survei wajib diisi.")
    if opens_on is None or closes_on is None:
        errors["closes_on"] = _("Isi tanggal buka dan tutup survei.")
    elif closes_on < opens_on:
        errors["closes_on"] = _("Tanggal tutup tidak boleh sebelum tanggal buka.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # One survey at a time per agency: two over the same days would split its answers
        # into two IKM results for one period. Checked with the agency's row locked, so two
        # opened at the same instant are checked one after the other.
        Agency.objects.select_for_update().filter(pk=agency.pk).first()
        overlapping = IkmSurvey.objects.filter(agency=agency, closed_at__isnull=True, opens_on__lte=closes_on,
                                               closes_on__gte=opens_on).first()
        if overlapping is not None:
            raise ValidationError({"opens_on": _(
                "Periode ini bertumpang tindih dengan survei “%(title)s” (%(start)s – %(end)s) untuk instansi yang "
                "sama; pilih periode sesudahnya, atau tutup survei itu lebih dahulu.") % {
                "title": overlapping.title, "start": date_format(overlapping.opens_on, "j M Y"),
                "end": date_format(overlapping.closes_on, "j M Y")}})
        survey = IkmSurvey.objects.create(agency=agency, title=title, opens_on=opens_on, closes_on=closes_on,
                                          created_by=by, created_at=now)
        audit_record(actor=by, action=AuditAction.CREATED, target=survey, changes=diff(None, snapshot(survey)),
                     now=now)
    return survey


def ikm_survey_close(*, survey: IkmSurvey, by, now: datetime.datetime | None = None) -> IkmSurvey:
    """The agency closes a survey before its closing date. Side effects: ``closed_at`` is
    set and the period now ends today (or on its first day, if it had not started), so
    the survey takes no more answers; answers given so far keep counting."""
    now = _now(now)
    _signed_in(by, _("Masuk terlebih dahulu."))
    _may_publish_for(by, survey.agency)
    today = timezone.localdate(now)
    if survey.closed_at is not None or survey.closes_on < today:
        raise NotOpen(_("Survei ini sudah ditutup."))
    before = snapshot(survey)
    survey.closed_at = now
    survey.closes_on = max(survey.opens_on, today)
    with transaction.atomic():
        survey.save(update_fields=["closed_at", "closes_on"])
        audit_record(actor=by, action=AuditAction.CHANGED, target=survey, changes=diff(before, snapshot(survey)),
                     note=CLOSED_EARLY, now=now)
    return survey


def ikm_respond(*, survey: IkmSurvey, by, scores: list[int], now: datetime.datetime | None = None) -> IkmResponse:
    """A signed-in citizen answers a survey: nine scores 1–4, once per account.
    Side effect: one ``IkmResponse`` row."""
    now = _now(now)
    _signed_in(by, _("Masuk terlebih dahulu untuk mengisi survei."))
    if not survey.is_open_on(timezone.localdate(now)):
        raise NotOpen(_("Survei ini tidak sedang dibuka."))
    errors = {}
    clean = []
    for i, value in enumerate(list(scores or []) + [None] * 9, start=1):
        if i > 9:
            break
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 4:
            errors[f"u{i}"] = _("Pilih nilai 1 sampai 4.")
        clean.append(value)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            return IkmResponse.objects.create(survey=survey, respondent=by, created_at=now,
                                              **{f"u{i}": v for i, v in enumerate(clean, start=1)})
    except IntegrityError:
        raise AlreadyAnswered(_("Anda sudah mengisi survei ini."))


# --- opinion polls ------------------------------------------------------------------------


@transaction.atomic
def poll_publish(*, agency: Agency, by, question: str, options: list[str], closes_at: datetime.datetime,
                 description: str = "", now: datetime.datetime | None = None) -> Poll:
    """An agency publishes a question with at least two options and a closing time.
    Side effect: a ``Poll`` and its ``PollOption`` rows, public at once under /opini/."""
    now = _now(now)
    _signed_in(by, _("Masuk terlebih dahulu."))
    _may_publish_for(by, agency)
    question, options = _poll_checked(question=question, options=options, closes_at=closes_at, now=now)
    poll = Poll.objects.create(agency=agency, question=question, description=(description or "").strip(),
                               closes_at=closes_at, created_by=by, created_at=now)
    PollOption.objects.bulk_create(PollOption(poll=poll, text=t, position=i) for i, t in enumerate(options))
    audit_record(actor=by, action=AuditAction.CREATED, target=poll,
                 changes={**diff(None, snapshot(poll)), "options": [None, options]}, now=now)
    return poll


def _poll_checked(*, question, options, closes_at, now, check_closing=True) -> tuple[str, list[str]]:
    """The question and options cleaned, or a ``ValidationError`` naming every bad field."""
    errors = {}
    question = (question or "").strip()
    options = [o.strip() for o in options or [] if o and o.strip()]
    if not question:
        errors["question"] = _("Pertanyaan wajib diisi.")
    if len(options) < 2:
        errors["options"] = _("Beri paling sedikit dua pilihan jawaban.")
    elif len(set(o.lower() for o in options)) != len(options):
        errors["options"] = _("Pilihan jawaban tidak boleh kembar.")
    if closes_at is None or (check_closing and closes_at <= now):
        errors["closes_at"] = _("Waktu penutupan harus di masa depan.")
    if errors:
        raise ValidationError(errors)
    return question, options


def poll_update(*, poll: Poll, by, question: str, options: list[str], closes_at: datetime.datetime,
                description: str = "", now: datetime.datetime | None = None) -> Poll:
    """The agency edits its poll. Until somebody answers, everything may change; after
    that the question and the options stay as they were answered (changing them would
    change what people said), while the explanation and the closing time may change. A
    new closing time must lie in the future (so a closed poll can be opened again).
    Side effects: the ``Poll`` row; its ``PollOption`` rows replaced when they changed."""
    now = _now(now)
    _signed_in(by, _("Masuk terlebih dahulu."))
    _may_publish_for(by, poll.agency)
    try:
        with transaction.atomic():
            poll = Poll.objects.select_for_update().get(pk=poll.pk)
            current = list(poll.options.values_list("text", flat=True))
            question, options = _poll_checked(question=question, options=options, closes_at=closes_at, now=now,
                                              check_closing=closes_at != poll.closes_at)
            if poll.answers.exists():
                errors = {}
                if question != poll.question:
                    errors["question"] = _("Pertanyaan tidak dapat diubah setelah ada jawaban.")
                if options != current:
                    errors["options"] = _("Pilihan jawaban tidak dapat diubah setelah ada jawaban.")
                if errors:
                    raise ValidationError(errors)
            before = snapshot(poll)
            poll.question, poll.description, poll.closes_at = question, (description or "").strip(), closes_at
            poll.save(update_fields=["question", "description", "closes_at"])
            changes = diff(before, snapshot(poll))
            if options != current:
                poll.options.all().delete()
                PollOption.objects.bulk_create(PollOption(poll=poll, text=t, position=i)
                                               for i, t in enumerate(options))
                changes["options"] = [current, options]
            if changes:
                audit_record(actor=by, action=AuditAction.CHANGED, target=poll, changes=changes, now=now)
    except IntegrityError:
        # An answer arrived for an option being replaced: the database refused to lose it.
        raise ValidationError({"options": _("Pilihan jawaban tidak dapat diubah setelah ada jawaban.")})
    return poll


def poll_close(*, poll: Poll, by, now: datetime.datetime | None = None) -> Poll:
    """The agency closes its poll now. Side effect: ``closes_at`` becomes now; the answers
    stay and the result stays public."""
    now = _now(now)
    _signed_in(by, _("Masuk terlebih dahulu."))
    _may_publish_for(by, poll.agency)
    if not poll.is_open_at(now):
        raise NotOpen(_("Jajak pendapat ini sudah ditutup."))
    before = snapshot(poll)
    poll.closes_at = now
    with transaction.atomic():
        poll.save(update_fields=["closes_at"])
        audit_record(actor=by, action=AuditAction.CHANGED, target=poll, changes=diff(before, snapshot(poll)),
                     note=CLOSED_EARLY, now=now)
    return poll


def poll_answer(*, poll: Poll, option: PollOption, by, now: datetime.datetime | None = None) -> PollAnswer:
    """A signed-in citizen answers an open poll, once. The unique constraint decides
    between two submits at once; the second raises ``AlreadyAnswered``.
    Side effect: one ``PollAnswer`` row."""
    now = _now(now)
    _signed_in(by, _("Masuk terlebih dahulu untuk memberi pendapat."))
    if not poll.is_open_at(now):
        raise NotOpen(_("Jajak pendapat ini sudah ditutup."))
    if option is None or option.poll_id != poll.pk:
        raise ValidationError({"option": _("Pilih salah satu jawaban.")})
    try:
        with transaction.atomic():
            return PollAnswer.objects.create(poll=poll, option=option, user=by, created_at=now)
    except IntegrityError:
        raise AlreadyAnswered(_("Anda sudah memberi pendapat pada jajak pendapat ini."))

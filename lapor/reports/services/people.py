"""Support, internal notes, the anonymous/confidential flags after submission and the
identity custodian's reveal (SPEC §5)."""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lapor.accounts import pseudonyms
from lapor.reports import policy, writing
from lapor.reports.enums import Action, Kind
from lapor.reports.errors import ActionForbidden, TransitionNotAllowed
from lapor.reports.models import Report, ReportEvent, Support
from lapor.reports.services._core import (
    ANONYMITY_STAYS, CONFIDENTIALITY_STAYS, _authorize, _forget_map_on_commit, _hide_people, _lock, _now, _record,
    _required, confidential_by_reporter,
)
from lapor.reports.services.answers import RESENT_WITHIN


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
    admin, an agency admin over the addressed agency) may make it public again, and only
    when staff made it confidential: never a whistle-blowing report, nor one its reporter
    filed as confidential. Anonymity is never lifted here: only the identity custodian's
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
            elif confidential_by_reporter(report):
                errors["is_confidential"] = CONFIDENTIALITY_STAYS
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

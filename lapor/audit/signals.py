"""Staff sign-ins and second-factor events, into the audit log.

These come from Django's and allauth's own signals because signing in happens inside
their views; the receivers only append an audit entry (they change nothing else), and only
for staff: a citizen's sign-in is not an office action.
"""
from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from allauth.mfa import signals as mfa_signals

from lapor.audit.models import AuditAction
from lapor.audit.services import ROLE_RANK, audit_record


def _home_agency(user):
    """The agency of the staff member's most senior role: their own admins read the entry."""
    memberships = list(user.memberships.select_related("agency"))
    if not memberships:
        return None
    return min(memberships, key=lambda m: ROLE_RANK.index(m.role) if m.role in ROLE_RANK else 99).agency


def _is_staff(user) -> bool:
    return user is not None and (user.is_staff or user.is_superuser or user.memberships.exists())


@receiver(user_logged_in, dispatch_uid="lapor.audit.signed_in")
def staff_signed_in(sender, request, user, **kwargs):
    if _is_staff(user):
        audit_record(actor=user, action=AuditAction.SIGNED_IN, target=user, agency=_home_agency(user),
                     request=request)


@receiver(mfa_signals.authentication_failed, dispatch_uid="lapor.audit.second_factor_failed")
def staff_second_factor_failed(sender, request, user, authenticator, reauthentication=False, **kwargs):
    if _is_staff(user):
        audit_record(actor=user, action=AuditAction.SIGN_IN_FAILED, target=user, agency=_home_agency(user),
                     request=request, note=f"kode verifikasi dua langkah ({_kind(authenticator)}) ditolak")


# The notes are written in the log's language, Indonesian, as the staff's own reasons are.
AUTHENTICATOR_KINDS = {"totp": "aplikasi autentikator", "recovery_codes": "kode pemulihan",
                       "webauthn": "kunci keamanan"}


def _kind(authenticator) -> str:
    return AUTHENTICATOR_KINDS.get(authenticator.type, authenticator.type)


def _second_factor_changed(what):
    def handler(sender, request, user, authenticator, **kwargs):
        if _is_staff(user):
            audit_record(actor=user, action=AuditAction.SECOND_FACTOR_CHANGED, target=user,
                         agency=_home_agency(user), request=request, note=f"{_kind(authenticator)} {what}")
    return handler


_added = _second_factor_changed("dipasang")
_removed = _second_factor_changed("dihapus")
_reset = _second_factor_changed("dibuat ulang")
mfa_signals.authenticator_added.connect(_added, dispatch_uid="lapor.audit.mfa_added")
mfa_signals.authenticator_removed.connect(_removed, dispatch_uid="lapor.audit.mfa_removed")
mfa_signals.authenticator_reset.connect(_reset, dispatch_uid="lapor.audit.mfa_reset")

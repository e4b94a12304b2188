"""Who receives an office's early warnings, set in the back office
(``/kantor/silapat/penerima/``; docs/silapat.md, "Penerima peringatan").

The recipients are ``HarmonyRole`` rows: the head of the Kesbangpol office and the regional
leadership. The people who set thresholds set them too (``access.can_manage_thresholds``):
the head, an Admin Instansi or Admin Unit Kerja of the Kesbangpol unit, the national admin.
A recipient is an existing, active account: the leadership signs in to read the early-warning
page, and its warnings go out in-app and by e-mail or SMS as the person chose. Every
addition and removal is in the office's audit log (role granted / revoked).
"""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lapor.audit.models import AuditAction
from lapor.audit.services import audit_record
from lapor.audit.services import diff as audit_diff
from lapor.audit.services import snapshot as audit_snapshot
from lapor.harmony import access
from lapor.harmony.enums import HarmonyRoleKind
from lapor.harmony.models import HarmonyOffice, HarmonyRole
from lapor.reports.errors import ActionForbidden


def _allowed(by, office: HarmonyOffice) -> None:
    if not access.can_manage_thresholds(by, office):
        raise ActionForbidden(_("Hanya kepala/admin Kesbangpol atau Admin Nasional yang dapat mengatur penerima "
                                "peringatan dini."))


def _label(recipient: HarmonyRole) -> str:
    # The log names an account by its username, never by a full name, and the role in the
    # site's language, whichever the person acting reads (lapor.audit.services.label).
    with translation.override(settings.LANGUAGE_CODE):
        return f"{recipient.user.get_username()} — {recipient.get_role_display()} — {recipient.office}"[:200]


def recipient_add(*, office: HarmonyOffice, by, user, role: str, ip: str | None = None,
                  now: datetime.datetime | None = None) -> HarmonyRole:
    """Let ``user`` receive ``office``'s early warnings as its head or leadership.

    Only ``access.can_manage_thresholds`` people (ActionForbidden otherwise). Refused per
    field with ValidationError, writing nothing: an unknown role, an inactive account, a
    person who already receives them in that role. Side effects: the ``HarmonyRole`` row
    (with ``added_by``/``added_at``) and an audit entry (role granted) in the Kesbangpol
    unit's tree. From then on the person also reads the office's early-warning page."""
    _allowed(by, office)
    errors = {}
    if role not in HarmonyRoleKind.values:
        errors["role"] = _("Pilih perannya: kepala Kesbangpol atau pimpinan daerah.")
    if not user.is_active:
        errors["account"] = _("Akun ini tidak aktif.")
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            recipient = HarmonyRole.objects.create(user=user, office=office, role=role, added_by=by, added_at=now)
            audit_record(actor=by, action=AuditAction.ROLE_GRANTED, target=recipient, agency=office.agency,
                         object_label=_label(recipient), changes=audit_diff(None, audit_snapshot(recipient)),
                         ip=ip, now=now)
    except IntegrityError:  # the unique (user, office, role), also when two people add at once
        raise ValidationError({"account": _("%(name)s sudah menerima peringatan dini sebagai %(role)s.") % {
            "name": user.display_name, "role": HarmonyRoleKind(role).label}}) from None
    return recipient


@transaction.atomic
def recipient_remove(*, recipient: HarmonyRole, by, ip: str | None = None,
                     now: datetime.datetime | None = None) -> None:
    """Stop sending ``recipient`` the office's early warnings (and, unless they are its
    operator, showing them its pages). Same permission as ``recipient_add``. Side effects:
    the row is deleted; an audit entry (role revoked) keeps who it was and in which role.
    Warnings already delivered stay in the person's notifications."""
    _allowed(by, recipient.office)
    audit_record(actor=by, action=AuditAction.ROLE_REVOKED, target=recipient, agency=recipient.office.agency,
                 object_label=_label(recipient), changes=audit_diff(audit_snapshot(recipient), None), ip=ip, now=now)
    recipient.delete()

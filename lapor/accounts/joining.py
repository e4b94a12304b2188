"""Joining a phone-only account into a completed one (docs/decisions/0010-phone-held-at-sign-up.md).

A citizen who reported by SMS (or for whom an RT/RW filed) has an account with no password
(``ReporterProfile.is_phone_only``). When they later sign up on the web and prove that
number with the SMS code, or ask the operating agency's admin, everything that account
holds moves to their completed account, and the number with it: ``account_join_phone_only``.

What moves (the checklist of what an account holds is lapor/portal/personal_data.py): the
reports it filed or was filed for, the files it uploaded, its service ratings, supports,
follows, poll and IKM answers, notifications, and its anonymous reports' stand-ins (each
stand-in now stands for the completed account: the report keeps the same "Pelapor anonim"
account, so it stays anonymous to everyone but its reporter,
docs/decisions/0005-anonymous-reporter-pseudonyms.md). The number moves to the completed
account's profile (replacing one that waits for its code), and with it the SMS it sent
(linked by the number's keyed hash) and every SMS it will send.

What stays: the reports' histories, which are append-only; their entries of the old
account keep pointing at it. That account is left much as erasure leaves one
(lapor/accounts/erasure.py): no name, no e-mail, no profile, no password, inactive, naming
nobody. An SMS sender's keeps its random ``sms-`` username, so the history's entries it
made by SMS still read "Pelapor SMS"; an RT/RW's resident's gets a ``dihapus-`` one.
"""
from __future__ import annotations

import json
import secrets

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from lapor.accounts import pseudonyms
from lapor.accounts.erasure import _relabel_admin_history
from lapor.accounts.models import (
    ERASED_USERNAME_PREFIX, PHONE_ONLY_USERNAME_PREFIX, Pseudonym, ReporterProfile, User,
)
from lapor.api.models import ApiToken, IdempotencyKey
from lapor.audit.models import HIDDEN, AuditAction
from lapor.audit.services import audit_record
from lapor.following.models import Follow
from lapor.notifications.models import Notification, Preference
from lapor.open311.models import Client as Open311Client
from lapor.reports.models import Attachment, Report, Support
from lapor.transparency.models import IkmResponse, PollAnswer, ServiceRating
from lapor.webhooks.models import Subscriber

# Written in the log's language, Indonesian, as the staff's own reasons are.
AUDIT_NOTE = "Akun nomor telepon %(source)s digabungkan ke akun %(into)s"


def _is_staff(user: User) -> bool:
    return bool(user.memberships.exists() or user.is_staff or user.is_superuser or (
        apps.is_installed("lapor.harmony") and user.harmony_roles.exists())
        or Open311Client.objects.filter(account=user).exists() or Subscriber.objects.filter(system=user).exists())


def join_refusal(*, phone_only: User, into: User) -> str | None:
    """Why ``phone_only`` may not be joined into ``into``, in the reader's language, or None."""
    if phone_only.pk == into.pk:
        return _("Akun tidak dapat digabungkan dengan dirinya sendiri.")
    source = ReporterProfile.objects.filter(user=phone_only).first()
    if (source is None or not source.is_phone_only or not phone_only.is_active or phone_only.has_usable_password()
            or phone_only.is_erased or phone_only.is_pseudonym):
        return _("Akun asal bukan akun nomor telepon yang belum dilengkapi (dibuat dari SMS atau oleh RT/RW): "
                 "hanya akun seperti itu yang dapat digabungkan.")
    if _is_staff(phone_only):
        return _("Akun staf atau sistem terhubung tidak dapat digabungkan.")
    target = ReporterProfile.objects.filter(user=into).first()
    # Completed: signed up on the web (a password, or a social sign-in), never phone-only.
    if (target is None or target.is_phone_only or not into.is_active or into.is_erased or into.is_pseudonym
            or _is_staff(into)):
        return _("Akun tujuan harus akun warga yang sudah lengkap, bukan akun staf atau akun nomor telepon.")
    if source.nik and target.nik and source.nik != target.nik:
        return _("NIK yang dicatat RT/RW untuk nomor ini tidak sama dengan NIK akun tujuan. "
                 "Minta RT/RW atau admin membetulkannya lebih dahulu.")
    return None


@transaction.atomic
def account_join_phone_only(*, phone_only: User, into: User, by: User | None, via_admin: bool = False,
                            ip: str | None = None, reason: str = "") -> User:
    """Move everything of the never-completed account ``phone_only`` into the completed
    citizen account ``into``, and the number with it. ``by`` is who asked (``into`` itself
    on the profile, an admin in the Django admin).

    Side effects, in one transaction: reports (as reporter and as filed-by), attachments,
    service ratings, supports, follows, poll and IKM answers and notifications point at
    ``into`` (a row ``into`` already has the like of is dropped, or for an answer kept under
    a stand-in of its own); the stand-ins of its anonymous reports stand for ``into``; the
    number becomes ``into``'s (no number waits any more); ``phone_only`` is left inactive
    with no name, profile, password or sign-in data; one audit entry naming both accounts
    by username. Report histories are not touched (append-only). Raises ValidationError
    (``join_refusal``). Returns ``into``."""
    # Both rows locked, in id order (two joins at once cannot deadlock).
    locked = {u.pk: u for u in User.objects.select_for_update().filter(pk__in=[phone_only.pk, into.pk]).order_by("pk")}
    phone_only, into = locked.get(phone_only.pk, phone_only), locked.get(into.pk, into)
    refusal = join_refusal(phone_only=phone_only, into=into)
    if refusal:
        raise ValidationError(refusal)
    source = ReporterProfile.objects.select_for_update().get(user=phone_only)
    target = ReporterProfile.objects.select_for_update().get(user=into)
    old = phone_only.pk

    Report.objects.filter(reporter_id=old).update(reporter=into)
    Report.objects.filter(filed_by_id=old).update(filed_by=into)
    Attachment.objects.filter(uploaded_by_id=old).update(uploaded_by=into)
    ServiceRating.objects.filter(user_id=old).update(user=into)
    for support in Support.objects.filter(user_id=old):
        if Support.objects.filter(user=into, report_id=support.report_id).exists():
            support.delete()
            Report.objects.filter(pk=support.report_id, support_count__gt=0).update(
                support_count=F("support_count") - 1)
        else:
            Support.objects.filter(pk=support.pk).update(user=into)
    for follow in Follow.objects.filter(user_id=old):
        if Follow.objects.filter(user=into, key=follow.key).exists():
            follow.delete()
        else:
            Follow.objects.filter(pk=follow.pk).update(user=into)
    for answer in PollAnswer.objects.filter(user_id=old):
        taken = PollAnswer.objects.filter(user=into, poll_id=answer.poll_id).exists()
        PollAnswer.objects.filter(pk=answer.pk).update(user=pseudonyms.nobody() if taken else into)
    for response in IkmResponse.objects.filter(respondent_id=old):
        taken = IkmResponse.objects.filter(respondent=into, survey_id=response.survey_id).exists()
        IkmResponse.objects.filter(pk=response.pk).update(respondent=pseudonyms.nobody() if taken else into)
    for note in Notification.objects.filter(recipient_id=old):
        same = Notification.objects.filter(recipient=into, channel=note.channel)
        if (note.event_id is not None and same.filter(event_id=note.event_id).exists()) or (
                note.key and same.filter(key=note.key).exists()):
            note.delete()
        else:
            Notification.objects.filter(pk=note.pk).update(recipient=into)

    # The anonymous reports' stand-ins now stand for ``into``: the same "Pelapor anonim"
    # account on each report, sealed to its new person.
    moved = sorted(pseudonyms.own_ids(phone_only) - {old})
    for pseudonym in Pseudonym.objects.filter(user_id__in=moved):
        pseudonym.owner_sealed = str(into.pk)
        pseudonym.save(update_fields=["owner_sealed"])
    if moved:
        sealed = User.objects.filter(pk=into.pk).values_list("stand_ins_sealed", flat=True).first() or ""
        ids = [*pseudonyms._ids(sealed), *moved]
        into.stand_ins_sealed = json.dumps(ids)
        User.objects.filter(pk=into.pk).update(stand_ins_sealed=into.stand_ins_sealed)
        pseudonyms.forget_own_ids(into)

    # The number: freed from the old profile (its hash is unique), then ``into``'s.
    phone = source.phone
    _relabel_admin_history(phone_only, source)
    source.delete()
    target.phone = phone
    target.pending_phone = None
    target.save(update_fields=["phone", "pending_phone"])

    Preference.objects.filter(user_id=old).delete()
    EmailAddress.objects.filter(user_id=old).delete()
    SocialAccount.objects.filter(user_id=old).delete()
    Authenticator.objects.filter(user_id=old).delete()
    ApiToken.objects.filter(user_id=old).delete()
    IdempotencyKey.objects.filter(user_id=old).delete()

    source_name = phone_only.username
    if not source_name.startswith(PHONE_ONLY_USERNAME_PREFIX):
        # An RT/RW's resident ("warga-…"): reads "Warga (akun dihapus)" from now on. An SMS
        # sender's random "sms-…" stays, so its SMS entries still read "Pelapor SMS".
        phone_only.username = f"{ERASED_USERNAME_PREFIX}{secrets.token_hex(10)}"
    phone_only.full_name = phone_only.first_name = phone_only.last_name = phone_only.email = ""
    phone_only.stand_ins_sealed = ""
    phone_only.last_login = None
    phone_only.is_active = False
    phone_only.set_unusable_password()
    phone_only.save(update_fields=["username", "full_name", "first_name", "last_name", "email", "stand_ins_sealed",
                                   "last_login", "is_active", "password"])
    pseudonyms.forget_own_ids(phone_only)

    note = AUDIT_NOTE % {"source": source_name, "into": into.username}
    note += f": {reason.strip()}" if reason and reason.strip() else "."
    audit_record(actor=by if by is not None else into, action=AuditAction.CHANGED, target=into, via_admin=via_admin,
                 object_label=into.username,
                 ip=ip, note=note, changes={"phone": [HIDDEN, HIDDEN]})
    return into

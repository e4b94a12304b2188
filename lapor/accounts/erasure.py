"""Erasing a citizen's account and personal data at their request (UU 27/2022, the right to
erasure), while the record of the public service they used stays (UU 25/2009, Perpres
76/2013). The design and what is kept: docs/decisions/0007-account-erasure.md.

The account itself becomes one that names nobody, as an anonymous report's stand-in does
(lapor/accounts/pseudonyms.py): a random username (``dihapus-…``), no name, no e-mail, no
profile, no password, inactive. Its reports, their history, follow-ups, files, ratings and
supports keep pointing at it, so every surface that shows them keeps working and reads
"Warga (akun dihapus)" where it named the person. Everything else held about the person
(the checklist is lapor/portal/personal_data.py) is deleted, or cut loose from them.

Both the citizen's own page (/profil/hapus-akun/) and the operating agency's Django admin
action call ``account_erase``; ``erase_refusal`` says beforehand why an account may not be
erased there (a staff account: its work is in the audit log under its name).
"""
from __future__ import annotations

import json
import secrets

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from lapor.accounts import pseudonyms
from lapor.accounts.models import (
    ERASED_ACCOUNT, ERASED_USERNAME_PREFIX, PendingMail, PhoneClaim, Pseudonym, ReporterProfile, User,
)
from lapor.api.models import ApiToken, IdempotencyKey
from lapor.audit.models import HIDDEN, AuditAction
from lapor.audit.services import audit_record
from lapor.core.crypto import lookup_hash
from lapor.core.security import axes_username
from lapor.following.models import Follow
from lapor.notifications.models import Notification, Preference
from lapor.open311.models import Client as Open311Client
from lapor.reports.models import Report
from lapor.sms.models import InboundSms
from lapor.transparency.models import IkmResponse, PollAnswer
from lapor.webhooks.models import Subscriber

# Written in the log's language, Indonesian, as the staff's own reasons are.
AUDIT_NOTE = "Data pribadi dihapus atas permintaan pemilik akun"


def erase_refusal(user) -> str | None:
    """Why ``user``'s account may not be erased, in the reader's language, or None.

    Staff accounts (roles in agencies or SILAPAT, or access to the Django admin): what
    they did is in the audit log and the reports' histories under their name; an admin
    removes their roles first. Accounts of connected systems (Open311, webhooks) are an
    organisation's, not a person's."""
    if user.memberships.exists() or user.is_staff or user.is_superuser or (
            apps.is_installed("lapor.harmony") and user.harmony_roles.exists()):
        return _("Akun staf tidak dapat dihapus di sini: tindakan staf tercatat dalam log audit atas nama akunnya. "
                 "Minta admin instansi mencabut semua peran akun ini lebih dahulu, lalu hapus data pribadinya.")
    if Open311Client.objects.filter(account=user).exists() or Subscriber.objects.filter(system=user).exists():
        return _("Akun ini dipakai sistem yang terhubung (Open311 atau webhook), bukan oleh perorangan. "
                 "Lepaskan dulu sistem itu dari akun ini.")
    return None


@transaction.atomic
def account_erase(*, user: User, by, reason: str = "", via_admin: bool = False, ip: str | None = None) -> User:
    """Erase ``user``'s personal data; their reports stay, under an account naming nobody.

    Side effects, in one transaction:

    - the account: username ``dihapus-<random>``, no name, no e-mail, no last sign-in,
      an unusable password, inactive (every session of it stops working: it no longer
      matches the account), the list of its anonymous reports' stand-ins emptied;
    - deleted: the reporter profile (NIK, sex, birth date, occupation, phone, the number
      waiting for its code, e-mail, their keyed hashes; an RT/RW appointment ends with
      it), allauth's e-mail addresses, social accounts and second factors, API tokens and
      idempotency keys, follows, notification settings, their notifications (their own
      and their stand-ins': the inbox, and anything not sent yet), account e-mail kept for
      sending, phone-claim codes, sign-in records and lockout counters under their user
      name or e-mail;
    - cut loose: the stand-ins of their anonymous reports no longer lead to them (the
      custodian's reveal finds nobody); each poll and IKM answer moves to a stand-in of
      its own, so it still counts and is linked to no one; SMS from their number lose the
      sender's keyed hash and fingerprint (their text and outcome stay);
    - their name leaves the stored words of notifications about their reports (to staff,
      or to the resident an RT/RW filed for) and of the Django admin's history;
    - one audit entry (who asked, when, ``reason``, from ``ip``, whether ``via_admin``; no
      personal data).

    Kept as the record of the public service: their reports with history, files,
    follow-ups, ratings and supports (docs/decisions/0007-account-erasure.md). Raises
    ValidationError (``erase_refusal``) for a staff or system account. Idempotent: an
    erased account is returned as it is, with no second audit entry."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_erased:
        return user
    refusal = erase_refusal(user)
    if refusal:
        raise ValidationError(refusal)
    profile = ReporterProfile.objects.filter(user=user).first()
    mine = pseudonyms.own_ids(user)
    emails = _addresses(user, profile)

    _unname_notifications(user)
    Notification.objects.filter(recipient_id__in=mine).delete()
    Follow.objects.filter(user_id__in=mine).delete()
    Preference.objects.filter(user=user).delete()
    _unlink_answers(mine)
    Pseudonym.objects.filter(user_id__in=mine - {user.pk}).delete()
    _forget_contacts(user, profile, emails)
    _relabel_admin_history(user, profile)

    before = {"username": user.username, "full_name": user.full_name, "email": user.email}
    was_active = user.is_active
    user.username = f"{ERASED_USERNAME_PREFIX}{secrets.token_hex(10)}"
    user.full_name = user.first_name = user.last_name = user.email = ""
    user.stand_ins_sealed = ""
    user.last_login = None
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["username", "full_name", "first_name", "last_name", "email", "stand_ins_sealed",
                             "last_login", "is_active", "password"])
    pseudonyms.forget_own_ids(user)

    # The erased account itself when it asks: its old username must not be the log's actor name.
    actor = user if by is None or by.pk == user.pk else by
    note = AUDIT_NOTE + (f": {reason.strip()}" if reason and reason.strip() else ".")
    audit_record(actor=actor, action=AuditAction.DELETED, target=user, via_admin=via_admin, ip=ip, note=note,
                 changes={**{name: [HIDDEN, None] for name, value in before.items() if value},
                          "username": [HIDDEN, user.username],
                          **({"is_active": [True, False]} if was_active else {})})
    return user


def _addresses(user, profile) -> set[str]:
    """Every e-mail address the account holds, in lower case."""
    found = {user.email, profile.email if profile else ""}
    found |= set(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    return {address.strip().lower() for address in found if address and address.strip()}


def _names(user) -> set[str]:
    """How stored words may name the person: their full name, or the username they chose
    when the pages showed that instead ("Pelapor SMS" names nobody)."""
    name = user.full_name.strip() or (user.username if user.display_name == user.username else "")
    return {name} if len(name) > 2 else set()


def _unname_notifications(user) -> None:
    """What staff (and the resident an RT/RW filed for) were told about this person's
    reports names them ("Tanggapan pelapor; Siti Rahmawati"): the stored words say "Warga
    (akun dihapus)" instead, in each message's language. Their anonymous reports' never
    named them (lapor/notifications/messages.py)."""
    names = _names(user)
    if not names:
        return
    about = Report.objects.filter(Q(reporter=user) | Q(filed_by=user)).values("pk")
    for notification in Notification.objects.filter(report__in=about).exclude(recipient=user):
        with translation.override(notification.language):
            erased = str(ERASED_ACCOUNT)
        subject, body = notification.subject, notification.body
        for name in sorted(names, key=len, reverse=True):
            subject, body = subject.replace(name, erased), body.replace(name, erased)
        if (subject, body) != (notification.subject, notification.body):
            notification.subject, notification.body = subject[:200], body
            notification.save(update_fields=["subject", "body"])


def _unlink_answers(mine) -> None:
    """A poll or IKM answer counts in published figures: it stays, each under a stand-in of
    its own (``pseudonyms.nobody``), so no two of them, and none of them and the person's
    reports, can be joined."""
    for answer in PollAnswer.objects.filter(user_id__in=mine):
        answer.user = pseudonyms.nobody()
        answer.save(update_fields=["user"])
    for response in IkmResponse.objects.filter(respondent_id__in=mine):
        response.respondent = pseudonyms.nobody()
        response.save(update_fields=["respondent"])


def _forget_contacts(user, profile, emails: set[str]) -> None:
    """Everything that reaches or names the person by address, number or sign-in."""
    phones = [p for p in ((profile.phone, profile.pending_phone) if profile else ()) if p]
    phone_hashes = [lookup_hash(p) for p in phones]
    if profile is not None and profile.phone:
        # Their SMS no longer lead to them: CEK and the reporter's moves from that number
        # answer as for a stranger. The row keeps what was asked and what it did.
        InboundSms.objects.filter(sender_hash=lookup_hash(profile.phone)).update(sender_hash="", fingerprint=None)
    PhoneClaim.objects.filter(phone_hash__in=phone_hashes).delete()
    if profile is not None:
        profile.delete()
    EmailAddress.objects.filter(user=user).delete()
    SocialAccount.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()
    IdempotencyKey.objects.filter(user=user).delete()
    if apps.is_installed("rest_framework.authtoken"):
        from rest_framework.authtoken.models import Token

        Token.objects.filter(user=user).delete()
    # Sign-in records are kept under the keyed hash of the login as typed (lapor/core/security.py).
    logins = [user.username, *emails]
    keys = [axes_username(None, {"username": login}) for login in logins] + logins
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        model.objects.filter(username__in=keys).delete()
    if emails:
        for pending in PendingMail.objects.all():
            message = json.loads(pending.message)
            to = {a.lower() for a in (*message.get("to", []), *message.get("cc", []), *message.get("bcc", []))}
            if to & emails:
                pending.delete()


def _relabel_admin_history(user, profile) -> None:
    """The Django admin's own history names an account by its ``str`` (the full name)."""
    rows = Q(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk))
    if profile is not None:
        rows |= Q(content_type=ContentType.objects.get_for_model(ReporterProfile), object_id=str(profile.pk))
    names = _names(user)
    with translation.override("id"):
        erased = str(ERASED_ACCOUNT)
    for entry in LogEntry.objects.filter(rows):
        message = entry.change_message
        for name in names:
            message = message.replace(name, erased)
        entry.object_repr, entry.change_message = erased, message
        entry.save(update_fields=["object_repr", "change_message"])

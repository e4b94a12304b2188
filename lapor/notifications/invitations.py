"""Staff are told by e-mail of the roles they are given (SPEC §6, §8, §10).

A new staff account (the staff form in ``/kantor/kelola/staf/``, or the first admin of an
agency in an imported tree, lapor/agencies/importing.py) has no password. Once the
transaction that made it commits, its owner gets an invitation: which role at which
agency, given by whom (the granting admin's agency, never the admin's own name: the
address may be mistyped, and a stranger reading it learns an office, not a colleague),
their user name, and a link that sets their own password. The link is allauth's
password-reset link (``account_reset_password_from_key``: a uid and a token of the
generator allauth checks it with, ``ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR``, by default
Django's made e-mail-aware: it dies once used, when the password or the address changes,
and after ``PASSWORD_RESET_TIMEOUT``); setting the password through it proves the address
(``verify_address_on_password_reset``), which ``ACCOUNT_EMAIL_VERIFICATION =
"mandatory"`` asks for at the first sign-in. The e-mail says that a second factor (TOTP)
is set up after signing in. An existing account given a new role gets a short notice
instead, without a link. Nobody is told of a role they gave themselves.

Delivery: ``staff_roles_granted`` registers the e-mails in the current transaction; after
it commits they are queued to the ``lapor.tell_staff_of_roles`` task (run at once on the
embedded default, by a worker with Celery; a broker that is down has them sent from this
process instead). A transaction rolled back, a dry run of an import among them, sends
nothing. They go out through the account-mail path (lapor/accounts/mail.py, as allauth's
own confirmation and reset mails), not as ``Notification`` rows: those keep their body in
clear in a table the Django admin shows, and this body holds a live password link. A
mail server that is down keeps the message sealed and the periodic job sends it (within
the link's life); a batch (an imported tree) uses one connection and stops trying after
the server itself failed once, keeping the rest, so hundreds of admins never cost
hundreds of timeouts.
"""
from __future__ import annotations

import functools
import logging
import smtplib
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from lapor.notifications.messages import language_of, render_html

log = logging.getLogger(__name__)


def staff_roles_granted(grants: Mapping[int, Iterable[int]], *, by=None) -> None:
    """Tell each person of ``grants`` (``{user id: [membership ids]}``, roles just given
    by ``by``) once the current transaction commits: one e-mail per person, however many
    roles. Nothing if it rolls back (callbacks of a rolled-back savepoint are dropped)."""
    by_id = getattr(by, "pk", None)
    payload = [[user_id, sorted(set(ids))] for user_id, ids in grants.items() if ids and user_id != by_id]
    if payload:
        transaction.on_commit(functools.partial(_queue, payload, by_id))


def _queue(grants: list, by_id: int | None) -> None:
    """After commit: never raises (the roles are given; an error page would say otherwise)."""
    from lapor.notifications.tasks import tell_staff_of_roles

    try:
        tell_staff_of_roles.delay(grants, by_id)
        return
    except Exception:  # noqa: BLE001 — the broker: nothing retries a lost invitation, so send it from here
        log.exception("could not queue %d staff role e-mail(s); sending them from this process", len(grants))
    try:
        staff_roles_tell(grants=grants, by_id=by_id)
    except Exception:  # noqa: BLE001
        log.exception("could not send %d staff role e-mail(s)", len(grants))


def staff_roles_tell(*, grants: list, by_id: int | None) -> int:
    """Compose and send the e-mails of ``grants`` (``[[user id, [membership ids]], …]``);
    returns how many went out now (the others are kept for the periodic job, or were
    refused for good). Memberships taken away since, inactive accounts and accounts
    without an address are skipped."""
    from lapor.agencies.models import Membership

    User = get_user_model()
    by = User.objects.filter(pk=by_id).first() if by_id else None
    messages = []
    for user_id, membership_ids in grants:
        user = (User.objects.filter(pk=user_id, is_active=True).select_related("notification_preference").first())
        if user is None or not user.email:
            continue
        memberships = list(Membership.objects.filter(pk__in=membership_ids, user=user).select_related("agency")
                           .order_by("agency__path", "role"))
        if memberships:
            messages.append(compose(user, memberships, by=by))
    return _deliver(messages)


def is_invitation(user) -> bool:
    """An account never used: no password of its own, never signed in. Its e-mail carries
    the link that sets the password (again, if an earlier one ran out)."""
    return not user.has_usable_password() and user.last_login is None


def password_link(user) -> str:
    """allauth's link that sets a new password (the one "Lupa kata sandi" mails)."""
    from allauth.account.forms import UserTokenForm
    from allauth.account.utils import user_pk_to_url_str

    # The generator the link is checked with (allauth's e-mail-aware one unless configured).
    token = UserTokenForm.token_generator.make_token(user)
    path = reverse("account_reset_password_from_key", kwargs={"uidb36": user_pk_to_url_str(user), "key": token})
    return settings.LAPOR_SITE_URL + path


def granted_by(by, agency) -> dict:
    """Who gave the role, as the e-mail names it: the Lapor administrators (a command run
    without ``--by``, or an account with no admin role), the National Admin, or the
    admins of the agency whose admin ``by`` is, closest above the role's agency."""
    from lapor.agencies.models import Membership, Role

    if by is None:
        return {"by_kind": "system"}
    held = list(Membership.objects.filter(user=by, role__in=[Role.NATIONAL_ADMIN, Role.AGENCY_ADMIN])
                .select_related("agency"))
    if any(m.role == Role.NATIONAL_ADMIN for m in held):
        return {"by_kind": "national"}
    above = [m.agency for m in held if agency.path.startswith(m.agency.path)]
    if above:
        return {"by_kind": "agency", "by_agency": max(above, key=lambda a: len(a.path)).name}
    return {"by_kind": "system"}


def compose(user, memberships, *, by) -> EmailMultiAlternatives:
    """The e-mail to ``user`` about ``memberships``, in their language (``Preference``;
    Indonesian for an account that never chose)."""
    from allauth.mfa.models import Authenticator

    from lapor.agencies.models import Role

    language = language_of(user)
    invite = is_invitation(user)
    site = settings.LAPOR_SITE_URL
    with translation.override(language):
        context = {
            "name": user.full_name or user.username,
            "username": user.username,
            "roles": [{"role": str(Role(m.role).label), "agency": m.agency.name} for m in memberships],
            "agency": memberships[0].agency.name,
            "invite": invite,
            "url": password_link(user) if invite else site + reverse("office:inbox"),
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
            "reset_url": site + reverse("account_reset_password"),
            "login_url": site + reverse("account_login"),
            "needs_totp": invite or not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
            **granted_by(by, memberships[0].agency),
        }
        prefix = f"notifications/email/{language}/staff_roles"
        subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())[:200]
        body = render_to_string(f"{prefix}.txt", context).strip()
        html = render_html(subject=subject, body=body, url=context["url"], language=language,
                           button=gettext("Buat kata sandi") if invite else gettext("Buka halaman kantor"))
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
                                     to=[user.email], headers={"Content-Language": language})
    message.attach_alternative(html, "text/html")
    return message


class _Batch:
    """One connection for a batch of messages. Once the server itself failed (refused,
    timed out, dropped), the rest fail at once with that error, so ``send_or_keep`` keeps
    them without waiting for the server again."""

    def __init__(self):
        self.connection = get_connection()
        self.down: Exception | None = None

    def send_messages(self, messages):
        if self.down is not None:
            raise self.down
        try:
            return self.connection.send_messages(messages)
        except (OSError, smtplib.SMTPException) as error:
            if not isinstance(error, (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused)):
                self.down = error
            raise

    def close(self):
        try:
            self.connection.close()
        except Exception:  # noqa: BLE001 — closing a connection that never opened
            pass


def _deliver(messages: list[EmailMultiAlternatives]) -> int:
    from lapor.accounts.mail import send_or_keep

    if not messages:
        return 0
    batch = _Batch()
    if len(messages) > 1:
        try:
            batch.connection.open()  # kept open for the batch; a server that is down fails here once
        except (OSError, smtplib.SMTPException) as error:
            batch.down = error
    sent = 0
    try:
        for message in messages:
            message.connection = batch
            sent += send_or_keep(message)
    finally:
        batch.close()
    return sent


def verify_address_on_password_reset(sender, request, user, **kwargs) -> None:
    """allauth's ``password_reset`` signal: a password set through a link mailed to the
    account's only address proves that address (allauth marks it only for reset by code).
    An invited officer can then sign in at once (verification is mandatory). With more
    than one address it is not known which one received the link: nothing is marked."""
    from allauth.account.adapter import get_adapter
    from allauth.account.models import EmailAddress

    addresses = list(EmailAddress.objects.filter(user_id=user.pk))
    if len(addresses) != 1 or addresses[0].verified:
        return
    address = addresses[0]
    if user.email and address.email.lower() != user.email.lower():
        return
    get_adapter(request).confirm_email(request, address)

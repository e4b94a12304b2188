"""allauth hooks for Lapor's accounts."""
import unicodedata

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from lapor.accounts.models import ERASED_USERNAME_PREFIX, PHONE_ONLY_USERNAME_PREFIX, PSEUDONYM_USERNAME_PREFIX
from lapor.accounts.services import account_sync_email
from lapor.core import crypto
from lapor.core.crypto import EMAIL_MAX_LENGTH, normalize_email


RESERVED_USERNAME_PREFIXES = (PSEUDONYM_USERNAME_PREFIX, PHONE_ONLY_USERNAME_PREFIX, ERASED_USERNAME_PREFIX)


def masked_email(email: str) -> str:
    """"budi@example.com" as "b***@example.com": enough for its owner to know it, not
    enough for whoever reads the old mailbox to write to the new one."""
    local, _at, domain = (email or "").rpartition("@")
    return f"{local[:1]}***@{domain}" if local else email


def storable(email: str) -> bool:
    """Whether the address fits its sealed column (lapor/core/crypto.py)."""
    return len(normalize_email(email or "")) <= EMAIL_MAX_LENGTH


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """allauth's e-mails greet "from" the site: Lapor, at its address (without
        django.contrib.sites they would name the host the request came to, "127.0.0.1:8000")."""
        from types import SimpleNamespace
        from urllib.parse import urlsplit

        from django.conf import settings

        from lapor.accounts.mail import send_or_keep

        site = SimpleNamespace(name="Lapor", domain=urlsplit(settings.LAPOR_SITE_URL).netloc)
        # A mail server that is down keeps the message for the periodic job: never a 500
        # after the account was made, never a confirmation link lost (lapor/accounts/mail.py).
        from allauth.core import context as allauth_context

        if template_prefix == "account/email/email_confirmation" and context.get("user") is not None:
            # "The account keeps its old address meanwhile" only where there is one: not
            # for a first address (an account made by createsuperuser, or by SMS).
            from allauth.account.models import EmailAddress

            context = {**context, "keeps_old_address": any(
                other.verified and other.email.lower() != email.lower()
                for other in EmailAddress.objects.filter(user=context["user"]))}
        send_or_keep(self.render_mail(template_prefix, email, {
            "request": allauth_context.request, "email": email, **context, "current_site": site}))

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        # The notice of a changed address goes to the old one, which may no longer be
        # only the citizen's: it shows the new address masked.
        context = dict(context or {})
        if context.get("to_email"):
            context["to_email_masked"] = masked_email(context["to_email"])
        super().send_notification_mail(template_prefix, user, context, email)

    def get_client_ip(self, request):
        """The client's address as the rest of Lapor reads it (LAPOR_PROXY_COUNT,
        lapor.core.security.client_ip) for allauth's rate limits (sign-up attempts, failed
        sign-ins): allauth alone would count nginx's address, one bucket for everyone."""
        from lapor.core.security import client_ip

        return client_ip(request) or super().get_client_ip(request)

    def get_login_redirect_url(self, request):
        """Staff signing in without a page to go back to land on their inbox, citizens on
        the portal (``LOGIN_REDIRECT_URL``), or, while the number they gave at sign-up or on
        the profile waits for its code, on the page that asks for it."""
        from django.urls import reverse

        from lapor.accounts.claims import has_pending_phone
        from lapor.reports import policy

        if request.user.is_authenticated and policy.roles_held(request.user).is_staff_member:
            return "/kantor/"
        if request.user.is_authenticated and has_pending_phone(request.user):
            return reverse("portal:profile_phone")
        return super().get_login_redirect_url(request)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """The second factor's pages (``allauth.mfa``: set up, remove, recovery codes) do
        not ask again when this session's sign-in typed the password (or a code) less than
        ``ACCOUNT_REAUTHENTICATION_TIMEOUT`` ago: allauth counts only its own
        re-authentication page, so an officer sent to set up the second factor right after
        signing in (lapor/office/middleware.py) was asked for the same password again. A
        session signed in longer ago (a computer left open) is still asked, and so is
        every change of address (``allauth.account``), as before."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        return not (app == "allauth.mfa" and self._signed_in_just_now())

    def _signed_in_just_now(self) -> bool:
        import time

        from allauth.account import app_settings
        from allauth.account.authentication import get_authentication_records

        request = self.request
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        # Recorded by allauth's sign-in in this session, for this user: "password" at the
        # password step, "mfa" at the code step. A password reset ("password_reset") proves
        # the mailbox, not the password, and a social sign-in neither.
        proven = [record["at"] for record in get_authentication_records(request, user)
                  if record.get("method") in ("password", "mfa")]
        return bool(proven) and time.time() - max(proven) < app_settings.REAUTHENTICATION_TIMEOUT

    def clean_email(self, email):
        email = super().clean_email(email)
        if not storable(email):
            raise ValidationError(_("Alamat e-mail paling panjang %(limit)d karakter.") % {"limit": EMAIL_MAX_LENGTH})
        return email

    def clean_username(self, username, shallow=False):
        username = super().clean_username(username, shallow=shallow)
        # Made-up accounts are told apart by these prefixes: an anonymous report's stand-in
        # (lapor/accounts/pseudonyms.py) and an SMS sender's phone-only account.
        # Compared as Django compares user names (NFKC): "ｓｍｓ-budi" is "sms-budi".
        folded = unicodedata.normalize("NFKC", username).lower()
        for prefix in RESERVED_USERNAME_PREFIXES:
            if folded.startswith(prefix):
                raise ValidationError(_("Nama pengguna tidak boleh diawali “%(prefix)s”.") % {"prefix": prefix})
        return username

    def get_user_search_fields(self):
        # For allauth's admin lists (social accounts): the sealed e-mail cannot be searched
        # by substring.
        return ["username", "full_name"]

    def confirm_email(self, request, email_address):
        # With ACCOUNT_CHANGE_EMAIL a confirmed address becomes the account's address:
        # keep the encrypted copy in the profile in step (docs/decisions/0002-account-email.md).
        confirmed = super().confirm_email(request, email_address)
        user = type(email_address.user).objects.get(pk=email_address.user_id)
        account_sync_email(user=user)
        return confirmed


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def get_provider(self, request, provider, client_id=None):
        from allauth.socialaccount.models import SocialApp

        try:
            return super().get_provider(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            # A provider with no client id configured (settings.SOCIALACCOUNT_PROVIDERS) or
            # SocialApp is switched off: its sign-in pages do not exist, as allauth says of
            # an unknown OpenID Connect app.
            raise Http404 from None

    def pre_social_login(self, request, sociallogin):
        # An address from Google, Facebook or X too long to be sealed is not taken: the
        # sign-up form then asks for one, with the same check as everywhere else.
        sociallogin.email_addresses = [a for a in sociallogin.email_addresses if storable(a.email)]
        if not storable(sociallogin.user.email):
            sociallogin.user.email = ""
        super().pre_social_login(request, sociallogin)


class MFAAdapter(DefaultMFAAdapter):
    """Officers' TOTP secrets and recovery-code seeds encrypted at rest (allauth stores them
    in clear unless told otherwise): whoever read the database or a backup could otherwise
    make every officer's codes, and the second factor that guards the back office and the
    reporters' identities would protect nothing."""

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)

"""Staff must use a second factor (TOTP, through allauth.mfa) before the back office.

A user with any ``Membership`` (or a SILAPAT role: the head and leadership who receive early
warnings), and any superuser or ``is_staff`` account, role or not, who asks for a protected
page (``/kantor/``, ``/admin/`` and the supervisors' ``/kinerja/pengawasan/`` by default,
setting ``LAPOR_MFA_REQUIRED_PREFIXES``) is sent

- to allauth's TOTP activation page when they have no authenticator yet;
- to allauth's MFA re-authentication page when they have one but did not enter a code in
  this session (e.g. they signed in before activating it; setting it up, with a code
  from it, counts as entering one in that session).

Signing in with an authenticator set up always asks for the code (allauth's own login
stage), and passing it records an ``mfa`` entry in the session's authentication log, which
is what is checked here.

Everywhere else (the portal's report pages, their files and feeds), a staff member who has
not passed it in this session acts as a citizen: the signed-in user is marked here, and
``policy.actor_for`` gives them no staff roles until they have (a citizen made an officer
signs in with their password and reads no more than before).
"""
from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.middleware import get_user
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from allauth.account.authentication import get_authentication_records
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator

from lapor.reports import policy

# The supervisors' page lives beside the public performance pages, but is theirs alone.
DEFAULT_PREFIXES = ("/kantor/", "/admin/", "/kinerja/pengawasan/")


# The session of someone who has just set up their authenticator, with a code from it.
SET_UP_IN_SESSION = "lapor_second_factor_set_up"


def passed_second_factor(request, user) -> bool:
    return (request.session.get(SET_UP_IN_SESSION) == user.pk
            or any(record.get("method") == "mfa" for record in get_authentication_records(request, user)))


@receiver(mfa_signals.authenticator_added, dispatch_uid="lapor.office.second_factor_set_up")
def _set_up_counts_as_passed(sender, request, user, authenticator, **kwargs):
    """Activating TOTP takes a code from the new authenticator: in that session it counts as
    the code entered, so a first sign-in is not asked for a second code straight after
    (keyed by the user: Django empties the session when another person signs in, and at
    signing out)."""
    if request is not None and authenticator.type == Authenticator.Type.TOTP and request.user.pk == user.pk:
        request.session[SET_UP_IN_SESSION] = user.pk


def needs_second_factor(user) -> bool:
    """Staff (any Membership), and the people SILAPAT sends early warnings to (its head and
    the regional leadership, who may hold no Membership): both read back-office pages.
    Superusers and ``is_staff`` accounts too, with or without a role: /admin/ lets them
    grant roles and issue API tokens, more than any role gives.
    With SILAPAT switched off its app is not installed and its models cannot be imported
    (its roles, left in the database, give no back-office page then)."""
    if user.is_superuser or user.is_staff:
        return True
    if policy.roles_held(user).is_staff_member:
        return True
    if not apps.is_installed("lapor.harmony"):
        return False
    from lapor.harmony.models import HarmonyRole

    return HarmonyRole.objects.filter(user=user).exists()


def _second_factor_known(request, user):
    """``user``, told how to find out whether they passed the second factor in this session
    (asked by ``policy.actor_for`` of staff only)."""
    if user.is_authenticated:
        user._lapor_second_factor_pending = lambda: not passed_second_factor(request, user)
    return user


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(getattr(settings, "LAPOR_MFA_REQUIRED_PREFIXES", DEFAULT_PREFIXES))

    def __call__(self, request):
        if hasattr(request, "user"):
            # As lazy as Django's own: a page that never asks who is signed in costs nothing.
            request.user = SimpleLazyObject(lambda: _second_factor_known(request, get_user(request)))
        if request.path.startswith(self.prefixes):
            response = self.check(request)
            if response is not None:
                return response
        return self.get_response(request)

    def check(self, request):
        user = request.user
        if not user.is_authenticated or not needs_second_factor(user):
            return None  # the views send these away themselves
        # Asked every time (one indexed query): a removed authenticator takes effect at once.
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            messages.warning(request, _(
                "Petugas wajib memakai verifikasi dua langkah. Pasang aplikasi autentikator "
                "(misalnya Google Authenticator atau Aegis), pindai kode QR, lalu masukkan kodenya."
            ))
            return redirect(reverse("mfa_activate_totp"))
        if not passed_second_factor(request, user):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
        return None

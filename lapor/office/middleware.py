"""Staff must use a second factor (TOTP, through allauth.mfa) before the back office.

A user with any ``Membership`` (or a SILAPAT role: the head and leadership who receive early
warnings) who asks for a protected page (``/kantor/`` and ``/admin/`` by default,
setting ``LAPOR_MFA_REQUIRED_PREFIXES``) is sent

- to allauth's TOTP activation page when they have no authenticator yet;
- to allauth's MFA re-authentication page when they have one but did not enter a code in
  this session (e.g. they signed in before activating it).

Signing in with an authenticator set up always asks for the code (allauth's own login
stage), and passing it records an ``mfa`` entry in the session's authentication log, which
is what is checked here.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator

from lapor.reports import policy

DEFAULT_PREFIXES = ("/kantor/", "/admin/")


def passed_second_factor(request, user) -> bool:
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, user))


def needs_second_factor(user) -> bool:
    """Staff (any Membership), and the people SILAPAT sends early warnings to (its head and
    the regional leadership, who may hold no Membership): both read back-office pages."""
    if policy.actor_for(user).is_staff_member:
        return True
    from lapor.harmony.models import HarmonyRole

    return HarmonyRole.objects.filter(user=user).exists()


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(getattr(settings, "LAPOR_MFA_REQUIRED_PREFIXES", DEFAULT_PREFIXES))

    def __call__(self, request):
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

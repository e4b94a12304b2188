"""Signing staff in for tests the way allauth records it: a TOTP authenticator on the
account and a session in which the second factor was passed. (The real sign-in with a
typed code is tested in test_second_factor.py.)"""
from django.test import Client, RequestFactory

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret


def give_totp(user) -> str:
    """Set up TOTP for ``user``; returns the secret (what their phone app would hold)."""
    secret = generate_totp_secret()
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    TOTP.activate(user, secret)
    return secret


def mark_second_factor_passed(client: Client, user) -> None:
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = user
    record_authentication(request, user, "password", username=user.username)
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    request.session.save()


def sign_in(client: Client, user, *, second_factor: bool = True) -> Client:
    """Sign ``user`` in on ``client``; staff with a second factor passed, unless told not."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if second_factor and (user.is_superuser or user.is_staff or user.memberships.exists()
                          or user.harmony_roles.exists()):
        give_totp(user)
        mark_second_factor_passed(client, user)
    return client


def browser_sign_in(context, user, base_url) -> None:
    """Give a Playwright browser context the session of ``user`` with the second factor passed."""
    from django.conf import settings

    client = sign_in(Client(), user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])

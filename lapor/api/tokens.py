"""Keys to the REST API, stored as keyed hashes (SPEC §5: nothing in the database should
open a citizen's account or reveal who they are).

DRF's own ``authtoken`` keeps the key itself in its table, so a leaked backup would let
anyone act as every citizen and officer holding one, and gives one key per person, shared
by all their devices. Here a key is 40 random hex characters, shown once; the table keeps
its HMAC (``LOOKUP_HASH_KEY``). Each sign-in through ``/api/v1/auth/token/`` issues a new
key for that device; the oldest are dropped past ``KEPT_PER_USER``.
"""
from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from lapor.api.models import ApiToken
from lapor.core.crypto import lookup_hash
from lapor.reports import policy

# Sign-ins keep this many keys per account (phones, tablets, a reinstalled app).
KEPT_PER_USER = 10


def token_digest(key: str) -> str:
    return lookup_hash(f"api-token:{key}")


def new_key() -> tuple[str, str]:
    """A fresh key and the digest that is stored for it."""
    key = secrets.token_hex(20)
    return key, token_digest(key)


@transaction.atomic
def token_issue(*, user, label: str = "", by_password: bool = False) -> str:
    """A new API key for ``user``; returns the key, which is not stored anywhere. A key
    issued ``by_password`` (a sign-in with nothing more) never opens staff rights.

    Side effects: one ``ApiToken`` row (its digest); the account's keys beyond the newest
    ``KEPT_PER_USER`` are deleted (their devices must sign in again)."""
    key, digest = new_key()
    ApiToken.objects.create(user=user, digest=digest, label=label[:100], created_at=timezone.now(),
                            by_password=by_password)
    old = ApiToken.objects.filter(user=user).order_by("-created_at", "-pk").values_list("pk", flat=True)[KEPT_PER_USER:]
    ApiToken.objects.filter(pk__in=list(old)).delete()
    return key


class TokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>``, as DRF's, looked up by the key's digest."""

    model = ApiToken

    def authenticate(self, request):
        # ``Bearer <key>`` (what OAuth habits and many HTTP libraries send) is read as
        # ``Token <key>``: DRF would skip it, and the caller would be served as the public,
        # a report of their own a 404, with nothing saying why.
        scheme = authentication.get_authorization_header(request).split()[:1]
        if scheme and scheme[0].lower() == b"bearer":
            self.keyword = "Bearer"  # this request's instance (DRF makes one per request)
        return super().authenticate(request)

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(digest=token_digest(key)).first()
        if token is None:
            # Said in our words (DRF's "Token Salah." tells no one what to do next).
            raise exceptions.AuthenticationFailed(_(
                "Token tidak berlaku: salah, dicabut, atau sudah diganti. Masuk lagi untuk mendapatkan token baru."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Akun pemilik token ini tidak aktif atau sudah dihapus."))
        if token.by_password and policy.roles_held(token.user).is_staff_member:
            # A citizen's key, and the citizen has since been made staff: staff rights take
            # a second factor, which a password alone never gave (their keys come from an
            # administrator, lapor/api/admin.py).
            raise exceptions.AuthenticationFailed(_(
                "Token ini diterbitkan dengan kata sandi saja, sebelum akun ini menjadi akun petugas. "
                "Token petugas diterbitkan oleh administrator."))
        return (token.user, token)

"""Rate limits on submitting reports and on signing in (SPEC §7, issue #10).

- Submitting: first the per-account limits shared with the web form
  (``lapor.reports.quota``: ``LAPOR_SUBMIT_PER_HOUR``/``_PER_DAY``, counted in the
  database), then a burst limit in the cache (``LAPOR_API_SUBMIT_RATE``).
- Signing in: ``LAPOR_API_SIGN_IN_RATE`` per client address, on top of the account
  lockout (django-axes) that the token view shares with every other sign-in.

Cache counts hold across web processes with Redis. The client address is read as
``lapor.core.security.client_ip`` reads it (settings ``NUM_PROXIES`` = ``LAPOR_PROXY_COUNT``).
"""
import math

from django.conf import settings
from django.utils import timezone
from rest_framework.exceptions import Throttled
from rest_framework.throttling import SimpleRateThrottle

from lapor.reports.quota import limit_message, submit_retry_at


class _PerUserOrAddress(SimpleRateThrottle):
    methods = ("POST",)

    def allow_request(self, request, view):
        if request.method not in self.methods:
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        ident = request.user.pk if request.user and request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class SubmitThrottle(_PerUserOrAddress):
    scope = "submit"

    def allow_request(self, request, view):
        user = request.user
        if request.method not in self.methods or not (user and user.is_authenticated):
            return super().allow_request(request, view)
        if user.username in settings.LAPOR_SUBMIT_UNLIMITED_ACCOUNTS or _is_replay(request, user):
            return True
        retry_at = submit_retry_at(user=user)
        if retry_at is not None:
            raise over_limit(retry_at)
        return super().allow_request(request, view)


def over_limit(retry_at) -> Throttled:
    """The 429 of the per-account limit: its message says from when, ``Retry-After`` how long."""
    refused = Throttled(detail=limit_message(retry_at))
    # Set after construction: the message already says when, DRF would append
    # "expected available in N seconds"; Retry-After still carries the wait.
    refused.wait = max(1, math.ceil((retry_at - timezone.now()).total_seconds()))
    return refused


def _is_replay(request, user) -> bool:
    """A resend with an Idempotency-Key already used gets its first answer, never a 429:
    the report it asks about exists (lapor/api/submission.py)."""
    from lapor.api.models import IdempotencyKey

    key = (request.headers.get("Idempotency-Key") or "").strip()[:200]
    return bool(key) and IdempotencyKey.objects.filter(user=user, key=key).exists()


class SignInThrottle(SimpleRateThrottle):
    """Counted per client address: a password guesser is not signed in."""

    scope = "sign_in"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def locked_out(request, credentials) -> Throttled:
    """The 429 for a sign-in refused by the account lockout, saying until when."""
    from lapor.core.security import locked_until, lockout_message

    until = locked_until(request, credentials) or timezone.now()
    refused = Throttled(detail=lockout_message(until))
    refused.wait = max(1, math.ceil((until - timezone.now()).total_seconds()))
    return refused

"""Rate limits on submitting reports and on signing in (SPEC §7). The rates are settings
(``LAPOR_API_SUBMIT_RATE``, ``LAPOR_API_SIGN_IN_RATE``); counts live in the cache, so
with Redis they hold across web processes."""
from rest_framework.throttling import SimpleRateThrottle


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


class SignInThrottle(SimpleRateThrottle):
    """Counted per client address: a password guesser is not signed in."""

    scope = "sign_in"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

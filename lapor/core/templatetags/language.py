"""``{% language_next %}``: where the language switch in the header comes back to.

Normally the page itself. A page drawn in answer to a form sent by POST (the form again
with its errors, at an address that takes POST only, such as an office action) has no
address to come back to: the switch returns to the page the form was on (the Referer of
this site's own form), and keep_typed.js writes what was typed back into it."""
from urllib.parse import urlsplit

from django import template
from django.utils.http import url_has_allowed_host_and_scheme

register = template.Library()


@register.simple_tag(takes_context=True)
def language_next(context) -> str:
    request = context.get("request")
    if request is None:  # a template rendered outside a request (an e-mail, a test)
        return ""
    if request.method == "POST":
        referer = request.META.get("HTTP_REFERER", "")
        if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                                       require_https=request.is_secure()):
            parts = urlsplit(referer)
            return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()

"""The URL Kannel's smsbox calls for every incoming SMS (docs/sms.md has the sms-service
configuration). The reply goes back as the HTTP response body, which smsbox sends to the
sender as an SMS; an empty body (a number over its limit) sends nothing, given
``omit-empty = true`` in the sms-service group. Always 200 for a good secret.

The secret comes as the password of HTTP basic authentication: Kannel sends it in the
``Authorization`` header when ``get-url``/``post-url`` is written
``https://kannel:SECRET@host/sms/kannel/?…``. A secret in the query string (``secret=``,
the set-up documented until 2026-12) still works, but the request line is what access
logs keep (gunicorn's, nginx's, a load balancer's): whoever reads them could file SMS
reports in anyone's name. It is logged once per process as a warning."""
from __future__ import annotations

import base64
import binascii
import hmac
import ipaddress
import logging
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from lapor.core.security import client_ip
from lapor.sms.inbound import receive_sms

log = logging.getLogger(__name__)
_warned_query_secret = False


def _basic_password(request) -> str | None:
    """The password of ``Authorization: Basic``, or None. Kannel sends the URL's user
    information as it is written, without decoding ``%xx``."""
    scheme, _space, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic" or not credentials:
        return None
    try:
        decoded = base64.b64decode(credentials.strip(), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    _user, colon, password = decoded.partition(":")
    return password if colon else None


def _matches(given: str) -> bool:
    expected = settings.KANNEL_INBOUND_SECRET.encode()
    return any(hmac.compare_digest(candidate.encode(), expected) for candidate in {given, unquote(given)})


def _from_gateway(request) -> bool:
    """The caller is on a network LAPOR_SMS_GATEWAY_NETWORKS names (any, when it names none)."""
    networks = settings.LAPOR_SMS_GATEWAY_NETWORKS
    if not networks:
        return True
    try:
        address = ipaddress.ip_address(client_ip(request).split("%")[0])
    except ValueError:
        return False
    address = getattr(address, "ipv4_mapped", None) or address
    return any(address in ipaddress.ip_network(network, strict=False) for network in networks)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def kannel_incoming(request):
    global _warned_query_secret

    params = request.GET if request.method == "GET" else (request.POST or request.GET)
    if not _from_gateway(request):
        return HttpResponseForbidden("not a gateway address", content_type="text/plain; charset=utf-8")
    password = _basic_password(request)
    if password is not None:
        allowed = _matches(password)
    else:
        allowed = _matches(params.get("secret", ""))
        if allowed and not _warned_query_secret:
            _warned_query_secret = True
            log.warning("sms: Kannel sends KANNEL_INBOUND_SECRET in the query string, where access logs keep it; "
                        "write get-url as https://kannel:SECRET@host/sms/kannel/?... instead (docs/sms.md)")
    if not allowed:
        return HttpResponseForbidden("bad secret", content_type="text/plain; charset=utf-8")
    text = params.get("text", "")
    if request.method == "POST" and not request.POST and "text" not in request.GET:
        # post-url sends the message text as the request body.
        text = request.body.decode(request.encoding or "utf-8", errors="replace")
    record = receive_sms(
        sender=params.get("sender", ""), text=text, gateway_id=params.get("id", ""),
        timestamp=params.get("ts", ""),
    )
    return HttpResponse(record.reply, content_type="text/plain; charset=utf-8")

"""The URL Kannel's smsbox calls for every incoming SMS (docs/sms.md has the sms-service
configuration). The reply goes back as the HTTP response body, which smsbox sends to the
sender as an SMS; an empty body (a number over its limit) sends nothing, given
``omit-empty = true`` in the sms-service group. Always 200 for a good secret."""
from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from lapor.sms.inbound import receive_sms


@csrf_exempt
@require_http_methods(["GET", "POST"])
def kannel_incoming(request):
    params = request.GET if request.method == "GET" else (request.POST or request.GET)
    secret = params.get("secret", "")
    if not hmac.compare_digest(secret.encode(), settings.KANNEL_INBOUND_SECRET.encode()):
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

"""Outgoing SMS through Kannel's sendsms HTTP interface (SPEC §7).

``send_sms`` raises ``SmsError`` when the gateway does not accept the message, so the
caller (the notification delivery) can retry later. With no ``KANNEL_SENDSMS_URL``
configured (the embedded default), messages are appended to ``var/sms/outbox.log`` so a
pilot without a modem still shows what would have been sent, as e-mail goes to var/mail/.
"""
from __future__ import annotations

import datetime
import urllib.parse

import requests
from django.conf import settings


class SmsError(Exception):
    pass


def send_sms(*, to: str, text: str) -> None:
    """Send ``text`` to the number ``to`` (E.164, e.g. +6281234567890).

    Side effect: one HTTP GET to Kannel's smsbox (``sendsms``), or one line in the outbox
    file when no gateway is configured. Raises ``SmsError`` on refusal or a network error.
    """
    if not to:
        raise SmsError("no phone number")
    url = settings.KANNEL_SENDSMS_URL
    if not url:
        _write_outbox(to, text)
        return
    params = {
        "username": settings.KANNEL_USERNAME,
        "password": settings.KANNEL_PASSWORD,
        "to": to,
        "text": text,
        "charset": "UTF-8",
    }
    try:
        response = requests.get(url, params=params, timeout=settings.KANNEL_TIMEOUT)
    except requests.RequestException as exc:
        # Not str(exc): requests puts the whole URL in it, with Kannel's password, the
        # number and the message, and this text is stored and logged.
        where = urllib.parse.urlsplit(url)._replace(query="", fragment="").geturl()
        raise SmsError(f"Kannel unreachable at {where}: {type(exc).__name__}") from exc
    # Kannel answers 202 "0: Accepted for delivery" or "3: Queued for later delivery";
    # anything else (403 bad credentials, 4xx/5xx) is a refusal.
    if response.status_code not in (200, 202):
        raise SmsError(f"Kannel refused ({response.status_code}): {response.text[:200]}")


def _write_outbox(to: str, text: str) -> None:
    path = settings.SMS_OUTBOX_PATH
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(f"{stamp}\t{to}\t{text.replace(chr(10), ' ')}\n")

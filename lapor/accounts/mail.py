"""Account e-mail that never gets lost to a mail server that is down (SPEC: bad input and
failures lose nothing, never a 500).

allauth sends its e-mails (address confirmation, password reset, notices of a changed
password) inside the request. When the mail server refuses the connection, times out
(``EMAIL_TIMEOUT``) or answers with an error, ``send_or_keep`` keeps the rendered message
(``PendingMail``, sealed: it holds the address and a sign-in link) and the request goes on
as if sent: the citizen sees "we sent you an e-mail", and it goes out with the periodic job
(``retry_pending``, from ``run_background_pass``) once the server answers again. Messages
older than their links' life are dropped (``KEEP_FOR``): the person asks for a new one.
"""
from __future__ import annotations

import datetime
import json
import logging
import smtplib

from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone

from lapor.accounts.models import PendingMail

log = logging.getLogger(__name__)

# allauth's confirmation links live 3 days (ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS), password
# reset links as long as PASSWORD_RESET_TIMEOUT (3 days): no use sending them later.
KEEP_FOR = datetime.timedelta(days=3)
RETRY_AFTER = (datetime.timedelta(minutes=1), datetime.timedelta(minutes=5), datetime.timedelta(minutes=30))
FAILURES = (OSError, smtplib.SMTPException)


def _dump(message: EmailMultiAlternatives) -> str:
    return json.dumps({"subject": message.subject, "body": message.body, "from": message.from_email,
                       "to": list(message.to), "cc": list(message.cc), "bcc": list(message.bcc),
                       "reply_to": list(message.reply_to), "headers": message.extra_headers,
                       "subtype": message.content_subtype,
                       "alternatives": [[content, mimetype] for content, mimetype in
                                        getattr(message, "alternatives", [])]})


def _load(text: str) -> EmailMultiAlternatives:
    data = json.loads(text)
    message = EmailMultiAlternatives(data["subject"], data["body"], data["from"], data["to"], cc=data["cc"],
                                     bcc=data["bcc"], reply_to=data["reply_to"], headers=data["headers"])
    message.content_subtype = data.get("subtype", "plain")
    for content, mimetype in data["alternatives"]:
        message.attach_alternative(content, mimetype)
    return message


def _why(error: Exception) -> str:
    """What went wrong, for the log and the row: the class and the server's codes, never an
    address (``SMTPRecipientsRefused`` names the refused addresses: only their codes)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(code) for code, _message in error.recipients.values()})
        return f"SMTPRecipientsRefused: {', '.join(codes)}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__}: {error.smtp_code}"
    return f"{type(error).__name__}: {error}"[:200]


def _permanent(error: Exception) -> bool:
    """A refusal that will not change by trying again (a 5xx: no such mailbox)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _message in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and 500 <= error.smtp_code < 600


def _unreachable(error: Exception) -> bool:
    """The server itself failed (refused, timed out, dropped): the others would wait too."""
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPResponseException)


def send_or_keep(message: EmailMultiAlternatives, *, now: datetime.datetime | None = None) -> bool:
    """Send ``message``; if the mail server fails, keep it for ``retry_pending``. Returns
    whether it went now."""
    now = now or timezone.now()
    try:
        message.send()
        return True
    except FAILURES as error:
        if _permanent(error):
            log.warning("account e-mail refused for good, not kept: %s", _why(error))
            return False
        log.warning("account e-mail not sent, kept for retry: %s", _why(error))
        PendingMail.objects.create(message=_dump(message), created_at=now, next_try_at=now + RETRY_AFTER[0],
                                   last_error=_why(error))
        return False


def retry_pending(*, now: datetime.datetime | None = None) -> dict:
    """Send the kept account e-mails that are due; drop those past their links' life.
    Safe in several processes at once (each row is claimed under a lock)."""
    now = now or timezone.now()
    expired = PendingMail.objects.filter(created_at__lt=now - KEEP_FOR).delete()[0]
    sent = failed = 0
    connection = get_connection()  # one for the batch, not one per message
    for pk in list(PendingMail.objects.filter(next_try_at__lte=now).order_by("next_try_at")
                   .values_list("pk", flat=True)[:200]):
        with transaction.atomic():
            pending = PendingMail.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if pending is None or pending.next_try_at > now:
                continue
            message = _load(pending.message)
            message.connection = connection
            try:
                message.send()
            except FAILURES as error:
                failed += 1
                if _permanent(error):
                    pending.delete()
                    continue
                pending.attempts += 1
                pending.next_try_at = now + RETRY_AFTER[min(pending.attempts, len(RETRY_AFTER)) - 1]
                pending.last_error = _why(error)
                pending.save(update_fields=["attempts", "next_try_at", "last_error"])
                if _unreachable(error):
                    break  # the server is down or silent: the rest would each wait EMAIL_TIMEOUT
            else:
                sent += 1
                pending.delete()
    connection.close()
    return {"account_mail_sent": sent, "account_mail_failed": failed, "account_mail_expired": expired}

"""Forgetting sign-in records (UU 27/2022: personal data kept no longer than needed).

django-axes writes an ``AccessLog`` row for every sign-in (the login as a keyed hash, the
client address, the browser's user agent, the time) and, when switched on, an
``AccessFailureLog`` row for every failed one. They serve to look into a break-in or abuse
shortly after it; nothing reads them later. The background pass deletes those older than
``LAPOR_SIGNIN_RECORD_DAYS`` (docs/operations.md, *Retention*). Axes' own lockout counters
(``AccessAttempt``) go by themselves once the lockout window has passed.
"""
from __future__ import annotations

import datetime

from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.utils import timezone

# Rows deleted per statement: a pass after a long pause (a first run on a big site) holds
# no lock on the table for long, and never loads a whole year into one statement.
BATCH = 5_000
# Batches per pass and kind: the rest waits for the next pass (a minute later).
MAX_BATCHES = 20


def forget_signin_records(*, now: datetime.datetime | None = None) -> int:
    """Delete sign-in records older than ``LAPOR_SIGNIN_RECORD_DAYS``, in batches of
    ``BATCH``, at most ``MAX_BATCHES`` per kind in one pass. Side effects: deletes
    ``AccessLog`` and ``AccessFailureLog`` rows. Returns how many went."""
    now = now or timezone.now()
    before = now - datetime.timedelta(days=settings.LAPOR_SIGNIN_RECORD_DAYS)
    gone = 0
    for model in (AccessLog, AccessFailureLog):
        for _batch in range(MAX_BATCHES):
            ids = list(model.objects.filter(attempt_time__lt=before).values_list("pk", flat=True)[:BATCH])
            if not ids:
                break
            gone += model.objects.filter(pk__in=ids).delete()[0]
    return gone

"""How many reports one account may file (issue #10: rate limits on submit).

The web form and the API ask the same question before filing: may this account file
another report now, and if not, from when? Counted from the reports themselves in the
database, not in a cache, so every web process and every channel agrees and a restart
forgets nothing. SMS has its own limit per phone number (lapor/sms/limits.py).

Limits are settings: ``LAPOR_SUBMIT_PER_HOUR`` and ``LAPOR_SUBMIT_PER_DAY`` (0: no limit).
A proxy (RT/RW) filing for residents is counted by what they filed, against limits of
their own (``LAPOR_PROXY_SUBMIT_PER_HOUR``, ``LAPOR_PROXY_SUBMIT_PER_DAY``); a connected system
that forwards a whole city's reports is named in ``LAPOR_SUBMIT_UNLIMITED_ACCOUNTS``.
"""
from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lapor.accounts import pseudonyms
from lapor.reports.errors import OverQuota
from lapor.reports.models import Report


def windows(user=None) -> list[tuple[datetime.timedelta, int]]:
    """(window, limit) pairs for ``user``: an RT/RW representative files for the residents
    of a whole village (after a flood, dozens in an afternoon) and has limits of their own,
    ``LAPOR_PROXY_SUBMIT_PER_HOUR`` and ``LAPOR_PROXY_SUBMIT_PER_DAY``."""
    if user is not None and _is_proxy(user):
        return [
            (datetime.timedelta(hours=1), settings.LAPOR_PROXY_SUBMIT_PER_HOUR),
            (datetime.timedelta(days=1), settings.LAPOR_PROXY_SUBMIT_PER_DAY),
        ]
    return [
        (datetime.timedelta(hours=1), settings.LAPOR_SUBMIT_PER_HOUR),
        (datetime.timedelta(days=1), settings.LAPOR_SUBMIT_PER_DAY),
    ]


def _is_proxy(user) -> bool:
    from lapor.accounts.models import ReporterProfile

    return ReporterProfile.objects.filter(user_id=user.pk, is_proxy=True).exists()


def submit_retry_at(*, user, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """None when ``user`` may file another report now; otherwise the moment they may again.
    Reads only (one indexed query per window at most)."""
    if user.username in settings.LAPOR_SUBMIT_UNLIMITED_ACCOUNTS:
        return None
    # Anonymous reports count too: filed through the person's stand-ins (lapor/accounts/pseudonyms.py).
    filed = Report.objects.filter(
        pseudonyms.accounts_q(user, "filed_by") | (pseudonyms.accounts_q(user, "reporter") & Q(filed_by__isnull=True)))
    return retry_at(filed, field="created_at", limits=windows(user), now=now or timezone.now())


def hold(user, *, now: datetime.datetime) -> None:
    """Inside the transaction that files a report for ``user``: wait until no other
    submit of this account is between its check and its commit, then check again, and
    raise ``OverQuota`` when the limit is reached.

    The edges check first (``submit_retry_at``) to answer early with everything typed
    kept; this second check closes the race where several submits sent at once all read
    the count before any of them was written and all passed. On PostgreSQL the account's
    row is locked for the rest of the transaction; SQLite takes its write lock at BEGIN
    (settings: IMMEDIATE), so submits are already one at a time there."""
    if user.username in settings.LAPOR_SUBMIT_UNLIMITED_ACCOUNTS:
        return
    # Locked, and read in the same query: their anonymous reports as they stand now, those
    # another request of theirs just filed included (lapor/accounts/pseudonyms.py).
    sealed = get_user_model().objects.select_for_update().filter(pk=user.pk).values_list(
        "stand_ins_sealed", flat=True).first()
    pseudonyms.use_stand_ins(user, sealed or "")
    later = submit_retry_at(user=user, now=now)
    if later is not None:
        raise OverQuota(later)


def retry_at(queryset, *, field: str, limits, now: datetime.datetime) -> datetime.datetime | None:
    """Given the rows that count and (window, limit) pairs: None if one more is allowed
    now, otherwise when enough of them have left every full window (the latest such
    moment). With ``limit`` rows in the last ``window``, one more is allowed once the
    limit-th most recent of them is older than the window."""
    later = None
    for window, limit in limits:
        if limit <= 0:
            continue
        recent = list(
            queryset.filter(**{f"{field}__gt": now - window}).order_by(f"-{field}")
            .values_list(field, flat=True)[:limit]
        )
        if len(recent) >= limit:
            free_at = recent[limit - 1] + window
            later = free_at if later is None or free_at > later else later
    return later


def limit_message(when: datetime.datetime) -> str:
    """What a citizen reads when the limit is reached, in the request's language."""
    return _(
        "Anda sudah mengirim banyak laporan dalam waktu singkat. Untuk mencegah penyalahgunaan, "
        "laporan berikutnya dapat dikirim setelah %(time)s."
    ) % {"time": date_format(timezone.localtime(when), "j F Y, H:i T")}

"""Reference data that pages read on every request and people change rarely (the
categories, agencies and regions a filter form offers): kept in each process for a short
while instead of read from the database each time.

A change made in the admin shows in every process within ``seconds`` (a minute where this
is used). Only database rows are kept; labels that depend on the language are made from
them per request.
"""
from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")

# key → (kept until, value)
_kept: dict[str, tuple[float, object]] = {}
# Keys name reference rows (a slug, a region code) a process met in the last minute or
# so. Past this many, the expired ones go first; only if that is not enough does the
# process start again from nothing, rather than grow.
MOST = 20_000


def _store(key: str, value, until: float, now: float) -> None:
    if len(_kept) >= MOST:
        for stale in [k for k, (kept_until, _v) in _kept.items() if kept_until <= now]:
            del _kept[stale]
        if len(_kept) >= MOST:
            _kept.clear()
    _kept[key] = (until, value)


def kept(key: str, seconds: float, read: Callable[[], T], *, keep_none: bool = True) -> T:
    """``read()``'s answer, read again when the kept one is older than ``seconds``.
    ``keep_none=False``: an answer of None (nothing found) is not kept, so that a
    lookup by what a caller typed keeps only what exists."""
    now = time.monotonic()
    found = _kept.get(key)
    if found is not None and now < found[0]:
        return found[1]  # type: ignore[return-value]
    value = read()
    if value is not None or keep_none:
        _store(key, value, now + seconds, now)
    return value


def kept_each(prefix: str, keys, seconds: float, read: Callable[[list], dict]) -> dict:
    """``{key: row}`` for each of ``keys`` that exists: the kept ones as they are, the
    others (or those older than ``seconds``) read together by ``read(missing_keys)``, which
    answers ``{key: row}`` for those it found. What was not found is not kept. Kept
    under ``f"{prefix}:{key}"``, the keys ``kept`` would use for the same rows."""
    now = time.monotonic()
    out, missing = {}, []
    for key in keys:
        found = _kept.get(f"{prefix}:{key}")
        if found is not None and now < found[0]:
            out[key] = found[1]
        else:
            missing.append(key)
    if missing:
        fresh = read(missing)
        for key, value in fresh.items():
            _store(f"{prefix}:{key}", value, now + seconds, now)
        out.update(fresh)
    return out


def forget(key: str | None = None) -> None:
    """Drop ``key``, or everything kept in this process (tests, after changing reference data)."""
    if key is None:
        _kept.clear()
    else:
        _kept.pop(key, None)


GENERATION = "references:generation"
GENERATION_SECONDS = 60
_seen_generation: str | None = None


def generation() -> str:
    """A token that changes when an agency, category or region is saved or deleted
    (``changed``), for the keys of what was rendered from them and kept in the shared
    cache (lapor/portal/report_page.py). Read from the cache at most every
    ``GENERATION_SECONDS``. A process that meets a token it has not rendered with yet
    forgets the rows it keeps first: nothing it renders under the new token comes from
    rows read before it."""
    global _seen_generation
    token = kept(GENERATION, GENERATION_SECONDS, lambda: cache.get_or_set(GENERATION, secrets.token_hex(6), None))
    if token != _seen_generation:
        for key in [k for k in _kept if k != GENERATION]:
            del _kept[key]
        _seen_generation = token
    return token


def changed() -> None:
    """Reference rows changed: what was rendered from the old ones is not used again, and
    this process reads the rows afresh (the others within ``GENERATION_SECONDS``). Run
    after the commit of a save or delete of an agency, category or region
    (``changed_on_commit``); a load that writes them in bulk (lapor/regions/loading.py)
    calls it itself."""
    cache.set(GENERATION, secrets.token_hex(6), None)
    forget()


def changed_on_commit(**_signal) -> None:
    """``changed``, once the transaction that saved the rows commits (at once outside
    one): before, another process could read the old rows under the new token, and a
    rolled-back change would leave names that never were."""
    from django.db import transaction

    transaction.on_commit(changed)

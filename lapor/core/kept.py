"""Reference data that pages read on every request and people change rarely (the
categories, agencies and regions a filter form offers): kept in each process for a short
while instead of read from the database each time.

A change made in the admin shows in every process within ``seconds`` (a minute where this
is used). Only database rows are kept; labels that depend on the language are made from
them per request.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

_kept: dict[str, tuple[float, object]] = {}
# Keys are reference rows (a slug, a region code), so there are as many as such rows at
# most; past this many the process starts again from nothing rather than grow.
MOST = 20_000


def kept(key: str, seconds: float, read: Callable[[], T], *, keep_none: bool = True) -> T:
    """``read()``'s answer, read again when the kept one is older than ``seconds``.
    ``keep_none=False``: an answer of None (nothing found) is not kept, so that a
    lookup by what a caller typed keeps only what exists."""
    now = time.monotonic()
    found = _kept.get(key)
    if found is not None and now - found[0] < seconds:
        return found[1]  # type: ignore[return-value]
    value = read()
    if value is not None or keep_none:
        if len(_kept) >= MOST:
            _kept.clear()
        _kept[key] = (now, value)
    return value


def kept_each(prefix: str, keys, seconds: float, read: Callable[[list], dict]) -> dict:
    """``{key: row}`` for each of ``keys`` that exists: the kept ones as they are, the
    others (or those older than ``seconds``) read together by ``read(missing_keys)``, which
    answers ``{key: row}`` for those it found. What was not found is not kept."""
    now = time.monotonic()
    out, missing = {}, []
    for key in keys:
        found = _kept.get(f"{prefix}:{key}")
        if found is not None and now - found[0] < seconds:
            out[key] = found[1]
        else:
            missing.append(key)
    if missing:
        fresh = read(missing)
        if len(_kept) + len(fresh) >= MOST:
            _kept.clear()
        for key, value in fresh.items():
            _kept[f"{prefix}:{key}"] = (now, value)
        out.update(fresh)
    return out


def forget() -> None:
    """Drop everything kept in this process (tests, after changing reference data)."""
    _kept.clear()

"""Tracking IDs of reports (SPEC §3).

A tracking ID is what a reporter reads over the phone or types into an SMS, so it is
digits only: ``settings.LAPOR_TRACKING_ID_DIGITS`` of them in all (default 9), random
digits followed by one Damm check digit. The first digit is never 0, so every ID has the
same length however it is written down (a spreadsheet or an SMS gateway that drops
leading zeros cannot shorten it).

The random part comes from ``secrets``: IDs are not sequential, so they reveal neither
how many reports there are nor in which order they came, and nobody can walk through
reports by counting up.

The Damm check digit catches every single mistyped digit and every swap of two
neighbouring digits, the two commonest mistakes when copying a number by hand.

Uniqueness is not checked here: the report service inserts the report with a fresh ID and,
when the unique index on ``Report.tracking_id`` raises ``IntegrityError``, retries with
another one. With 8 random digits (90 million IDs) a collision is rare until there are
millions of reports; raise the setting well before then. A check-first-then-insert would
race between two workers; the unique index cannot.
"""
from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# The standard order-10 weakly totally antisymmetric quasigroup of H. Michael Damm
# ("Total anti-symmetrische Quasigruppen", 2004): a Latin square with zeros on the
# diagonal in which (c*x)*y == (c*y)*x only when x == y. Row = interim digit, column = next
# digit. Zeros on the diagonal are what make "append the interim digit" a check digit: the
# whole number then ends on interim 0.
_DAMM_TABLE = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

# Report.tracking_id is a CharField(max_length=12).
MAX_DIGITS = 12

_ASCII_DIGITS = re.compile(r"[0-9]*")
# What people add when they copy an ID: "#1234 5678-9", "1.234.567.89", a non-breaking space.
_DECORATION = re.compile(r"[#\s\-\u2010-\u2015.]")


def _interim(digits: str) -> int:
    interim = 0
    for digit in digits:
        interim = _DAMM_TABLE[interim][int(digit)]
    return interim


def damm_check_digit(digits: str) -> str:
    """The Damm check digit to append to ``digits`` (a string of ASCII digits)."""
    if not _ASCII_DIGITS.fullmatch(digits):
        raise ValueError(f"not a string of digits: {digits!r}")
    return str(_interim(digits))


def tracking_id_length() -> int:
    length = settings.LAPOR_TRACKING_ID_DIGITS
    if not 2 <= length <= MAX_DIGITS:
        # At least one random digit plus the check digit, and no more than the column holds.
        raise ImproperlyConfigured(f"LAPOR_TRACKING_ID_DIGITS must be between 2 and {MAX_DIGITS}, not {length}")
    return length


def is_valid_tracking_id(value: str) -> bool:
    """Whether ``value`` (already normalised) is a well-formed tracking ID.

    Well-formed means: ASCII digits only, the configured length, no leading 0 (no issued ID
    has one) and a Damm check digit that fits. It says nothing about whether a report with
    this ID exists.
    """
    return (
        isinstance(value, str)
        and len(value) == tracking_id_length()
        and _ASCII_DIGITS.fullmatch(value) is not None
        and value[0] != "0"
        and _interim(value) == 0
    )


def normalize_tracking_id(value: str) -> str:
    """``value`` without the '#', spaces, dashes and dots people type around an ID.

    "#123 456 789" → "123456789". It does not validate: "12a" stays "12a", so pass the result
    to ``is_valid_tracking_id``.
    """
    return _DECORATION.sub("", value)


def new_tracking_id() -> str:
    """A fresh random tracking ID of the configured length (not yet checked for uniqueness)."""
    length = tracking_id_length()
    rest = length - 2
    body = str(1 + secrets.randbelow(9)) + (f"{secrets.randbelow(10 ** rest):0{rest}d}" if rest else "")
    return body + damm_check_digit(body)


class TrackingIdConverter:
    """``<tracking:tracking_id>`` in the site's URL patterns: a path segment as ``<str:>``
    reads it, except one holding NUL. The pages answer a tracking ID that names no report
    they may show with "not found" themselves; NUL, which PostgreSQL text cannot hold,
    would fail in SQL instead, so such a path matches no page (404). Registered in
    ``ReportsConfig.ready``. (The API checks its IDs are digits in its views.)"""

    regex = "[^/\x00]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)

"""Which of Indonesia's three time zones a region lies in, told by its province (SPEC §4).

Every province lies in one zone (Keppres 41/1987, and the provinces made since), so the
first two digits of a region code are enough. The values are the IANA names the agencies
store (``lapor.agencies.models.TimeZone``), written out here so that ``regions`` does not
depend on ``agencies``.
"""
from __future__ import annotations

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"

# Maluku, Maluku Utara and the six provinces of Papua.
WIT_PROVINCES = frozenset({"81", "82", "91", "92", "93", "94", "95", "96"})
# Bali, Nusa Tenggara, South, East and North Kalimantan, and Sulawesi. (West and Central
# Kalimantan, 61 and 62, are WIB.)
WITA_PROVINCES = frozenset({"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"})


def zone_for_region(code: str | None) -> str | None:
    """The time zone of the province of region ``code`` ("63.03" → Asia/Makassar); None
    without a code."""
    if not code:
        return None
    province = code.strip().split(".")[0][:2]
    if province in WIT_PROVINCES:
        return WIT
    if province in WITA_PROVINCES:
        return WITA
    return WIB

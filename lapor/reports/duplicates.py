"""Likely duplicates (SPEC §8): same category, nearby in space and time, similar text (by
text and region alone for a report without a category, as one sent by SMS).

Shown to a citizen before submitting ("is this your problem too? support it instead")
and to the verifier in the workspace. The caller passes the base queryset, so the citizen
only ever gets published reports (``policy.public_reports()``) and staff their scope.
"""
from __future__ import annotations

import datetime
import math
import re
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from lapor.reports.enums import Status

WORD = re.compile(r"[a-z0-9]{3,}")
# Words that say nothing about which problem it is.
STOPWORDS = {
    "yang", "dan", "di", "ke", "dari", "ini", "itu", "untuk", "dengan", "ada", "tidak", "sudah", "belum", "saya",
    "kami", "kita", "mohon", "tolong", "pak", "bu", "bapak", "ibu", "agar", "sangat", "karena", "pada", "juga",
    "jalan", "sekitar", "depan", "dekat", "sejak", "hari", "bulan", "tahun", "warga", "kami", "atas", "oleh",
}
EARTH_RADIUS_M = 6_371_000


@dataclass(frozen=True)
class Candidate:
    report: object
    distance_m: float | None
    similarity: float

    @property
    def score(self) -> float:
        nearness = 1.0 if self.distance_m is None else max(0.0, 1 - self.distance_m / 1000)
        return self.similarity * 0.6 + nearness * 0.4


def words(text: str) -> set[str]:
    return {w for w in WORD.findall((text or "").lower()) if w not in STOPWORDS}


def similarity(a: str, b: str) -> float:
    """Jaccard overlap of the meaningful words of two texts, 0..1."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)


def distance_m(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def likely_duplicates(
    *,
    queryset,
    category,
    text: str,
    latitude: float | None = None,
    longitude: float | None = None,
    region=None,
    now: datetime.datetime | None = None,
    exclude_pk: int | None = None,
    days: int = 30,
    radius_m: float = 1000,
    min_similarity: float = 0.15,
    limit: int = 5,
) -> list[Candidate]:
    """Reports in ``queryset`` of the same category from the last ``days`` that lie within
    ``radius_m`` (when both have a map pin) or in the same district (otherwise) and share
    enough words; best first. One query over at most 300 recent candidates.

    A report without a category (an SMS names only the regency of the agency its keyword
    addresses) is compared by its words alone with every report of that region: in a
    flood the same street arrives by SMS and web many times, and the verifier must see it."""
    if category is None and region is None:
        return []
    now = now or timezone.now()
    qs = queryset.filter(created_at__gte=now - datetime.timedelta(days=days)).exclude(status=Status.ARCHIVED)
    if category is not None:
        # Reports not yet given a category (an SMS) may be the same problem too.
        qs = qs.filter(Q(category=category) | Q(category__isnull=True))
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    unpinned = Q(latitude__isnull=True)
    if region is not None:
        district = ".".join(region.code.split(".")[:3])
        regency = ".".join(region.code.split(".")[:2])
        # Without a pin: the same district; or, for an SMS (no category, its region only
        # the regency its keyword names), the regency.
        unpinned &= Q(region__code__startswith=district) | Q(category__isnull=True, region_id=regency)
    if latitude is not None and longitude is not None:
        # A bounding box the database can use before the exact distance below.
        dlat = radius_m / 111_000
        dlon = radius_m / (111_000 * max(0.1, math.cos(math.radians(latitude))))
        near = qs.filter(latitude__range=(latitude - dlat, latitude + dlat),
                         longitude__range=(longitude - dlon, longitude + dlon))
        qs = near | qs.filter(unpinned) if region is not None else near
    elif region is not None:
        qs = qs.filter(unpinned)
    else:
        return []
    found = []
    for report in qs.order_by("-created_at")[:300]:
        d = None
        if None not in (latitude, longitude, report.latitude, report.longitude):
            d = distance_m(latitude, longitude, report.latitude, report.longitude)
            if d > radius_m:
                continue
        s = similarity(text, f"{report.title} {report.body}")
        if s >= min_similarity or (d is not None and d <= 100 and s > 0):
            found.append(Candidate(report=report, distance_m=d, similarity=s))
    found.sort(key=lambda c: c.score, reverse=True)
    return found[:limit]

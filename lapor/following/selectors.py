"""Reading follows: who follows what a report touches, and a person's own follows.

Matching is done in the database by indexed columns (region codes are a prefix
hierarchy, so "this region or one containing it" is ``region_id IN (63.72.02, 63.72,
63)``; categories are two levels), and for circles by a bounding box on their centres
followed by the exact great-circle distance in Python, which behaves the same on SQLite
and PostgreSQL. The cost grows with the number of matching follows, never with the
number of reports.
"""
from __future__ import annotations

import math

from django.db.models import Q, QuerySet

from lapor.accounts import pseudonyms
from lapor.accounts.models import User
from lapor.following.models import Follow
from lapor.reports.models import Report

EARTH_RADIUS_KM = 6371.0088
# A circle's radius is capped (services.MAX_RADIUS_KM), so a report can only lie in
# circles whose centre is within this distance: the bounding box never misses one.
KM_PER_DEGREE_LATITUDE = 110.57


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def region_and_parents(code: str) -> list[str]:
    """``63.72.02`` → ``["63.72.02", "63.72", "63"]`` (codes nest by prefix)."""
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(len(parts), 0, -1)]


def _bounding_box(lat: float, lon: float, km: float) -> Q:
    dlat = km / KM_PER_DEGREE_LATITUDE
    widest = max(0.01, math.cos(math.radians(min(89.0, abs(lat) + dlat))))
    dlon = km / (111.32 * widest)
    return Q(latitude__gte=lat - dlat, latitude__lte=lat + dlat, longitude__gte=lon - dlon, longitude__lte=lon + dlon)


def follower_ids(report: Report, *, with_report_followers: bool, max_radius_km: float) -> set[int]:
    """Ids of people whose follows take in ``report``: its region (or one containing it),
    a circle around its point, its category (or its topic), each area narrowed by the
    follow's category when it has one; and with ``with_report_followers`` those who
    follow the report itself. Visibility is not checked here (the caller does)."""
    categories = []
    if report.category_id:
        categories = [report.category_id]
        parent_id = report.category.parent_id if report.category is not None else None
        if parent_id:
            categories.append(parent_id)
    same_category = Q(category__isnull=True) | Q(category_id__in=categories) if categories else Q(category__isnull=True)

    wanted = Q(pk__in=[])
    if report.region_id:
        wanted |= Q(region_id__in=region_and_parents(report.region_id)) & same_category
    if categories:
        wanted |= Q(region__isnull=True, latitude__isnull=True, category_id__in=categories)
    has_point = report.latitude is not None and report.longitude is not None
    if has_point:
        wanted |= _bounding_box(report.latitude, report.longitude, max_radius_km) & same_category
    rows = Follow.objects.filter(report__isnull=True).filter(wanted).values_list(
        "user_id", "latitude", "longitude", "radius_km")
    ids = set()
    for user_id, lat, lon, radius in rows:
        if lat is None:
            ids.add(user_id)
        elif has_point and distance_km(lat, lon, report.latitude, report.longitude) <= radius:
            ids.add(user_id)
    if with_report_followers:
        ids.update(Follow.objects.filter(report=report).values_list("user_id", flat=True))
    return ids


def users(ids) -> QuerySet:
    """Active accounts by id, with what choosing channels and language reads. A stand-in
    account (the reporter of an anonymous duplicate follows its original) is never active
    itself: whether its person is, ``recipients_for`` asks."""
    return (User.objects.filter(Q(is_active=True) | Q(pseudonym__isnull=False), pk__in=list(ids))
            .select_related("profile", "notification_preference").order_by("pk"))


def mine(user) -> list[int]:
    """The person's account and their stand-ins: the reporter of an anonymous duplicate
    follows its original as the duplicate's stand-in (lapor/accounts/pseudonyms.py), and
    sees and may remove that follow as their own."""
    return sorted(pseudonyms.own_ids(user))


def follows_of(user) -> QuerySet:
    return Follow.objects.filter(user_id__in=mine(user)).select_related("report", "region", "category", "category__parent")


def existing(user, key: str) -> Follow | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Follow.objects.filter(user_id__in=mine(user), key=key).first()

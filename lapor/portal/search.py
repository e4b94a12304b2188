"""Reading published reports for the public list (SPEC §9): search and filters.

Always starts from ``policy.public_reports()``: confidential and archived reports never
reach a public list, whatever the filters say.
"""
from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet

from lapor.agencies.models import Agency
from lapor.reports import policy

MAX_SEARCH_WORDS = 10


def search(qs: QuerySet, text: str) -> QuerySet:
    """Full-text search on PostgreSQL; every word as a substring elsewhere (SQLite)."""
    text = (text or "").strip()
    if not text:
        return qs
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        # "simple": PostgreSQL has no Indonesian stemmer; words match as written.
        vector = SearchVector("title", weight="A", config="simple") + SearchVector("body", weight="B", config="simple")
        return qs.annotate(search=vector).filter(search=SearchQuery(text, search_type="websearch", config="simple"))
    for word in text.split()[:MAX_SEARCH_WORDS]:
        qs = qs.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return qs


def published_reports(filters: dict) -> QuerySet:
    """Published reports matching the cleaned filters of ``SearchForm``, newest first."""
    qs = policy.public_reports().select_related("category", "region", "assigned_agency", "reporter")
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("category"):
        qs = qs.filter(Q(category_id=filters["category"]) | Q(category__parent_id=filters["category"]))
    region = ""
    for level in ("province", "regency", "district", "village"):
        region = filters.get(level) or region
    if region:
        qs = qs.filter(Q(region_id=region) | Q(region__code__startswith=f"{region}."))
    if filters.get("agency"):
        agency = Agency.objects.filter(pk=filters["agency"]).only("path").first()
        qs = qs.filter(assigned_agency__path__startswith=agency.path) if agency else qs.none()
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("date_from"):
        qs = qs.filter(created_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(created_at__date__lte=filters["date_to"])
    return search(qs, filters.get("q", "")).order_by("-created_at", "-id")

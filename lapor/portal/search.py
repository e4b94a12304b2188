"""Reading published reports for the public list (SPEC §9): search and filters.

Always starts from ``policy.public_reports()``: confidential and archived reports never
reach a public list, whatever the filters say.
"""
from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page
from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from lapor.agencies.models import Agency
from lapor.categories.models import Category
from lapor.core.pagination import CappedPaginator, capped_count
from lapor.reports import policy, references
from lapor.reports.models import Report

MAX_SEARCH_WORDS = 10


def search(qs: QuerySet, text: str) -> QuerySet:
    """Full-text search on PostgreSQL; every word as a substring elsewhere (SQLite)."""
    text = (text or "").strip()
    if not text:
        return qs
    if connection.vendor == "postgresql":
        # The stored, GIN-indexed document of migration 0006 (title weighted above body).
        # "simple": PostgreSQL has no Indonesian stemmer; words match as written.
        return qs.filter(RawSQL("reports_report.search_document @@ websearch_to_tsquery('simple', %s)", (text,),
                                output_field=BooleanField()))
    for word in text.split()[:MAX_SEARCH_WORDS]:
        qs = qs.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return qs


def published_reports(filters: dict) -> QuerySet:
    """Published reports matching the cleaned filters of ``SearchForm``, newest first."""
    qs = policy.public_reports()
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    # Agencies and categories are resolved to a list of ids first (a tiny query): given
    # literal ids, PostgreSQL uses its statistics per value and sees that a filter is rare,
    # where a join or a subquery made it walk the newest-first index through the whole
    # table looking for matches that were not there (2.6 s for an agency with none).
    if filters.get("category"):
        category = filters["category"]
        ids = [category, *Category.objects.filter(parent_id=category).values_list("pk", flat=True)]
        qs = qs.filter(category_id__in=ids)
    region = ""
    for level in ("province", "regency", "district", "village"):
        region = filters.get(level) or region
    if region:
        qs = qs.filter(Q(region_id=region) | Q(region__code__startswith=f"{region}."))
    if filters.get("agency"):
        agency = Agency.objects.filter(pk=filters["agency"]).only("path").first()
        ids = list(Agency.objects.filter(path__startswith=agency.path).values_list("pk", flat=True)) if agency else []
        qs = qs.filter(assigned_agency_id__in=ids)
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("date_from"):
        qs = qs.filter(created_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(created_at__date__lte=filters["date_to"])
    return search(qs, filters.get("q", "")).order_by("-created_at", "-id")


ROW_FIELDS = ("tracking_id", "title", "body", "status", "kind", "created_at", "category", "region",
              "addressed_agency", "assigned_agency", "support_count")


def published_page(filters: dict, number, *, per_page: int) -> Page:
    """One page of ``published_reports(filters)``.

    The capped count and the ids of each page are cached for
    ``LAPOR_PUBLIC_LIST_CACHE_SECONDS`` (shared by every visitor: they are public), so a
    list many people open costs one query by primary key; the reports themselves are
    read fresh through ``policy.public_reports`` each time, so a report that stopped
    being public (made confidential, archived) leaves the page at once. A newly published
    report shows up within the cache time.

    The filtered query is built only when the count or the page's ids are not kept:
    building it (and reading an agency's or a topic's ids for it) was a fifth of the
    time of a list page whose count and ids were kept."""
    matching = functools.cache(lambda: published_reports(filters))
    seconds = settings.LAPOR_PUBLIC_LIST_CACHE_SECONDS
    key = "public-list:" + hashlib.sha256(
        repr(sorted((k, str(v)) for k, v in filters.items() if v not in (None, ""))).encode()).hexdigest()
    # The page's ids are read with the count, for the page asked (the first when none or no number is).
    asked = f"{key}:page:{number if str(number).isascii() and str(number).isdigit() and len(str(number)) < 6 else 1}"
    found = cache.get_many([key + ":count", asked]) if seconds else {}
    counted = found.get(key + ":count")
    if counted is None:
        counted = capped_count(matching())
        if seconds:
            cache.set(key + ":count", counted, seconds)
    # The paginator numbers the pages from the count; the ids are read below.
    paginator = CappedPaginator(Report.objects.none(), per_page, count=counted[0], more=counted[1])
    page = paginator.get_page(number)
    kept = f"{key}:page:{page.number}"
    ids = (found.get(kept) if kept == asked else cache.get(kept)) if seconds else None
    if ids is None:
        bottom = (page.number - 1) * per_page  # as Page.object_list is cut: not past the capped count
        ids = list(matching()[bottom:min(bottom + per_page, paginator.count)].values_list("pk", flat=True))
        if seconds:
            cache.set(kept, ids, seconds)
    # Only what a row shows (portal/_report_item.html): a report has some forty columns.
    by_id = {r.pk: r for r in references.attach(policy.public_reports().filter(pk__in=ids).only(*ROW_FIELDS))}
    return Page([by_id[pk] for pk in ids if pk in by_id], page.number, paginator)

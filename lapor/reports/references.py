"""The reference rows a report points to (its category and topic, its region, the agency
it was addressed to and the one handling it), attached to reports from the rows each
process keeps for a minute (lapor/core/kept.py) instead of joined into every query.

Why: PostgreSQL plans a report joined to seven tables in about 5 ms, for a query that
then runs in 0.1 ms; the public report page spent a third of its time there. A report
read alone plans in a few hundredths of a millisecond. Reference data changes rarely
(an agency renamed shows under its new name within a minute); the reporter and other
people are not reference data and are still read with the report where a page needs them.

Read the reports (with ``select_related`` of the people a page shows, if any) and call
``attach(reports)`` on the rows read; attached rows are shared by every request of the
process and must not be changed. Which reports a person may see is decided in SQL on the
agencies as they are (``policy.visible_reports``); what the attached rows feed is what a
page shows, and the policy's answers about it (whose name, which buttons) for up to a
minute after an agency moves in the tree. Every change still goes through a service,
which locks the report and checks again on fresh rows.
"""
from __future__ import annotations

from collections.abc import Iterable

from lapor.agencies.models import Agency
from lapor.categories.models import Category
from lapor.core.kept import forget, kept, kept_each
from lapor.regions.models import Region
from lapor.reports.models import Report

SECONDS = 60
_FIELDS = {name: Report._meta.get_field(name) for name in ("category", "region", "addressed_agency", "assigned_agency")}


def _categories(*, fresh: bool = False) -> dict:
    if fresh:
        forget("references:categories")
    return kept("references:categories", SECONDS,
                lambda: {c.pk: c for c in Category.objects.select_related("parent")})  # a few hundred


def attach(reports: Iterable[Report], *, agencies_only: bool = False) -> list[Report]:
    """Give each report its category (with its topic), region and both agencies, as
    ``select_related`` would, with at most one query for agencies and one for regions
    not already kept. Returns the reports as a list. ``agencies_only``: the agencies
    alone (a page whose category and region may not be shown: the report page's kept
    parts, lapor/portal/report_page.py); the others are read when asked, or attached later."""
    reports = list(reports)
    if not reports:
        return reports
    agency_ids = {i for r in reports for i in (r.addressed_agency_id, r.assigned_agency_id) if i is not None}
    codes = {r.region_id for r in reports if r.region_id} if not agencies_only else set()
    agencies = kept_each("references:agency", agency_ids, SECONDS,
                         lambda ids: Agency.objects.in_bulk(ids)) if agency_ids else {}
    regions = kept_each("region", codes, SECONDS,  # the keys region_from_code keeps under
                        lambda missing: Region.objects.in_bulk(missing)) if codes else {}
    categories = {}
    if not agencies_only and any(r.category_id for r in reports):
        categories = _categories()
        if any(r.category_id and r.category_id not in categories for r in reports):
            categories = _categories(fresh=True)  # one added in the last minute
    for report in reports:
        for name, found in (("category", categories.get(report.category_id)),
                            ("region", regions.get(report.region_id)),
                            ("addressed_agency", agencies.get(report.addressed_agency_id)),
                            ("assigned_agency", agencies.get(report.assigned_agency_id))):
            if agencies_only and name in ("category", "region"):
                continue
            if found is not None or getattr(report, _FIELDS[name].attname) is None:
                _FIELDS[name].set_cached_value(report, found)
            # else: a row created in the last minute and not kept yet; Django reads it when asked
    return reports


def attach_agencies(rows: Iterable) -> list:
    """Give each row with an ``agency`` foreign key (a follow-up, a history entry) its
    agency from the kept rows, as ``select_related("agency")`` would. Returns a list."""
    rows = list(rows)
    ids = {r.agency_id for r in rows if r.agency_id is not None}
    agencies = kept_each("references:agency", ids, SECONDS, lambda ids: Agency.objects.in_bulk(ids)) if ids else {}
    for row in rows:
        found = agencies.get(row.agency_id)
        if found is not None or row.agency_id is None:
            type(row)._meta.get_field("agency").set_cached_value(row, found)
    return rows


def keep_related(obj, **related) -> None:
    """Set ``obj.<name>.all()`` to the given rows, as ``prefetch_related`` would (a
    queryset holding its results), so reading them costs no query."""
    cache = getattr(obj, "_prefetched_objects_cache", None) or {}
    for name, rows in related.items():
        queryset = getattr(obj, name).all()
        queryset._result_cache, queryset._prefetch_done = list(rows), True
        cache[name] = queryset
    obj._prefetched_objects_cache = cache


def attach_one(report: Report | None, *, agencies_only: bool = False) -> Report | None:
    """``attach`` for a single report (or None, passed through)."""
    return attach([report], agencies_only=agencies_only)[0] if report is not None else None

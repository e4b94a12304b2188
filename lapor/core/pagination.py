"""Pages over lists that can hold hundreds of thousands of reports.

A list counts its matches up to ``COUNT_CAP`` and then says "more than": counting every
one of an agency's or the country's reports costs more than the page itself (seconds at
a million reports), and nobody pages past the fiftieth page: they narrow the filters.
"""
from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections, router
from django.utils import timezone
from django.utils.functional import cached_property

COUNT_CAP = 1000
MORE_SECONDS = 60


class CappedPaginator(Paginator):
    """A paginator over at most ``COUNT_CAP`` matches, told its count; ``more``: there
    are more matches than that."""

    def __init__(self, object_list, per_page, *, count: int, more: bool):
        super().__init__(object_list, per_page)
        self._known_count = count
        self.more = more

    @cached_property
    def count(self):
        return self._known_count


def capped_count(queryset) -> tuple[int, bool]:
    """(matches up to the cap, whether there are more): one query that stops at the cap.

    "More than the cap" is kept for ``MORE_SECONDS`` under the query's own SQL: finding
    1,001 matches among an agency's hundreds of thousands of reports was a third of an
    inbox page's time, and "more than 1,000" stays true while a few are closed. A count
    under the cap is always fresh."""
    # Without ORDER BY: which matches are counted does not matter below the cap, and the
    # database may then stop at the first 1,001 it finds in any index instead of sorting.
    capped = queryset.order_by()[:COUNT_CAP + 1]
    try:
        sql, params = capped.query.sql_with_params()
    except EmptyResultSet:  # a scope of nothing (pk__in=[]): no query to make
        return 0, False
    key = "count-more:" + hashlib.sha256(repr((capped.db, sql, params)).encode()).hexdigest()
    if cache.get(key):
        return COUNT_CAP, True
    found = capped.count()
    if found > COUNT_CAP:
        cache.set(key, True, MORE_SECONDS)
    return min(found, COUNT_CAP), found > COUNT_CAP


def capped_page(queryset, number, *, per_page: int) -> Page:
    count, more = capped_count(queryset)
    return CappedPaginator(queryset, per_page, count=count, more=more).get_page(number)


# The SQL of pages compiled once per process, by shape (``compiled_page``); bounded, as a
# shape may hold what someone typed.
_compiled: dict[tuple, dict] = {}
MOST_COMPILED = 2_000


def compiled_page(shape: tuple, build, number, *, per_page: int, model) -> Page:
    """``capped_page(build(), number, per_page=per_page)``, with the queryset built and its
    SQL compiled only the first time this process meets ``shape`` (and each page of it):
    building and compiling an inbox's query cost more than running it.

    ``shape`` must name everything ``build()`` reads to make its query (who asks, which
    filters), never what the query finds: the SQL is the same for one shape, while the
    rows are read fresh every time. ``model``: the queryset's. The database, the time
    zone (dates are compared in it) and the cap are added to the shape here."""
    db = router.db_for_read(model)
    key = (shape, db, timezone.get_current_timezone_name(), COUNT_CAP)
    entry = _compiled.get(key)
    if entry is None:
        queryset = build().using(db)
        try:
            # Without ORDER BY, as capped_count: the database may stop at the first matches.
            count = queryset.order_by().values("pk")[:COUNT_CAP + 1].query.sql_with_params()
        except EmptyResultSet:  # a scope of nothing (pk__in=[]): no query to make
            count = None
        if len(_compiled) >= MOST_COMPILED:
            _compiled.clear()
        more_key = count and "count-more:" + hashlib.sha256(repr((db, *count)).encode()).hexdigest()
        entry = _compiled[key] = {"queryset": queryset, "db": db, "count": count, "more": more_key, "pages": {}}
    if entry["count"] is None:
        return CappedPaginator(entry["queryset"].none(), per_page, count=0, more=False).get_page(number)
    sql, params = entry["count"]
    more_key = entry["more"]  # "more than the cap", kept a minute as capped_count keeps it
    if cache.get(more_key):
        count, more = COUNT_CAP, True
    else:
        with connections[entry["db"]].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) capped", params)
            found = cursor.fetchone()[0]
        count, more = min(found, COUNT_CAP), found > COUNT_CAP
        if more:
            cache.set(more_key, True, MORE_SECONDS)
    queryset = entry["queryset"]
    paginator = CappedPaginator(queryset.none(), per_page, count=count, more=more)
    page = paginator.get_page(number)
    bottom = (page.number - 1) * per_page  # as Page.object_list is cut: not past the capped count
    top = min(bottom + per_page, count)
    if top <= bottom:
        return Page([], page.number, paginator)
    compiled = entry["pages"].get((bottom, top))
    if compiled is None:
        compiled = entry["pages"][(bottom, top)] = queryset[bottom:top].query.sql_with_params()
    rows = list(queryset.model._default_manager.db_manager(entry["db"]).raw(*compiled))
    return Page(rows, page.number, paginator)

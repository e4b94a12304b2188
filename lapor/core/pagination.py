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

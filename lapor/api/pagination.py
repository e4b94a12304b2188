"""Pages of the API's lists.

Every list reads ``page`` and ``page_size`` the same way: a value that is not a whole
number from 1, a page size over the list's limit or a page past the last is a 400 naming
the parameter (not DRF's 404 or a silently different page).

Report lists (``Pagination``: the public list, the caller's own reports, the inbox) count
their matches up to ``COUNT_CAP`` (1,000), as the website's lists do
(lapor/core/pagination.py): counting all of a country's published reports cost a phone
app ~100 ms of the database on every page at a million reports. ``count_capped`` says
that there are more; narrow the filters (dates, region, category) to reach them.
The reference lists (``LookupPagination``) are small and counted whole.
"""
from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from lapor.core.pagination import COUNT_CAP, CappedPaginator, capped_count


class Pagination(PageNumberPagination):
    """Report lists: pages of 20 by default, up to 100, counted up to ``COUNT_CAP``."""

    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = _whole_number(request, self.page_size_query_param, self.page_size)
        if size > self.max_page_size:
            raise ValidationError({self.page_size_query_param: [
                _("Paling banyak %(most)s per halaman.") % {"most": self.max_page_size}]})
        number = _whole_number(request, self.page_query_param, 1)
        paginator = self.paginator_for(queryset, size)
        if number > paginator.num_pages:
            raise ValidationError({self.page_query_param: [
                _("Halaman %(page)s tidak ada: hanya ada %(pages)s halaman.") % {
                    "page": number, "pages": paginator.num_pages}]})
        self.page = paginator.page(number)
        return list(self.page)

    def paginator_for(self, queryset, size: int) -> Paginator:
        count, more = capped_count(queryset)
        return CappedPaginator(queryset, size, count=count, more=more)

    def get_paginated_response(self, data):
        return Response({
            "count": self.page.paginator.count,
            "count_capped": bool(getattr(self.page.paginator, "more", False)),
            "next": self.get_next_link(),
            "previous": self.get_previous_link(),
            "results": data,
        })

    def get_paginated_response_schema(self, schema):
        shape = super().get_paginated_response_schema(schema)
        shape["properties"]["count"]["description"] = (
            f"Matches, counted up to {COUNT_CAP}; with count_capped, there are more.")
        shape["properties"] = {
            "count": shape["properties"]["count"],
            "count_capped": {"type": "boolean", "example": False,
                             "description": f"More than {COUNT_CAP} match: narrow the filters to reach them."},
            **{k: v for k, v in shape["properties"].items() if k != "count"},
        }
        shape["required"] = sorted(set(shape.get("required", [])) | {"count_capped"})
        return shape


class LookupPagination(Pagination):
    """The reference lists an app reads to fill its pickers (categories, regions,
    agencies): pages of 100 by default, up to 500, counted whole (they are small)."""

    page_size = 100
    max_page_size = 500

    def paginator_for(self, queryset, size: int) -> Paginator:
        return Paginator(queryset, size)

    def get_paginated_response(self, data):
        return PageNumberPagination.get_paginated_response(self, data)

    def get_paginated_response_schema(self, schema):
        return PageNumberPagination.get_paginated_response_schema(self, schema)


def _whole_number(request, name: str, default: int) -> int:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or int(raw) < 1:
        raise ValidationError({name: [_("Isi dengan bilangan bulat mulai dari 1.")]})
    return int(raw)

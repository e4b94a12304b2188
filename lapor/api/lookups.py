"""What an app needs to file a report (SPEC §7): the categories, regions and agencies that
submit's ``category``, ``region`` and ``addressed_agency`` take, listed as the website's
report form offers them. Public (no token), read-only, in pages (``LookupPagination``).

Each list reads what the website reads, from the rows each process keeps for a minute
(lapor/core/kept.py) where the form keeps them: a category, region step or agency the form
offers is offered here, and what submit accepts is what these lists give.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError

from lapor.agencies.models import Agency
from lapor.api import serializers as s
from lapor.api.pagination import LookupPagination
from lapor.api.views import ERRORS
from lapor.categories.selectors import offered_categories
from lapor.regions.lookup import region_from_code
from lapor.regions.models import Region
from lapor.regions.selectors import region_options, upper_regions

SEARCH_MAX = 100
SEARCH = OpenApiParameter("q", str, description="Bagian dari nama (tanpa membedakan huruf besar/kecil), paling panjang "
                                                f"{SEARCH_MAX} karakter.")
RESPONSES = {400: ERRORS[400]}


def _params(request):
    """The query, refused whole when a value holds NUL (PostgreSQL text cannot)."""
    for name, value in request.query_params.items():
        if "\x00" in value:
            raise ValidationError({name: [_("Karakter NUL tidak diperbolehkan.")]})
    return request.query_params


def _search_term(params) -> str:
    term = params.get("q", "").strip()
    if len(term) > SEARCH_MAX:
        raise ValidationError({"q": [_("Kata pencarian paling panjang %(most)s karakter.") % {"most": SEARCH_MAX}]})
    return term


def _region(params, name: str) -> Region | None:
    """The region a parameter names, read as submit reads ``region`` ("63.72" or "6372"),
    with the same messages."""
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        return region_from_code(raw)
    except DjangoValidationError as error:
        raise ValidationError({name: error.messages}) from None


class _Lookup(generics.GenericAPIView):
    pagination_class = LookupPagination

    def answer(self, rows, shape=None):
        """One page of ``rows`` (each made an item by ``shape``, if given), with the count."""
        page = self.paginate_queryset(rows)
        items = [shape(row) for row in page] if shape else page
        return self.get_paginated_response(self.serializer_class(items, many=True).data)


class Categories(_Lookup):
    """Active categories, as the website's report form offers them: each topic followed
    by its sub-topics. Send a category's `slug` as `category` when filing a report (a topic
    or a sub-topic). Names are in Indonesian whatever the language, as on the website."""

    serializer_class = s.CategoryOut

    @extend_schema(responses={200: s.CategoryOut(many=True), **RESPONSES}, auth=[{}], tags=["reference"])
    def get(self, request):
        _params(request)
        return self.answer(offered_categories())


class Regions(_Lookup):
    """One step of the region cascade of the website's report form: the provinces, or the
    regions one level below `parent` (a province's regencies and cities, a regency's
    districts, a district's villages). `q` narrows the step by name; `q` without `parent`
    looks among every province and regency/city. Send a region's `code` as `region` when
    filing a report."""

    serializer_class = s.RegionOut

    @extend_schema(
        parameters=[OpenApiParameter("parent", str, description="Kode wilayah induk, mis. 63.72 (atau 6372). "
                                                                 "Tanpa induk: provinsi."), SEARCH],
        responses={200: s.RegionOut(many=True), **RESPONSES}, auth=[{}], tags=["reference"],
    )
    def get(self, request):
        params = _params(request)
        parent, term = _region(params, "parent"), _search_term(params)
        if parent is not None:
            rows = region_options(parent.code)  # the form's own step, kept as the form keeps it
        else:
            rows = upper_regions() if term else region_options(None)
        if term:
            folded = term.casefold()
            rows = [(code, name) for code, name in rows if folded in name.casefold()]
        levels = dict(Region.Level.choices)

        def shape(row):
            code, name = row
            level = Region.level_of(code)
            return {"code": code, "name": name, "level": level, "level_label": str(levels[level])}

        return self.answer(rows, shape)


class Agencies(_Lookup):
    """Active agencies and units, in the order of the agency tree: what the website's
    report form offers to address a report to. `region` keeps those whose region is that
    region or lies in it, `q` those whose name or short name holds it. Send an agency's
    `slug` as `addressed_agency` when filing a report, or leave it out: the verifier
    routes the report."""

    serializer_class = s.AgencyOut

    @extend_schema(
        parameters=[OpenApiParameter("region", str, description="Kode wilayah (beserta wilayah di bawahnya), "
                                                                 "mis. 63.72."), SEARCH],
        responses={200: s.AgencyOut(many=True), **RESPONSES}, auth=[{}], tags=["reference"],
    )
    def get(self, request):
        params = _params(request)
        region, term = _region(params, "region"), _search_term(params)
        # The form's offer (lapor.portal.forms.agency_choices): every active agency, in tree order.
        agencies = Agency.objects.filter(is_active=True)
        if region is not None:
            agencies = agencies.filter(Q(region_id=region.code) | Q(region__code__startswith=f"{region.code}."))
        if term:
            agencies = agencies.filter(Q(name__icontains=term) | Q(short_name__icontains=term))
        return self.answer(agencies.select_related("parent").order_by("path"))

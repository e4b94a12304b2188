"""The public map /peta/: a filter form, a list of reports and a clustered map."""
from django.conf import settings
from django.db.models import Max, Min
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from lapor.reports.models import published_status_choices
from lapor.transparency import filters as filtering
from lapor.transparency import exports, figures, geo

LIST_SIZE = 50
COARSE_ZOOM = 8


@require_GET
def map_page(request):
    f = filtering.parse(request.GET)
    qs = filtering.public_queryset(f)
    reports = (qs.select_related("category", "region", "assigned_agency")
               .order_by("-created_at", "-id")[:LIST_SIZE])
    return render(request, "transparency/peta.html", {
        "filters": f,
        "choices": filtering.choices(),
        "reports": reports,
        "total": qs.count(),
        "list_size": LIST_SIZE,
        "tile_url": settings.LAPOR_MAP_TILE_URL,
        "attribution": settings.LAPOR_MAP_ATTRIBUTION,
        "data_url": "/peta/data.json",
        "query": f.querystring(),
        "map_messages": map_messages(),
        # A shared link with bbox=w,s,e,n (e.g. a followed map area) opens on that area; one
        # with a region (/peta/?wilayah=63.03), on that region's reports.
        "bounds": _bounds(request.GET) or _region_bounds(f, qs),
    })


def _bounds(params) -> str:
    viewport = geo.parse_viewport(params)
    return "" if viewport is None else f"{viewport.west},{viewport.south},{viewport.east},{viewport.north}"


def _region_bounds(f: filtering.Filters, qs) -> str:
    """w,s,e,n around the pinned reports the filters keep, when they name a region (no
    region boundaries in the reference data: its reports say where it is); "" otherwise."""
    if f.region is None:
        return ""
    box = figures.cached(f"peta:kotak:{figures.map_generation()}:{f.cache_key}", lambda: qs.filter(
        latitude__isnull=False, longitude__isnull=False).aggregate(
        w=Min("longitude"), s=Min("latitude"), e=Max("longitude"), n=Max("latitude")))
    if box["w"] is None:
        return ""
    return f"{box['w']},{box['s']},{box['e']},{box['n']}"


def _labelled(data: dict) -> dict:
    """The answer with each lone report's status as its page words it, in the reader's
    language (added here, not kept with the cells: a kept view serves every language). A
    published report in "submitted" waits for a transfer: it was verified."""
    labels = dict(published_status_choices())
    cells = [{**cell, "status_label": str(labels.get(cell["status"], cell["status"]))} if "status" in cell else cell
             for cell in data["cells"]]
    return {**data, "cells": cells}


def map_messages() -> dict:
    """What map.js says, in the page's language ({n} is filled in by the script, which
    picks the "one" or "other" form by the number, as Intl.PluralRules does)."""
    return {
        "reports_one": ngettext("{n} laporan", "{n} laporan", 1),
        "reports_other": ngettext("{n} laporan", "{n} laporan", 2),
        "in_view_one": ngettext("{n} laporan di area peta ini", "{n} laporan di area peta ini", 1),
        "in_view_other": ngettext("{n} laporan di area peta ini", "{n} laporan di area peta ini", 2),
        "partial": _("(sebagian, perbesar peta)"),
        "no_tiles": _("Peta dasar tidak dapat dimuat; lokasi laporan tetap ditampilkan."),
        "failed": _("Data peta tidak dapat dimuat."),
    }


@require_GET
def map_data(request):
    """Clusters of published reports in the viewport (bbox=west,south,east,north&zoom=z)."""
    viewport = geo.parse_viewport(request.GET)
    if viewport is None:
        return JsonResponse({"error": _("bbox=west,south,east,north dan zoom wajib diisi")}, status=400)
    f = filtering.parse(request.GET)
    if f.ignored:
        # As the exports: a script that asked for "status=selesai" would otherwise map every
        # report believing them filtered. The pages ask with the filters they used only.
        return JsonResponse({"error": _("Saringan ini tidak dikenal: %(ignored)s. Perbaiki atau hapus saringan itu.")
                             % {"ignored": f.ignored_text}, "ignored": dict(f.ignored)}, status=400)
    if viewport.zoom <= COARSE_ZOOM and not f.hours:  # "the last 3 hours" is never kept
        # Country and province views cover most reports and look alike on every screen:
        # answer a snapped viewport and keep the answer for a while.
        viewport = geo.snapped(viewport)
        key = (f"peta:{figures.map_generation()}:{viewport.west}:{viewport.south}:{viewport.east}:{viewport.north}:"
               f"{viewport.zoom}:{f.cache_key}")
        data = geo.without_withdrawn(figures.cached(key, lambda: geo.clusters(filtering.public_queryset(f), viewport)))
    else:
        data = geo.clusters(filtering.public_queryset(f), viewport)
    response = JsonResponse(_labelled(data))
    # Shared caches may keep it but must ask again before each use: a report made
    # confidential leaves the map at once (no stored answer has a lifetime to run out).
    response["Cache-Control"] = "public, no-cache"
    return exports.with_licence(response)

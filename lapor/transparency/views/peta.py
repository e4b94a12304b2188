"""The public map /peta/: a filter form, a list of reports and a clustered map."""
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lapor.transparency import filters as filtering
from lapor.transparency import figures, geo

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
    })


@require_GET
def map_data(request):
    """Clusters of published reports in the viewport (bbox=west,south,east,north&zoom=z)."""
    viewport = geo.parse_viewport(request.GET)
    if viewport is None:
        return JsonResponse({"error": "bbox=west,south,east,north dan zoom wajib diisi"}, status=400)
    f = filtering.parse(request.GET)
    if viewport.zoom <= COARSE_ZOOM:
        # Country and province views cover most reports and look alike on every screen:
        # answer a snapped viewport and keep the answer for a while.
        viewport = geo.snapped(viewport)
        key = f"peta:{viewport.west}:{viewport.south}:{viewport.east}:{viewport.north}:{viewport.zoom}:{f.cache_key}"
        data = figures.cached(key, lambda: geo.clusters(filtering.public_queryset(f), viewport))
    else:
        data = geo.clusters(filtering.public_queryset(f), viewport)
    response = JsonResponse(data)
    response["Cache-Control"] = "public, max-age=60"
    return response

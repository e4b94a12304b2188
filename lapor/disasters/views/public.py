"""The live incident map of a disaster: its published reports on the map (refreshed by
the map's script through /peta/data.json) and in a list that works without JavaScript."""
from __future__ import annotations

from django.conf import settings
from django.db.models import Max, Min
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from lapor.disasters.models import Disaster
from lapor.disasters.selectors import incident_filters, incident_reports
from lapor.transparency.views.peta import map_messages

LIST_SIZE = 50
REFRESH_SECONDS = 60


@require_GET
def incident_map(request, pk):
    disaster = get_object_or_404(Disaster.objects.select_related("category", "region"), pk=pk)
    now = timezone.now()
    if disaster.starts_at > now:
        raise Http404  # declared ahead of time: not public before it starts
    filters = incident_filters(disaster)
    reports = incident_reports(disaster)
    box = reports.filter(latitude__isnull=False).aggregate(
        s=Min("latitude"), w=Min("longitude"), n=Max("latitude"), e=Max("longitude"))
    bounds = ",".join(f"{box[k]:.5f}" for k in ("w", "s", "e", "n")) if box["s"] is not None else ""
    live = disaster.is_live(now)
    return render(request, "disasters/incident.html", {
        "disaster": disaster,
        "live": live,
        "reports": reports.select_related("category", "region").order_by("-created_at", "-id")[:LIST_SIZE],
        "total": reports.count(),
        "list_size": LIST_SIZE,
        "query": filters.querystring(),
        "bounds": bounds,
        "refresh": REFRESH_SECONDS if live else 0,
        "tile_url": settings.LAPOR_MAP_TILE_URL,
        "attribution": settings.LAPOR_MAP_ATTRIBUTION,
        "map_messages": map_messages(),  # the public map's sentences for map.js
    })

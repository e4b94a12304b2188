"""Server-side clustering for the public map (SPEC §9, §13).

The viewport's published reports are grouped in the database into a grid whose cell is
about ``CELL_PIXELS`` screen pixels wide at the requested zoom (``FLOOR(lat / size)``,
``FLOOR(lon / size)`` + GROUP BY), so the answer holds at most ``limit`` cells however
many reports lie underneath. A cell of one report carries that report's link and title.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from django.db.models import Avg, Count, F, Max, Min
from django.db.models.functions import Floor


CELL_PIXELS = 60
MAX_ZOOM = 19


@dataclass(frozen=True)
class Viewport:
    west: float
    south: float
    east: float
    north: float
    zoom: int


def parse_viewport(params) -> Viewport | None:
    try:
        west, south, east, north = (float(v) for v in (params.get("bbox") or "").split(","))
        zoom = int(params.get("zoom") or 0)
    except ValueError:
        return None
    if not (-90 <= south <= north <= 90 and -180 <= west <= east <= 180):
        return None
    return Viewport(west, south, east, north, max(0, min(MAX_ZOOM, zoom)))


def snapped(viewport: Viewport, *, cells: int = 8) -> Viewport:
    """The viewport widened outwards to a coarse grid, so that viewports of different
    screens at low zoom share one answer (and one cache entry); a little extra around the
    edges costs nothing on the map."""
    step = cell_size(viewport.zoom) * cells
    return Viewport(
        max(-180.0, math.floor(viewport.west / step) * step), max(-90.0, math.floor(viewport.south / step) * step),
        min(180.0, math.ceil(viewport.east / step) * step), min(90.0, math.ceil(viewport.north / step) * step),
        viewport.zoom,
    )


def cell_size(zoom: int) -> float:
    """Degrees per cell: a 256-pixel world tile spans 360° at zoom 0."""
    return 360.0 / (256 * 2 ** zoom) * CELL_PIXELS


def clusters(reports, viewport: Viewport, *, limit: int = 500) -> dict:
    """Cells of published ``reports`` inside the viewport: ``{"cells": [...], "total": n,
    "truncated": bool}``; biggest cells first when more than ``limit``."""
    size = cell_size(viewport.zoom)
    inside = reports.filter(
        latitude__gte=viewport.south, latitude__lte=viewport.north,
        longitude__gte=viewport.west, longitude__lte=viewport.east,
    )
    rows = list(
        inside.annotate(cy=Floor(F("latitude") / size), cx=Floor(F("longitude") / size))
        .values("cy", "cx")
        .annotate(n=Count("id"), lat=Avg("latitude"), lon=Avg("longitude"), first=Min("id"),
                  s=Min("latitude"), w=Min("longitude"), north=Max("latitude"), e=Max("longitude"))
        .order_by("-n", "cy", "cx")[: limit + 1]
    )
    truncated = len(rows) > limit
    rows = rows[:limit]
    singles = {r["first"] for r in rows if r["n"] == 1}
    details = {
        pk: (tid, title, status)
        for pk, tid, title, status in reports.filter(pk__in=singles)
        .values_list("pk", "tracking_id", "title", "status")
    }
    cells = []
    for r in rows:
        cell = {"lat": round(r["lat"], 6), "lon": round(r["lon"], 6), "count": r["n"]}
        if r["n"] == 1 and r["first"] in details:
            tid, title, status = details[r["first"]]
            cell.update(url=f"/laporan/{tid}/", title=title, tracking_id=tid, status=status)
        else:
            # Where the cell's reports lie, so a click can zoom straight to them.
            cell["bounds"] = [round(r["s"], 6), round(r["w"], 6), round(r["north"], 6), round(r["e"], 6)]
        cells.append(cell)
    return {"cells": cells, "total": sum(r["n"] for r in rows), "truncated": truncated, "zoom": viewport.zoom}


def without_withdrawn(data: dict) -> dict:
    """A kept ``clusters`` answer with its lone reports checked against the public as it is
    now (one query): a report made confidential or archived since it was kept loses its
    pin, whichever process kept the answer. ``forget_map`` drops the kept views from a
    shared cache (Redis, the embedded default's on disk); this holds where the cache is
    not shared (Django's local memory) and for a view being made while the report left."""
    from lapor.reports.policy import public_reports

    named = [cell["tracking_id"] for cell in data["cells"] if "tracking_id" in cell]
    if not named:
        return data
    public = set(public_reports().filter(tracking_id__in=named).values_list("tracking_id", flat=True))
    if len(public) == len(named):
        return data
    cells = [cell for cell in data["cells"] if cell.get("tracking_id", "") in public or "tracking_id" not in cell]
    return {**data, "cells": cells, "total": data["total"] - (len(named) - len(public))}

"""How a follow reads on the page, and where its feed and its public list are."""
from __future__ import annotations

import math
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from lapor.following.models import Follow
from lapor.following.selectors import KM_PER_DEGREE_LATITUDE


def describe(follow: Follow) -> str:
    if follow.report_id:
        return _("Laporan #%(id)s “%(title)s”") % {"id": follow.report.tracking_id, "title": follow.report.title}
    parts = []
    if follow.region_id:
        parts.append(_("Wilayah %(name)s (%(code)s)") % {"name": follow.region.name, "code": follow.region.code})
    if follow.is_circle:
        parts.append(_("Area %(km)s km di sekitar %(lat)s, %(lon)s") % {
            "km": f"{follow.radius_km:g}", "lat": f"{follow.latitude:.4f}", "lon": f"{follow.longitude:.4f}"})
    if follow.category_id:
        parts.append(_("Kategori %(name)s") % {"name": follow.category})
    return " · ".join(parts)


def circle_bbox(latitude: float, longitude: float, radius_km: float) -> str:
    """The square around a circle, as the map's ``bbox=west,south,east,north``."""
    dlat = radius_km / KM_PER_DEGREE_LATITUDE
    dlon = radius_km / (111.32 * max(0.01, math.cos(math.radians(latitude))))
    return ",".join(f"{v:.5f}" for v in (longitude - dlon, latitude - dlat, longitude + dlon, latitude + dlat))


def area_query(follow: Follow) -> str:
    """The map's query string for an area follow (region or circle, and category)."""
    params = {}
    if follow.region_id:
        params["wilayah"] = follow.region_id
    if follow.is_circle:
        params["bbox"] = circle_bbox(follow.latitude, follow.longitude, follow.radius_km)
    if follow.category_id:
        params["kategori"] = follow.category.slug
    return urlencode(params)


def page_url(follow: Follow) -> str:
    if follow.report_id:
        return follow.report.get_absolute_url()
    return f"/peta/?{area_query(follow)}"


def feed_url(follow: Follow) -> str:
    if follow.report_id:
        return f"{follow.report.get_absolute_url()}atom.xml"
    return f"/peta/atom.xml?{area_query(follow)}"

"""Keeping the most visited public figures computed (SPEC §9, §12).

The unfiltered statistics page and the compliance ranking read every published report:
seconds at a million reports. The background pass recomputes them once they are half as
old as ``LAPOR_STATS_CACHE_SECONDS``, so visitors always find them computed; filtered
variants are computed on first request and kept as long.
"""
from __future__ import annotations

from django.conf import settings

from lapor.transparency import figures, filters


def transparency_warm() -> int:
    """Recompute the default statistics and ranking if they are missing or half expired.

    Side effects: cache writes only. Returns how many were recomputed."""
    from lapor.transparency.views.kinerja import ranking_data
    from lapor.transparency.views.statistik import statistics_data

    seconds = getattr(settings, "LAPOR_STATS_CACHE_SECONDS", 300)
    if seconds <= 0:
        return 0
    default = filters.parse({})
    done = 0
    for prefix, data in (("statistik:", statistics_data), ("kinerja:", ranking_data)):
        age = figures.cache_age(prefix + default.cache_key)
        if age is None or age > seconds / 2:
            data(default, refresh=True)
            done += 1
    return done

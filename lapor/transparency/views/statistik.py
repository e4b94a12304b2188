"""Public statistics /statistik/ and the exports of filtered public lists."""
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from lapor.agencies.models import zone_label
from lapor.transparency import charts, exports, figures
from lapor.transparency import filters as filtering

SECTIONS = [
    ("month", _("Laporan terbit per bulan")),
    ("status", _("Menurut status")),
    ("kind", _("Menurut jenis")),
    ("category", _("Menurut kategori")),
    ("region", _("Menurut kabupaten/kota")),
    ("agency", _("Menurut instansi")),
    ("channel", _("Menurut kanal")),
]


def statistics_data(f: filtering.Filters, *, refresh: bool = False) -> dict:
    def compute():
        qs = filtering.public_queryset(f)
        return {"counts": figures.counts(qs), "durations": figures.durations(qs), "total": qs.count(),
                "status_totals": figures.status_totals()}

    return figures.cached("statistik:" + f.cache_key, compute, refresh=refresh)


@require_GET
def statistics_page(request):
    f = filtering.parse(request.GET)
    data = statistics_data(f)
    sections = []
    for key, title in SECTIONS:
        rows = data["counts"][key]
        title = str(title)
        chart = (charts.column_chart([(r.label, r.count) for r in rows], title=title) if key == "month"
                 else charts.bar_chart([(r.label, r.count) for r in rows], title=title))
        sections.append({"key": key, "title": title, "rows": rows, "chart": chart})
    return render(request, "transparency/statistik.html", {
        "filters": f, "choices": filtering.choices(), "sections": sections, "data": data,
        "query": f.querystring(), "zone": zone_label(settings.TIME_ZONE),
    })


@require_GET
def export_reports(request, fmt):
    """The filtered public list as CSV or XLSX (published reports only, no personal data)."""
    f = filtering.parse(request.GET)
    if f.ignored:
        return exports.refused(f)
    return exports.reports_response(filtering.public_queryset(f), fmt)

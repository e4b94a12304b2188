"""The monthly report per agency for leadership (SPEC §9): a printable HTML page and the
same page as a PDF drawn on the server (WeasyPrint, print stylesheet)."""
import calendar as pycalendar
import dataclasses
import datetime
from zoneinfo import ZoneInfo

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lapor.agencies.models import Agency
from lapor.transparency import charts, figures, ikm, pdf
from lapor.transparency import filters as filtering
from lapor.transparency.models import IkmSurvey


FIRST_YEAR = 2000


def _month(month: str, zone: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day of ``YYYY-MM``; 404 for a month that does not exist or has
    not begun in the agency's ``zone`` (nothing to report, and no PDF worth rendering for
    every future month). A WITA or WIT office's month begins before Jakarta's."""
    try:
        first = datetime.date.fromisoformat(month + "-01")
    except ValueError:
        raise Http404
    if first.year < FIRST_YEAR or first > timezone.localdate(timezone=ZoneInfo(zone)):
        raise Http404
    return first, first.replace(day=pycalendar.monthrange(first.year, first.month)[1])


def _context(agency: Agency, month: str) -> dict:
    """The figures of one agency's month: published reports received in it only
    (``public_queryset``), so a confidential report never counts here."""
    first, last = _month(month, agency.time_zone)
    # The agency's own month: from its midnight to its midnight (a WIT office's 1 December
    # begins two hours before Jakarta's).
    f = filtering.Filters(agency=agency, date_from=first, date_to=last, zone=agency.time_zone)
    qs = filtering.public_queryset(f)
    handled = filtering.public_queryset(dataclasses.replace(f, agency=None))
    counts = figures.counts(qs)
    surveys = [(s, ikm.survey_result(s.responses.all()))
               for s in IkmSurvey.objects.filter(agency__path__startswith=agency.path,
                                                 opens_on__lte=last, closes_on__gte=first)]
    return {
        "agency": agency, "first": first, "last": last, "month": month, "counts": counts,
        # Each unit's turns with the month's reports, those it handed on since included.
        "units": figures.compliance(handled, level="unit", within=agency),
        "total": next(iter(figures.compliance(handled, level="top", within=agency)), None),
        "surveys": surveys, "count": qs.count(),
        "category_chart": charts.bar_chart([(r.label, r.count) for r in counts["category"]],
                                           title=_("Laporan menurut kategori")),
        "status_chart": charts.bar_chart([(r.label, r.count) for r in counts["status"]],
                                         title=_("Laporan menurut status")),
        "generated": timezone.now(),  # written in the agency's zone by the template
    }


@require_GET
def monthly_report(request, slug, month):
    """A printable report per agency and month (print stylesheet; PDF link beside it)."""
    agency = get_object_or_404(Agency, slug=slug)  # a unit out of service keeps its past months
    return render(request, "transparency/bulanan.html", _context(agency, month))


@require_GET
def monthly_report_pdf(request, slug, month):
    """The same report as a PDF file. Rendering takes a second of CPU, so the file is kept
    for ``LAPOR_STATS_CACHE_SECONDS`` per agency, month and language."""
    agency = get_object_or_404(Agency, slug=slug)
    _month(month, agency.time_zone)  # 404 for a month that does not exist, before any work

    def compute():
        html = render_to_string("transparency/bulanan.html", {**_context(agency, month), "as_pdf": True},
                                request=request)
        return pdf.html_to_pdf(html)

    try:
        body = figures.cached(f"bulanan-pdf:{agency.pk}:{month}", compute)
    except pdf.PdfUnavailable:
        return render(request, "transparency/pdf_unavailable.html", {
            "agency": agency, "month": month,
        }, status=503)
    response = HttpResponse(body, content_type="application/pdf")
    filename = f"laporan-bulanan-{agency.slug}-{month}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Content-Language"] = translation.get_language()
    return response

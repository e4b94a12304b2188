"""The monthly report per agency for leadership (SPEC §9): a printable HTML page and the
same page as a PDF drawn on the server (WeasyPrint, print stylesheet)."""
import calendar as pycalendar
import dataclasses
import datetime
from zoneinfo import ZoneInfo

from django.db.models import Min
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lapor.agencies.models import Agency
from lapor.reports import policy
from lapor.transparency import charts, figures, ikm, pdf
from lapor.transparency import filters as filtering
from lapor.transparency.models import IkmSurvey


FIRST_YEAR = 2000


class NoSuchMonth(Exception):
    """A month in the address that is no month (``invalid``), or has no report."""

    def __init__(self, *, invalid: bool):
        super().__init__()
        self.invalid = invalid


def _month(month: str, zone: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day of ``YYYY-MM``; ``NoSuchMonth`` for a month that does not
    exist or has not begun in the agency's ``zone`` (nothing to report, and no PDF worth
    rendering for every future month). A WITA or WIT office's month begins before Jakarta's."""
    try:
        if len(month) != 7:
            raise ValueError(month)
        first = datetime.date.fromisoformat(month + "-01")
    except ValueError:
        raise NoSuchMonth(invalid=True)
    if first.year < FIRST_YEAR or first > timezone.localdate(timezone=ZoneInfo(zone)):
        raise NoSuchMonth(invalid=False)
    return first, first.replace(day=pycalendar.monthrange(first.year, first.month)[1])


def _months(agency: Agency) -> list[tuple[int, list[datetime.date]]]:
    """[(year, [first days of its months])], newest first: from the month the agency's
    first published report was received to the current one, in its own zone."""
    today = timezone.localdate(timezone=ZoneInfo(agency.time_zone))
    first = policy.public_reports().filter(assigned_agency__path__startswith=agency.path).aggregate(
        first=Min("created_at"))["first"]
    start = timezone.localtime(first, ZoneInfo(agency.time_zone)).date() if first else today
    start = max(start.replace(day=1), datetime.date(FIRST_YEAR, 1, 1))
    years: dict[int, list[datetime.date]] = {}
    day = today.replace(day=1)
    while day >= start:
        years.setdefault(day.year, []).insert(0, day)
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    return list(years.items())


def _no_such_month(request, agency: Agency, month: str, error: NoSuchMonth):
    """A 404 that says what is wrong with the month, in the visitor's language, and links
    the months that have a report."""
    return render(request, "transparency/bulanan_missing.html", {
        "agency": agency, "month": month, "invalid": error.invalid, "years": _months(agency),
    }, status=404)


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
    try:
        context = _context(agency, month)
    except NoSuchMonth as e:
        return _no_such_month(request, agency, month, e)
    return render(request, "transparency/bulanan.html", context)


@require_GET
def monthly_report_pdf(request, slug, month):
    """The same report as a PDF file. Rendering takes a second of CPU, so the file is kept
    for ``LAPOR_STATS_CACHE_SECONDS`` per agency, month and language."""
    agency = get_object_or_404(Agency, slug=slug)
    try:
        _month(month, agency.time_zone)  # before any work
    except NoSuchMonth as e:
        return _no_such_month(request, agency, month, e)

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

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def region_options(regions, selected):
    """The <option>s of the region filter, written in Python: ~550 of them on every
    statistics, ranking and map page, where a template loop cost ~10 ms a request.
    ``regions``: (code, name, level) rows; ``selected``: the chosen Region or None."""
    chosen = getattr(selected, "code", None)
    return mark_safe("".join(
        f'<option value="{escape(code)}"{" selected" if code == chosen else ""}>'
        f'{"&nbsp;&nbsp;" if level == 2 else ""}{escape(name)}</option>'
        for code, name, level in regions))


@register.simple_tag
def open_data_licence():
    """The open data's licence, named and linked (settings.LAPOR_OPEN_DATA_LICENCE)."""
    name, url = settings.LAPOR_OPEN_DATA_LICENCE, settings.LAPOR_OPEN_DATA_LICENCE_URL
    if not url:
        return name
    return format_html('<a href="{}" rel="license">{}</a>', url, name or url)


@register.filter
def pct(value, digits=1):
    """0.8333 → "83,3%" (Indonesian) or "83.3%" (English); None → "—" (nothing to divide by)."""
    if not isinstance(value, (int, float)):  # None, or "" for a figure of no agency at all
        return "—"
    return f"{number_format(round(value * 100, int(digits)), int(digits))}%"


@register.filter
def days(value):
    """A median in working days: "2", "2,5" ("2.5" in English), or "—"."""
    if not isinstance(value, (int, float)):
        return "—"
    value = round(value, 1)
    return number_format(value, 0 if value == int(value) else 1)


@register.inclusion_tag("transparency/_rating_invitation.html")
def rating_invitation(report, mine):
    """On the reporter's own report page: once the agency answered, an invitation to rate
    its service (/kinerja/nilai/<tracking id>/), or the rating already given."""
    from lapor.reports.enums import Status
    from lapor.transparency.models import ServiceRating

    ratable = (mine and report.status in (Status.IN_PROGRESS, Status.CLOSED)
               and report.assigned_agency_id is not None and report.first_answer_at is not None)
    rating = ServiceRating.objects.filter(report=report).first() if ratable else None
    return {"report": report, "ratable": ratable, "rating": rating}

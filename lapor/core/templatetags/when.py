"""``{{ moment|when }}``: a date and time as people write it, with its zone ("7 Des 2026
09:53 WIB"), in the time zone the page is in (the site's, or the one a ``{% timezone %}``
block set). Lists that gather many reports or many agencies (supervision, SILAPAT, the
audit log) give every time so; a report's own pages give its times in the report's zone
(``Report.deadline_zone``), and the notification centre each in its reader's
(``notifications.selectors.reader_zone``). ``{{ moment|when:"Asia/Makassar" }}`` names the
zone to use."""
from django import template
from django.utils import timezone
from django.utils.formats import date_format

from lapor.agencies.models import zone_label

register = template.Library()


def _when(value, zone, fmt) -> str:
    if not value:
        return ""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone) if zone else timezone.get_current_timezone()
    return f"{date_format(timezone.localtime(value, tz), fmt)} {zone_label(getattr(tz, 'key', str(tz)))}"


@register.filter
def when(value, zone: str | None = None) -> str:
    return _when(value, zone, "j M Y H:i")


@register.filter
def when_long(value, zone: str | None = None) -> str:
    """The month in full ("7 Desember 2026 09:53 WIB")."""
    return _when(value, zone, "j F Y H:i")

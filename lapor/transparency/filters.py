"""The filters every public list, map, statistic and export shares (SPEC §9), parsed
from the query string. Reports are always read through ``lapor.reports.policy``."""
from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import ngettext

from lapor.agencies.models import Agency
from lapor.categories.models import Category
from lapor.core.kept import kept
from lapor.regions.models import Region
from lapor.reports import policy
from lapor.reports.enums import Kind, Status
from lapor.reports.models import published_status_choices


@dataclass(frozen=True)
class Filters:
    region: Region | None = None
    category: Category | None = None
    status: str = ""
    kind: str = ""
    agency: Agency | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    # Reports of the last so many hours (the incident map in a disaster: "the last 6 hours").
    hours: int | None = None
    # The zone the days are read in: the site's (the pages and exports across agencies), or
    # one agency's own (its monthly report: its month begins at its midnight).
    zone: str | None = None
    # (parameter, value) of what was asked for and could not be used: an unknown region,
    # category, agency, status or kind, a malformed date. Pages say so; exports refuse.
    ignored: tuple[tuple[str, str], ...] = ()

    @property
    def ignored_text(self) -> str:
        """The ignored filters as people read them: 'status “foo”, dari “kemarin”'."""
        return ", ".join(f"{name} “{value}”" for name, value in self.ignored)

    def querystring(self, **extra) -> str:
        params = {
            "wilayah": self.region.code if self.region else "",
            "kategori": self.category.slug if self.category else "",
            "status": self.status,
            "jenis": self.kind,
            "instansi": self.agency.slug if self.agency else "",
            "dari": self.date_from.isoformat() if self.date_from else "",
            "sampai": self.date_to.isoformat() if self.date_to else "",
            "jam": self.hours or "",
            **extra,
        }
        return urlencode({k: v for k, v in params.items() if v not in ("", None)})

    @property
    def cache_key(self) -> str:
        return self.querystring() or "-"

    def apply(self, qs: QuerySet) -> QuerySet:
        """Narrow a queryset of reports (already limited by the policy) by these filters."""
        if self.region is not None:
            qs = qs.filter(Q(region_id=self.region.code) | Q(region__code__startswith=self.region.code + "."))
        if self.category is not None:
            qs = qs.filter(Q(category_id=self.category.pk) | Q(category__parent_id=self.category.pk))
        if self.status:
            qs = qs.filter(status=self.status)
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.agency is not None:
            qs = qs.filter(assigned_agency__path__startswith=self.agency.path)
        if self.date_from:
            qs = qs.filter(created_at__gte=_start_of(self.date_from, self.zone))
        if self.date_to:
            qs = qs.filter(created_at__lt=_start_of(self.date_to + datetime.timedelta(days=1), self.zone))
        if self.hours:
            qs = qs.filter(created_at__gte=timezone.now() - datetime.timedelta(hours=self.hours))
        return qs


# The spans the "received within" filter offers (hours); a link with another is ignored.
HOURS = (3, 6, 12, 24, 72)


def _start_of(day: datetime.date, zone: str | None = None) -> datetime.datetime:
    # Days are read in the site's zone (settings.TIME_ZONE), as the forms show them, unless
    # a zone is given.
    tz = ZoneInfo(zone) if zone else timezone.get_default_timezone()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()), tz)


def _date(value: str) -> datetime.date | None:
    try:
        day = datetime.date.fromisoformat((value or "").strip())
        # The first and last days of the calendar: their start, or the next day's, is no
        # moment in UTC, where the database compares; ignored like a malformed date.
        for moment in (_start_of(day), _start_of(day + datetime.timedelta(days=1))):
            moment.astimezone(datetime.timezone.utc)
    except (ValueError, OverflowError):
        return None
    return day


def _text(params, name: str) -> str:
    """A parameter's text; one holding NUL, which no code, slug or PostgreSQL text holds,
    is malformed."""
    value = (params.get(name) or "").strip()
    return "" if "\x00" in value else value


def parse(params) -> Filters:
    """Filters from a query dict. An unknown or malformed value is left out, not an error
    (a shared link with a stale filter still shows something), and recorded in
    ``ignored`` so that the page can say so and an export can refuse."""
    region = category = agency = None
    code = _text(params, "wilayah")
    if code:
        region = Region.objects.filter(code=code).first()
    slug = _text(params, "kategori")
    if slug:
        category = Category.objects.filter(slug=slug).first()
    slug = _text(params, "instansi")
    if slug:
        agency = Agency.objects.filter(slug=slug).first()  # one out of service too: its past
    status = params.get("status") or ""
    # Archived reports are never public: the filter does not offer them.
    if status not in Status.values or status == Status.ARCHIVED:
        status = ""
    kind = params.get("jenis") or ""
    if kind not in Kind.values:
        kind = ""
    date_from, date_to = _date(params.get("dari")), _date(params.get("sampai"))
    hours = _text(params, "jam")
    hours = int(hours) if hours.isdigit() and int(hours) in HOURS else None
    used = {"wilayah": region, "kategori": category, "instansi": agency, "status": status, "jenis": kind,
            "dari": date_from, "sampai": date_to, "jam": hours}
    ignored = tuple((name, _shown(params.get(name))) for name, value in used.items()
                    if (params.get(name) or "").strip() and not value)
    return Filters(region=region, category=category, status=status, kind=kind, agency=agency,
                   date_from=date_from, date_to=date_to, hours=hours, ignored=ignored)


def _shown(value: str) -> str:
    """A value as the notice repeats it: printable, and short."""
    text = "".join(c for c in str(value) if c.isprintable()).strip()
    return text if len(text) <= 40 else text[:39] + "…"


def public_queryset(filters: Filters) -> QuerySet:
    """Published reports (never confidential, never archived) matching the filters."""
    return filters.apply(policy.public_reports())


def region_choices() -> list[tuple[str, str, int]]:
    """(code, name, level) of every province and regency, in the regions' own order: ~550
    rows on every statistics, ranking and map page, read once a minute per process."""
    return kept("transparency:regions", 60, lambda: list(
        Region.objects.filter(level__lte=Region.Level.REGENCY).values_list("code", "name", "level")))


def choices() -> dict:
    """What the filter forms offer."""
    return {
        "regions": region_choices(),
        "categories": Category.objects.filter(parent__isnull=True, is_active=True),
        "agencies": Agency.objects.filter(parent__isnull=True, is_active=True).exclude(kind=Agency.Kind.SUPERVISOR),
        "statuses": published_status_choices(),
        "kinds": [(v, label) for v, label in Kind.choices if v != Kind.WHISTLEBLOWING],
        "hours": [(h, ngettext("%(n)d jam terakhir", "%(n)d jam terakhir", h) % {"n": h}) for h in HOURS],
    }

"""SILAPAT reads: registry figures (public and staff), early-warning trends and map points.

Public figures are counts only: no contact, no incident, no name of a person (the names
of houses of worship are not shown publicly either, nor their locations: in a tense area
a public list of targets is the last thing an early-warning system should publish).
"""
from __future__ import annotations

import datetime
from collections import defaultdict
from zoneinfo import ZoneInfo
from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, OuterRef, Subquery, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.harmony.categories import harmony_categories
from lapor.harmony.enums import Religion, Vulnerability, WorshipKind
from lapor.harmony.models import (
    HarmonyAlert, HarmonyIncident, HouseOfWorship, Population, ReligiousOrganization,
    VisitorCount,
)
from lapor.regions.models import Region
from lapor.reports import policy
from lapor.reports.enums import Status
from lapor.reports.models import Report


def office_zone(office) -> ZoneInfo:
    """The zone an office's days are counted in: its Kesbangpol unit's (the site's without one)."""
    zone = office.agency.time_zone if office is not None and office.agency_id else None
    return ZoneInfo(zone) if zone else timezone.get_default_timezone()

DISTRICT_CODE_LENGTH = len("63.72.02")


@dataclass
class DistrictFigures:
    code: str
    name: str
    houses_by_religion: dict = field(default_factory=dict)
    houses_by_kind: dict = field(default_factory=dict)
    organizations_by_religion: dict = field(default_factory=dict)
    # Each village counts with its own latest year: the oldest and newest of those years.
    population_year: int | None = None
    population_oldest_year: int | None = None
    population_by_religion: dict = field(default_factory=dict)

    @property
    def population_years(self) -> str:
        if self.population_oldest_year and self.population_oldest_year != self.population_year:
            return f"{self.population_oldest_year}–{self.population_year}"
        return str(self.population_year or "")

    @property
    def houses(self) -> int:
        return sum(self.houses_by_religion.values())

    @property
    def organizations(self) -> int:
        return sum(self.organizations_by_religion.values())

    @property
    def population(self) -> int:
        return sum(self.population_by_religion.values())

    # Rows of the tables, columns in the order of the enums.
    @property
    def houses_row(self) -> list[int]:
        return [self.houses_by_religion.get(r.value, 0) for r in Religion]

    @property
    def kinds_row(self) -> list[int]:
        return [self.houses_by_kind.get(k.value, 0) for k in WorshipKind]

    @property
    def organizations_row(self) -> list[int]:
        return [self.organizations_by_religion.get(r.value, 0) for r in Religion]

    @property
    def population_row(self) -> list[int]:
        return [self.population_by_religion.get(r.value, 0) for r in Religion]


def _in(qs, region_field: str, region: Region | None):
    if region is None:
        return qs
    return qs.filter(**{f"{region_field}__startswith": region.code})


def registry_figures(region: Region | None = None) -> list[DistrictFigures]:
    """Counts per district (houses of worship by religion and type, organisations by
    religion, population by religion: each village's latest year, so that one village
    counted anew does not hide the others), optionally within ``region``. Figures only:
    fit for the public page."""
    districts: dict[str, DistrictFigures] = {}

    def get(code):
        if code not in districts:
            districts[code] = DistrictFigures(code=code, name="")
        return districts[code]

    houses = _in(HouseOfWorship.objects.all(), "village__code", region).annotate(
        district=Substr("village_id", 1, DISTRICT_CODE_LENGTH))
    for row in houses.values("district", "religion").annotate(n=Count("id")).order_by():
        get(row["district"]).houses_by_religion[row["religion"]] = row["n"]
    for row in houses.values("district", "kind").annotate(n=Count("id")).order_by():
        get(row["district"]).houses_by_kind[row["kind"]] = row["n"]
    # Organisations registered at regency level or above belong to no district.
    organizations = _in(ReligiousOrganization.objects.filter(region__level__gte=Region.Level.DISTRICT),
                        "region__code", region).annotate(district=Substr("region_id", 1, DISTRICT_CODE_LENGTH))
    for row in organizations.values("district", "religion").annotate(n=Count("id")).order_by():
        get(row["district"]).organizations_by_religion[row["religion"]] = row["n"]
    latest = Population.objects.filter(village=OuterRef("village")).order_by("-year").values("year")[:1]
    population = _in(Population.objects.filter(year=Subquery(latest)), "village__code", region).annotate(
        district=Substr("village_id", 1, DISTRICT_CODE_LENGTH))
    for row in population.values("district", "religion").annotate(n=Sum("count")).order_by():
        get(row["district"]).population_by_religion[row["religion"]] = row["n"]
    for row in population.values("district").annotate(newest=Max("year"), oldest=Min("year")).order_by():
        figures = get(row["district"])
        figures.population_year, figures.population_oldest_year = row["newest"], row["oldest"]
    names = dict(Region.objects.filter(code__in=list(districts)).values_list("code", "name"))
    for code, figures in districts.items():
        figures.name = names.get(code, code)
    return sorted(districts.values(), key=lambda d: d.name)


def organizations_above_districts() -> int:
    """Organisations registered at regency level or above: in no district's row."""
    return ReligiousOrganization.objects.filter(region__level__lt=Region.Level.DISTRICT).count()


def registry_totals(figures: list[DistrictFigures]) -> DistrictFigures:
    total = DistrictFigures(code="", name="")
    for d in figures:
        for attr in ("houses_by_religion", "houses_by_kind", "organizations_by_religion", "population_by_religion"):
            target = getattr(total, attr)
            for key, value in getattr(d, attr).items():
                target[key] = target.get(key, 0) + value
    return total


def visitor_figures(today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    row = VisitorCount.objects.filter(day=today).first()
    total = VisitorCount.objects.aggregate(n=Sum("count"))["n"] or 0
    return {"today": row.count if row else 0, "total": total}


# --- Staff: the registry of one office ------------------------------------------------------


def houses_in(region: Region, *, village: Region | None = None):
    qs = HouseOfWorship.objects.filter(village__code__startswith=(village or region).code).select_related("village")
    return qs.order_by("village__name", "kind", "name")


def organizations_in(region: Region, *, above_districts: bool = False):
    """The organisations registered in ``region``; ``above_districts``: only those
    registered at a regency or province (in no district's figures)."""
    qs = ReligiousOrganization.objects.filter(region__code__startswith=region.code)
    if above_districts:
        qs = qs.filter(region__level__lt=Region.Level.DISTRICT)
    return qs.select_related("region").order_by("region_id", "name")


def population_in(region: Region):
    return Population.objects.filter(village__code__startswith=region.code).select_related("village").order_by(
        "village__name", "-year", "religion")


def house_points(region: Region) -> list[dict]:
    return [
        {"lat": h.latitude, "lon": h.longitude, "title": h.name, "kind": h.get_kind_display(),
         "religion": h.get_religion_display(), "village": h.village.name}
        for h in houses_in(region).exclude(latitude=None)
    ]


# --- Staff: early warning -----------------------------------------------------------------


def _month_start(day: datetime.date, back: int) -> datetime.date:
    month = day.month - back
    year = day.year + (month - 1) // 12
    return datetime.date(year, (month - 1) % 12 + 1, 1)


MONTHS_ID = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


def trend(office, *, months: int = 6, today: datetime.date | None = None) -> dict:
    """Incidents per district per month for the last ``months`` months, by level
    ("belum dinilai" for incidents not assessed yet). Archived reports do not count. The
    months are the office's: in Papua the new month starts two hours before Jakarta's."""
    today = today or timezone.localdate(timezone=office_zone(office))
    starts = [_month_start(today, back) for back in range(months - 1, -1, -1)]
    labels = [f"{MONTHS_ID[s.month - 1]} {s.year % 100:02d}" for s in starts]
    incidents = HarmonyIncident.objects.filter(office=office, occurred_on__gte=starts[0]).exclude(
        report__status="archived").values("district_id", "occurred_on", "level")
    rows: dict[str, dict] = {}
    per_month = [0] * months
    for incident in incidents:
        index = max(i for i, s in enumerate(starts) if incident["occurred_on"] >= s)
        code = incident["district_id"] or ""
        row = rows.setdefault(code, {"code": code, "months": [0] * months, "levels": defaultdict(int)})
        row["months"][index] += 1
        row["levels"][incident["level"] or 0] += 1
        per_month[index] += 1
    names = dict(Region.objects.filter(code__in=[c for c in rows if c]).values_list("code", "name"))
    table = []
    for code, row in rows.items():
        table.append({
            "code": code, "name": names.get(code, "—"), "months": row["months"], "total": sum(row["months"]),
            "levels": [row["levels"].get(level.value, 0) for level in Vulnerability],
            "unassessed": row["levels"].get(0, 0),
        })
    table.sort(key=lambda r: (-r["total"], r["name"]))
    return {"labels": labels, "rows": table, "per_month": list(zip(labels, per_month))}


def incident_points(office, user, *, days: int = 180, today: datetime.date | None = None) -> list[dict]:
    """Incidents with a location for the early-warning map: level, kind, date and a link,
    only of the reports this person may open (``policy.visible_reports``). A confidential
    incident's exact position is as telling as its text: the leadership, who may not open
    it, finds it only counted in its district (``trend``) and in the alerts."""
    today = today or timezone.localdate(timezone=office_zone(office))
    incidents = HarmonyIncident.objects.filter(
        office=office, occurred_on__gte=today - datetime.timedelta(days=days), report__latitude__isnull=False,
        report__in=policy.visible_reports(user).values("pk"),
    ).exclude(report__status="archived").select_related("report", "district")
    return [
        {
            "lat": incident.report.latitude, "lon": incident.report.longitude, "level": incident.level or 0,
            "label": incident.get_level_display() if incident.level else _("Belum dinilai"),
            "kind": incident.get_tension_kind_display(), "date": incident.occurred_on.strftime("%d-%m-%Y"),
            "district": incident.district.name if incident.district_id else "",
            "url": f"/kantor/laporan/{incident.report.tracking_id}/",
        }
        for incident in incidents
    ]


def incidents_for(office, user, *, limit: int = 50):
    """The office's latest incidents this person may open (``policy.visible_reports``)."""
    visible = policy.visible_reports(user).values("pk")
    return (HarmonyIncident.objects.filter(office=office, report__in=visible)
            .select_related("report", "district", "village").order_by("-occurred_on", "-id")[:limit])


def waiting_reports(office):
    """The reports that reached the office's Kesbangpol unit (addressed or assigned to it
    or a section below it) the ordinary way under a SILAPAT category and have no incident
    yet, archived ones aside: what ``services.harmony_adopt_reports`` takes in."""
    paths = [office.agency.path]
    return (Report.objects.filter(category__in=harmony_categories(), harmony_incident__isnull=True)
            .filter(policy.within_agencies_q("addressed_agency", paths)
                    | policy.within_agencies_q("assigned_agency", paths))
            .exclude(status=Status.ARCHIVED))


def waiting_for(office, user, *, limit: int = 50) -> dict:
    """For the early-warning page, read only: how many reports wait to be taken in
    (``waiting_reports``; a number, confidential ones included, as the trend counts them)
    and the latest of them this person may open (``policy.visible_reports``)."""
    waiting = waiting_reports(office)
    visible = policy.visible_reports(user).values("pk")
    return {"count": waiting.count(),
            "reports": list(waiting.filter(pk__in=visible).order_by("-created_at", "-pk")[:limit])}


def alerts_for(office, *, limit: int = 30):
    return HarmonyAlert.objects.filter(threshold__office=office).select_related("threshold", "region")[:limit]


def unread_alerts(user) -> int:
    """This person's unread SILAPAT alerts in their notification centre."""
    from lapor.notifications.models import Channel, Notification, Reason

    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, channel=Channel.IN_APP, reason=Reason.HARMONY_ALERT,
                                       read_at__isnull=True).count()


def religion_labels() -> list[str]:
    return [str(r.label) for r in Religion]


def worship_kind_labels() -> list[tuple[str, str]]:
    return [(k.value, str(k.label)) for k in WorshipKind]

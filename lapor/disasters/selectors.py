"""Reading disasters: which are live now (cheaply: the home page asks on every visit),
which reports an incident shows, and which ones an admin may manage."""
from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from lapor.agencies.models import Agency, Role
from lapor.disasters.models import Disaster
from lapor.reports import policy
from lapor.transparency import filters as filtering

def live_disasters(now: datetime.datetime | None = None) -> list[Disaster]:
    """Disasters live at ``now``, newest first (at most 3). One query on a small table by
    its (is_active, starts_at) index, so the banner goes up and down on time without a
    cache to invalidate; the home page pays it on every visit."""
    now = now or timezone.now()
    return list(
        Disaster.objects.filter(is_active=True, starts_at__lte=now).filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now))
        .select_related("category", "region").order_by("-starts_at", "-id")[:3]
    )


def incident_filters(disaster: Disaster) -> filtering.Filters:
    """The map's filters for an incident: its region (and below), its category (and its
    sub-topics), reports received from its first day (to its last, once ended)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    return filtering.Filters(
        region=disaster.region, category=disaster.category,
        date_from=disaster.starts_at.astimezone(zone).date(),
        date_to=disaster.ends_at.astimezone(zone).date() if disaster.ends_at else None,
    )


def incident_reports(disaster: Disaster) -> QuerySet:
    """Published reports of the incident (never confidential or archived ones)."""
    return filtering.public_queryset(incident_filters(disaster))


def admin_regions(user_or_actor) -> list[str] | None:
    """Region codes an admin may declare disasters for: ``None`` means every region (the
    national admin); an agency admin gets the region of each agency they administer (or
    of its nearest parent that has one) and everything below it."""
    actor = policy.actor_for(user_or_actor) if not isinstance(user_or_actor, policy.Actor) else user_or_actor
    if actor.has(Role.NATIONAL_ADMIN):
        return None
    paths = actor.paths(Role.AGENCY_ADMIN)
    if not paths:
        return []
    lineages = [[int(part) for part in path.strip("/").split("/") if part] for path in paths]
    ids = {pk for line in lineages for pk in line}
    regions = dict(Agency.objects.filter(pk__in=ids).values_list("pk", "region_id"))
    codes = []
    for line in lineages:
        code = next((regions[pk] for pk in reversed(line) if regions.get(pk)), None)
        if code and code not in codes:
            codes.append(code)
    return codes


def region_allowed(codes: list[str] | None, region_code: str) -> bool:
    if codes is None:
        return True
    return any(region_code == c or region_code.startswith(c + ".") for c in codes)


def manageable(user_or_actor) -> QuerySet:
    """The disasters this admin may change: all for the national admin, those in their
    regions for an agency admin, none for anyone else."""
    codes = admin_regions(user_or_actor)
    qs = Disaster.objects.select_related("category", "region").order_by("-starts_at", "-id")
    if codes is None:
        return qs
    q = Q(pk__in=[])
    for code in codes:
        q |= Q(region_id=code) | Q(region__code__startswith=code + ".")
    return qs.filter(q)


def categories_first(choices: list, now: datetime.datetime | None = None) -> list:
    """The report form's category choices (a blank option, then one group per topic) with
    the categories of live disasters first: their group moves to the top and, within it,
    their option comes first. Nothing changes when no disaster is live."""
    wanted = [str(d.category_id) for d in live_disasters(now)]
    if not wanted:
        return choices
    head, groups = list(choices[:1]), list(choices[1:])
    for pk in reversed(wanted):  # the newest disaster ends up on top
        for i, (label, options) in enumerate(groups):
            if not isinstance(options, (list, tuple)):
                continue
            values = [str(value) for value, _name in options]
            if pk in values:
                j = values.index(pk)
                options = [options[j], *options[:j], *options[j + 1:]]
                groups.insert(0, (label, options))
                del groups[i + 1]
                break
    return head + groups

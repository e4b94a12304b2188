"""Who may do what in SILAPAT (docs/silapat.md, "Peran").

- **Operator** of an office: a staff member holding a handler role (Admin Instansi, Admin
  Unit Kerja, Pejabat Penghubung) in the office's Kesbangpol unit or a section below it.
  The membership must sit in the Kesbangpol subtree itself: a city-wide agency admin
  routes reports to Kesbangpol but is not its operator. Operators edit the registry,
  import CSV files and assess incidents (the latter also needs ``policy.has_full_access``).
- **Head** and **leadership** (``HarmonyRole``): receive early warnings and read the
  early-warning page; they edit nothing unless they are operators as well.
- The national admin reads every office's pages (supervision), edits nothing.
- **Thresholds** of an office are set in the back office (``/kantor/silapat/ambang/``) by
  its head (``HarmonyRole`` head), an Admin Instansi or Admin Unit Kerja of the Kesbangpol
  unit itself, or the national admin (any office). Operators holding only an officer
  role, the leadership and other agencies' staff do not set them.
"""
from __future__ import annotations

from lapor.agencies.models import Role
from lapor.harmony.enums import HarmonyRoleKind
from lapor.harmony.models import HarmonyOffice, HarmonyRole
from lapor.reports import policy


def _member_paths(user) -> tuple[str, ...]:
    return policy.actor_for(user).paths(*policy.HANDLER_ROLES)


def is_operator(user, office: HarmonyOffice) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return any(p.startswith(office.agency.path) for p in _member_paths(user))


def can_manage_thresholds(user, office: HarmonyOffice) -> bool:
    """May this person add, change and switch off the office's early-warning thresholds?"""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    actor = policy.actor_for(user)
    if actor.has(Role.NATIONAL_ADMIN):
        return True
    if office.agency.path in actor.paths(Role.AGENCY_ADMIN, Role.UNIT_ADMIN):
        return True
    return HarmonyRole.objects.filter(user=user, office=office, role=HarmonyRoleKind.HEAD).exists()


def operated_offices(user) -> list[HarmonyOffice]:
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    paths = _member_paths(user)
    return [o for o in HarmonyOffice.objects.select_related("agency", "region")
            if any(p.startswith(o.agency.path) for p in paths)]


def readable_offices(user) -> list[HarmonyOffice]:
    """Offices whose staff pages (registry, early warning) this person may read."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    if policy.actor_for(user).has(Role.NATIONAL_ADMIN):
        return list(HarmonyOffice.objects.select_related("agency", "region").order_by("region_id"))
    offices = {o.pk: o for o in operated_offices(user)}
    for office in HarmonyOffice.objects.select_related("agency", "region").filter(roles__user=user):
        offices.setdefault(office.pk, office)
    return sorted(offices.values(), key=lambda o: o.region_id)


def office_for_region(region) -> HarmonyOffice | None:
    """The office whose area holds ``region``: the most specific one."""
    if region is None:
        return None
    codes = region.ancestor_codes()
    offices = {o.region_id: o for o in HarmonyOffice.objects.select_related("agency", "region")
               .filter(region_id__in=codes)}
    for code in codes:
        if code in offices:
            return offices[code]
    return None

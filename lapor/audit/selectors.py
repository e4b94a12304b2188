"""Who reads which audit entries (issue #10), next to the report rules of
``lapor.reports.policy`` and built on its ``Actor``.

The national admin reads the whole log; an agency admin the entries about their agency's
tree; a supervisor (Inspektorat, Ombudsman) those about the agencies they oversee and their
own. Entries about national matters (working-day corrections, accounts without a role,
master data) have no agency and only the national admin reads them. Nobody else reads any.
"""
from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q

from lapor.agencies.models import Role
from lapor.audit.models import AuditEntry
from lapor.reports.policy import Actor

READERS = (Role.NATIONAL_ADMIN, Role.AGENCY_ADMIN, Role.SUPERVISOR)


def may_read_audit_log(a: Actor) -> bool:
    return any(a.has(role) for role in READERS)


def visible_entries(a: Actor):
    if a.has(Role.NATIONAL_ADMIN):
        return AuditEntry.objects.all()
    paths = set(a.paths(Role.AGENCY_ADMIN))
    if a.has(Role.SUPERVISOR):
        paths |= set(a.supervised)
    paths.discard("")
    if not paths:
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(reduce(or_, (Q(agency_path__startswith=p) for p in sorted(paths))))

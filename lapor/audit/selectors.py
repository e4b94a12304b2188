"""Who reads which audit entries (issue #10), next to the report rules of
``lapor.reports.policy`` and built on its ``Actor``.

The national admin reads the whole log; an agency admin the entries about their agency's
tree; a supervisor (Inspektorat, Ombudsman) those about the agencies they oversee and their
own. Entries about national matters (working-day corrections, accounts without a role,
master data) have no agency and only the national admin reads them. Nobody else reads any.

Entries about an inspectorate (its staff, its units, the whistle-blowing it handles and
the identities revealed on it) are read as its reports are (``policy``): by the admins of
that inspectorate or of a part of it, and by supervisors, never by the admins of the
government above it, whom its whistle-blowing may be about.
"""
from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q

from lapor.agencies.models import Role
from lapor.audit.models import AuditEntry
from lapor.reports import policy
from lapor.reports.policy import Actor

READERS = (Role.NATIONAL_ADMIN, Role.AGENCY_ADMIN, Role.SUPERVISOR)


def may_read_audit_log(a: Actor) -> bool:
    return any(a.has(role) for role in READERS)


def _reach(a: Actor) -> set[str]:
    paths = set(a.paths(Role.AGENCY_ADMIN))
    if a.has(Role.SUPERVISOR):
        paths |= set(a.supervised)
    paths.discard("")
    return paths


def _under(paths) -> Q:
    return reduce(or_, (Q(agency_path__startswith=p) for p in sorted(paths)), Q(pk__in=[]))


def visible_entries(a: Actor):
    if a.has(Role.NATIONAL_ADMIN):
        return AuditEntry.objects.all()
    paths = _reach(a)
    if not paths:
        return AuditEntry.objects.none()
    if a.inside_inspectorates is None:  # every role held already reaches inspectorates
        return AuditEntry.objects.filter(_under(paths))
    in_inspectorate = _under(policy.inspectorate_paths())
    return AuditEntry.objects.filter(
        (_under(paths) & ~in_inspectorate) | (_under(_reach(a.inside_inspectorates)) & in_inspectorate))

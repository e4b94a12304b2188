"""Who may see what, and who may do what (SPEC §5). The one place these rules live.

Every surface (pages, API, Open311, SMS, map, search, exports, feeds) asks this module:

- ``visible_reports(user)``: a queryset filter for lists, counts and single-object fetches;
- ``scoped_reports(user)``: the staff member's own scope (back-office inboxes);
- ``can_view(user, report)``: the same rule for an object already in memory;
- ``identity_visible(user, report)``: whether the reporter's identity may be shown;
- ``visible_events(user, report)``: which history entries, and whether internal notes;
- ``allowed_actions(user, report)``: which lifecycle actions this person may take now.

A *scope* is a set of agency subtrees (materialised ``path`` prefixes). Staff see the
reports routed to or assigned within their scope; supervisors see the scope of the
agencies they supervise; the national admin and the identity custodian see every report
(the custodian still sees an anonymous reporter only through an audited reveal); the
public sees published reports only.

Whistle-blowing (SPEC §3: "routed only to the agency's inspectorate") narrows the scope:
an agency or unit role counts only where it is held inside an inspectorate, so the admins
of the government it is about (the inspectorate's parents) neither see it nor act on it.
Supervisors and the national roles keep their reach.
"""
from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.utils import timezone

from lapor.accounts import pseudonyms
from lapor.agencies.models import Agency, Role
from lapor.reports.enums import Action, Kind, Status
from lapor.reports.models import Report, ReportEvent

ROUTER_ROLES = {Role.NATIONAL_ADMIN, Role.AGENCY_ADMIN}
HANDLER_ROLES = {Role.AGENCY_ADMIN, Role.UNIT_ADMIN, Role.OFFICER}
DISPOSER_ROLES = {Role.AGENCY_ADMIN, Role.UNIT_ADMIN}
# SPEC §2: the liaison officer drafts the unit's answer, the unit admin uploads it. Admins
# answer directly and approve (or send back) officers' drafts; officers only draft.
ANSWER_ROLES = (Role.AGENCY_ADMIN, Role.UNIT_ADMIN)

# Lifecycle table: action → (statuses it may start from, status it leads to).
# ``None`` as target means the status does not change (a note, a disposition, a reveal).
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    Action.VERIFY: (frozenset({Status.SUBMITTED, Status.POSTPONED}), Status.DISPATCHED),
    Action.POSTPONE: (frozenset({Status.SUBMITTED}), Status.POSTPONED),
    Action.RETURN: (frozenset({Status.SUBMITTED, Status.POSTPONED}), Status.RETURNED),
    Action.COMPLETE: (frozenset({Status.RETURNED}), Status.SUBMITTED),
    Action.ARCHIVE: (frozenset({Status.SUBMITTED, Status.POSTPONED}), Status.ARCHIVED),
    # Also once verified, while the agency has not answered yet (``role_for``): a repeat
    # verified alongside its original in a surge is merged into it, not closed as "Selesai".
    Action.MARK_DUPLICATE: (frozenset({Status.SUBMITTED, Status.POSTPONED, Status.DISPATCHED}), Status.ARCHIVED),
    Action.DISPOSE: (frozenset({Status.DISPATCHED}), None),
    Action.NOT_OUR_AUTHORITY: (frozenset({Status.DISPATCHED}), Status.SUBMITTED),
    # A report not verified yet goes to the right government's routers (stays submitted).
    Action.TRANSFER: (frozenset({Status.SUBMITTED, Status.POSTPONED, Status.DISPATCHED}), Status.DISPATCHED),
    Action.ANSWER: (frozenset({Status.DISPATCHED, Status.IN_PROGRESS}), Status.IN_PROGRESS),
    Action.DRAFT_ANSWER: (frozenset({Status.DISPATCHED, Status.IN_PROGRESS}), None),
    Action.RETURN_DRAFT: (frozenset({Status.DISPATCHED, Status.IN_PROGRESS}), None),
    Action.REPLY: (frozenset({Status.IN_PROGRESS}), Status.DISPATCHED),
    Action.RATE: (frozenset({Status.IN_PROGRESS}), Status.CLOSED),
    Action.CLOSE: (frozenset({Status.DISPATCHED, Status.IN_PROGRESS}), Status.CLOSED),
    Action.AUTO_CLOSE: (frozenset({Status.IN_PROGRESS}), Status.CLOSED),
    Action.EXPIRE_RETURN: (frozenset({Status.RETURNED}), Status.ARCHIVED),
    Action.REOPEN: (frozenset({Status.CLOSED}), Status.DISPATCHED),
    Action.NOTE: (frozenset(Status.values), None),
    Action.SET_FLAGS: (frozenset(Status.values), None),
    Action.REVEAL_IDENTITY: (frozenset(Status.values), None),
    # The sweep's nudges (lapor/reports/sweep.py): history entries that change no status.
    Action.REMIND: (frozenset(Status.open()), None),
    Action.ESCALATE: (frozenset(Status.open()), None),
    Action.OUTER_LIMIT_WARNING: (frozenset(Status.open()), None),
    Action.MOVE_DEADLINE: (frozenset({*Status.open(), Status.CLOSED}), None),
}
SYSTEM_ACTIONS = {
    Action.AUTO_CLOSE, Action.EXPIRE_RETURN, Action.REMIND, Action.ESCALATE, Action.OUTER_LIMIT_WARNING,
    Action.MOVE_DEADLINE,
}
REPORTER_ACTIONS = {Action.COMPLETE, Action.REPLY, Action.RATE, Action.REOPEN}
# The roles the reporter's own history entries are recorded in (lapor/reports/services/).
REPORTER_EVENT_ROLES = frozenset({"reporter", "proxy"})


@dataclass(frozen=True)
class Actor:
    """A user with their roles resolved to agency subtrees, computed once per request."""

    user: object | None
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)  # role → agency paths
    supervised: tuple[str, ...] = ()  # paths of agencies the user's supervisor units oversee
    # The same roles, kept only where held inside an inspectorate: the scope for
    # whistle-blowing reports (None: every role already is).
    inside_inspectorates: "Actor | None" = None

    def for_report(self, report: Report) -> "Actor":
        """The actor whose roles count on ``report``."""
        if report.kind == Kind.WHISTLEBLOWING and self.inside_inspectorates is not None:
            return self.inside_inspectorates
        return self

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None and self.user.is_authenticated

    @property
    def is_staff_member(self) -> bool:
        return bool(self.roles)

    def has(self, role: str) -> bool:
        return role in self.roles

    def paths(self, *roles: str) -> tuple[str, ...]:
        return tuple(p for role in roles for p in self.roles.get(role, ()))

    def within(self, agency_path: str | None, *roles: str) -> bool:
        """True when the agency lies in the subtree of one of the user's ``roles``."""
        if not agency_path:
            return False
        return any(agency_path.startswith(p) for p in self.paths(*roles))


def actor_for(user) -> Actor:
    """The user as every rule here sees them: their memberships resolved (two queries,
    cached on the user object), unless they signed in on the website and have not passed
    the second factor in this session. Then they act as the citizen they also are, on
    every page (lapor.office.middleware marks such a user): a password alone never opens
    staff rights, on /kantor/ (which sends them to the second factor) or anywhere else."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(user=None)
    cached = getattr(user, "_lapor_actor", None)
    if cached is not None:
        return cached
    actor = roles_held(user)
    pending = getattr(user, "_lapor_second_factor_pending", None)
    if actor.is_staff_member and pending is not None and pending():
        actor = Actor(user=user)
    user._lapor_actor = actor
    return actor


def roles_held(user) -> Actor:
    """Every role ``user`` holds, second factor or not: for deciding who must pass it."""
    cached = getattr(user, "_lapor_roles_held", None)
    if cached is not None:
        return cached
    roles: dict[str, list[str]] = {}
    supervisor_agency_ids = []
    for role, path, agency_id in user.memberships.values_list("role", "agency__path", "agency_id"):
        roles.setdefault(role, []).append(path)
        if role == Role.SUPERVISOR:
            supervisor_agency_ids.append(agency_id)
    supervised: list[str] = []
    if supervisor_agency_ids:
        supervised = list(
            Agency.objects.filter(supervised_by__in=supervisor_agency_ids).values_list("path", flat=True)
        )
        # A supervisor's own agency tree (e.g. an Inspektorat's own sections) is in scope too.
        supervised += roles[Role.SUPERVISOR]
    actor = Actor(user=user, roles={r: tuple(p) for r, p in roles.items()}, supervised=tuple(supervised),
                  inside_inspectorates=_inside_inspectorates(user, roles, tuple(supervised)))
    user._lapor_roles_held = actor
    return actor


# Roles whose reach whistle-blowing does not narrow.
REACH_EVERYWHERE = {Role.NATIONAL_ADMIN, Role.IDENTITY_CUSTODIAN, Role.SUPERVISOR}


def inspectorate_paths() -> tuple[str, ...]:
    """The paths of the units marked as inspectorates."""
    from lapor.core.kept import kept

    # Which units are inspectorates changes rarely (the national admin marks them): kept a
    # minute per process. A unit marked since is treated as outside: its staff see less, not more.
    return kept("policy:inspectorate-paths", 60, lambda: tuple(
        Agency.objects.filter(is_inspectorate=True).values_list("path", flat=True)))


def _inside_inspectorates(user, roles: dict[str, list[str]], supervised: tuple[str, ...]) -> Actor | None:
    """The roles held inside an inspectorate (and those that reach everywhere); None when
    that is all of them."""
    inspectorates = inspectorate_paths()
    kept_roles = {
        role: tuple(p for p in paths if role in REACH_EVERYWHERE or p.startswith(inspectorates))
        for role, paths in roles.items()
    }
    if all(len(kept_roles[role]) == len(paths) for role, paths in roles.items()):
        return None
    return Actor(user=user, roles={r: p for r, p in kept_roles.items() if p}, supervised=supervised)


def _as_actor(user_or_actor) -> Actor:
    return user_or_actor if isinstance(user_or_actor, Actor) else actor_for(user_or_actor)


# --- Seeing reports -----------------------------------------------------------------------

PUBLIC_Q = Q(verified_at__isnull=False, is_confidential=False) & ~Q(status=Status.ARCHIVED)


def within_agencies_q(field_name: str, paths) -> Q:
    paths = list(paths)
    if not paths:
        return Q(pk__in=[])
    # A subquery of agency ids rather than a join with LIKE on every report row: the
    # database resolves the (small) set of agencies once and uses the report's own index.
    agencies = Agency.objects.filter(reduce(or_, (Q(path__startswith=p) for p in paths))).values("id")
    return Q(**{f"{field_name}_id__in": agencies})


def _sees_everything(actor: Actor) -> bool:
    return actor.has(Role.NATIONAL_ADMIN) or actor.has(Role.IDENTITY_CUSTODIAN)


def _staff_q(actor: Actor) -> Q:
    """Reports in this staff member's scope (confidential ones included)."""
    inside = actor.inside_inspectorates
    if inside is None:
        return _scope_q(actor)
    whistle = Q(kind=Kind.WHISTLEBLOWING)
    if not inside.roles and not inside.supervised:
        return _scope_q(actor) & ~whistle  # most staff: no role inside an inspectorate
    return (_scope_q(actor) & ~whistle) | (_scope_q(inside) & whistle)


def _scope_q(actor: Actor) -> Q:
    # Routers see what is addressed to their tree; handlers what is assigned in it.
    routed = actor.paths(Role.AGENCY_ADMIN)
    handled = actor.paths(*HANDLER_ROLES)
    q = within_agencies_q("addressed_agency", routed) | within_agencies_q("assigned_agency", handled)
    if actor.supervised:
        q |= within_agencies_q("addressed_agency", actor.supervised) | within_agencies_q("assigned_agency", actor.supervised)
    return q


def visible_reports(user_or_actor, queryset: QuerySet | None = None) -> QuerySet:
    """The reports this person may see at all (fields are masked separately)."""
    actor = _as_actor(user_or_actor)
    qs = Report.objects.all() if queryset is None else queryset
    if _sees_everything(actor):
        return qs
    q = PUBLIC_Q
    if actor.is_authenticated:
        q |= own_reports_q(actor.user)
        if actor.is_staff_member:
            q |= _staff_q(actor)
    return qs.filter(q)


def scoped_reports(user_or_actor, queryset: QuerySet | None = None) -> QuerySet:
    """The reports in this staff member's scope: routed to or assigned within their agency
    subtrees, or supervised by them (everything for the national admin and the custodian).

    The queryset twin of ``has_full_access``: what a back-office inbox lists. Unlike
    ``visible_reports`` it leaves out reports a staff member sees only because they are
    public, and it is empty for anyone without a staff role."""
    actor = _as_actor(user_or_actor)
    qs = Report.objects.all() if queryset is None else queryset
    if not actor.is_staff_member:
        return qs.none()
    if _sees_everything(actor):
        return qs
    return qs.filter(_staff_q(actor))


def scoped_handlings(user_or_actor) -> QuerySet:
    """The handlings (``Handling``: each agency's turn with a report) at agencies in this
    staff member's scope, those of reports handed on since included: what their compliance
    figures count. Whistle-blowing only inside the inspectorates they hold a role in, as
    ``scoped_reports``."""
    from lapor.reports.models import Handling

    actor = _as_actor(user_or_actor)
    qs = Handling.objects.all()
    if not actor.is_staff_member:
        return qs.none()
    if _sees_everything(actor):
        return qs

    def in_scope(a: Actor) -> Q:
        return within_agencies_q("agency", (*a.paths(Role.AGENCY_ADMIN), *a.paths(*HANDLER_ROLES), *a.supervised))

    inside = actor.inside_inspectorates
    if inside is None:
        return qs.filter(in_scope(actor))
    whistle = Q(report__kind=Kind.WHISTLEBLOWING)
    if not inside.roles and not inside.supervised:
        return qs.filter(in_scope(actor) & ~whistle)
    return qs.filter((in_scope(actor) & ~whistle) | (in_scope(inside) & whistle))


def public_reports(queryset: QuerySet | None = None) -> QuerySet:
    """Published reports only: what public lists, maps, feeds and statistics show, to
    everyone, signed in or not (SPEC §5: confidential and archived ones never)."""
    qs = Report.objects.all() if queryset is None else queryset
    return qs.filter(PUBLIC_Q)


def public_report(tracking_id: str) -> Report | None:
    """The published report with this tracking ID, or None: ``public_reports()`` filtered
    by it, for the busiest public page (a report's page, read by everyone who is not
    signed in). The query is built and compiled by the ORM once per process and database,
    and run as SQL with the ID: compiling it was a third of that page's time."""
    from django.db import router

    alias = router.db_for_read(Report)
    sql, params, at = _public_report_sql(alias)
    params = list(params)
    params[at] = tracking_id
    return next(iter(Report.objects.db_manager(alias).raw(sql, params)), None)


_MARK = "\x00tracking-id\x00"


@functools.cache
def _public_report_sql(alias: str) -> tuple[str, tuple, int]:
    from django.db import connections

    query = public_reports().filter(tracking_id=_MARK)[:1].query
    sql, params = query.get_compiler(connection=connections[alias]).as_sql()
    return sql, tuple(params), list(params).index(_MARK)


def own_reports_q(user) -> Q:
    """The reports ``user`` filed, for themselves or as an RT/RW for a resident, anonymous
    ones (filed through a stand-in account, lapor/accounts/pseudonyms.py) included."""
    return pseudonyms.accounts_q(user, "reporter") | pseudonyms.accounts_q(user, "filed_by")


def is_reporter(user_or_actor, report: Report) -> bool:
    """The reporter or the RT/RW who filed for them, directly or behind the report's
    stand-in account (``pseudonyms.own_ids``: read with the account, no query)."""
    actor = _as_actor(user_or_actor)
    if not actor.is_authenticated:
        return False
    ids = (report.reporter_id, report.filed_by_id)
    if actor.user.pk in ids:
        return True
    return report.is_anonymous and any(pk is not None and pk in pseudonyms.own_ids(actor.user) for pk in ids)


def _agency_path(report: Report, attr: str) -> str | None:
    agency = getattr(report, attr) if getattr(report, f"{attr}_id") else None
    return agency.path if agency is not None else None


def _in_staff_scope(actor: Actor, report: Report) -> bool:
    if _sees_everything(actor):
        return True
    actor = actor.for_report(report)
    addressed = _agency_path(report, "addressed_agency")
    assigned = _agency_path(report, "assigned_agency")
    if actor.within(addressed, Role.AGENCY_ADMIN):
        return True
    if actor.within(assigned, *HANDLER_ROLES):
        return True
    return any(p and any(p.startswith(s) for s in actor.supervised) for p in (addressed, assigned))


def can_view(user_or_actor, report: Report) -> bool:
    """The in-memory twin of ``visible_reports`` (tests assert they agree)."""
    actor = _as_actor(user_or_actor)
    if report.is_published:
        return True
    if is_reporter(actor, report):
        return True
    return actor.is_staff_member and _in_staff_scope(actor, report)


def visible_original(user_or_actor, report: Report) -> Report | None:
    """The report ``report`` was marked a duplicate of, if this person may see it: where
    the reporter of a duplicate goes on (its page, SMS ``CEK``, the API, the notice they
    get), never naming a confidential original to someone outside it."""
    if not report.duplicate_of_id:
        return None
    original = report.duplicate_of
    return original if can_view(user_or_actor, original) else None


def has_full_access(user_or_actor, report: Report) -> bool:
    """Sees the report as its handlers do (internal notes, contact details when not anonymous)."""
    actor = _as_actor(user_or_actor)
    return actor.is_staff_member and _in_staff_scope(actor, report)


def identity_visible(user_or_actor, report: Report) -> bool:
    """May this person see who the reporter is (name and contacts)?

    The reporter (and the proxy who filed for them) always; staff handling a report that
    is not anonymous; nobody else. The identity custodian sees an anonymous reporter only
    through ``report_reveal_identity``, which records why.
    """
    actor = _as_actor(user_or_actor)
    if is_reporter(actor, report):
        return True
    if report.is_anonymous:
        return False
    return has_full_access(actor, report)


def nik_visible(user_or_actor, report: Report) -> bool:
    """May this person read the reporter's NIK in full (where ``identity_visible``)?

    The reporter; those who route or handle the report (an agency admin of the addressed
    agency, a handler of the assigned unit, a national admin) and the identity custodian.
    A supervisor watches the handling and may contact the reporter, but has no use for the
    number itself: they see it masked (UU 27/2022, only the personal data a task needs)."""
    actor = _as_actor(user_or_actor)
    if is_reporter(actor, report):
        return True
    if not identity_visible(actor, report):
        return False
    if _sees_everything(actor):
        return True
    actor = actor.for_report(report)
    return (actor.within(_agency_path(report, "addressed_agency"), Role.AGENCY_ADMIN)
            or actor.within(_agency_path(report, "assigned_agency"), *HANDLER_ROLES))


def public_reporter_name(report: Report) -> str | None:
    """The name the public may see: only when the reporter chose to show it."""
    if report.is_anonymous or not report.show_reporter_name or report.reporter is None:
        return None
    return report.reporter.display_name


# The conversation is public on a published report: the agency's answers and the
# reporter's replies and ratings. Staff's reasons (a return's missing items, "bukan
# wewenang", a transfer or a closing) are for the reporter and staff only: they may name
# people or details the public need not see.
PUBLIC_TEXT_ACTIONS = frozenset({Action.SUBMIT, Action.ANSWER, Action.REPLY, Action.RATE})


def visible_events(user_or_actor, report: Report, events=None) -> list[ReportEvent]:
    """The history entries this person may read, with the text they may read.

    Staff with full access: everything, internal notes and identity reveals included.
    The reporter: every entry that is not internal. Anyone else who may see the report:
    the same entries, with the text blanked except on answers, replies and ratings.
    Nobody gets anything of a report they cannot see. Blanked entries are copies; the
    history itself is never changed (and cannot be: it is append-only)."""
    actor = _as_actor(user_or_actor)
    if not can_view(actor, report):
        return []
    if events is None:
        prefetched = getattr(report, "_prefetched_objects_cache", {}).get("events")
        # Who acted is shown beside each entry: read the people and units with the events.
        events = prefetched if prefetched is not None else report.events.select_related("actor", "agency")
    events = list(events)
    if has_full_access(actor, report):
        return events
    shown = [e for e in events if not e.is_internal]
    if is_reporter(actor, report):
        return shown
    return [e if e.action in PUBLIC_TEXT_ACTIONS or not e.text else _without_text(e) for e in shown]


def reads_staff_text(user_or_actor, report: Report) -> bool:
    """Whether this person, who may see ``report``, reads the staff's reasons in its
    history (``visible_events``): its reporter and its staff; not the public. For surfaces
    that list entries of many reports (Open311's updates)."""
    actor = _as_actor(user_or_actor)
    return is_reporter(actor, report) or has_full_access(actor, report)


def _without_text(event: ReportEvent) -> ReportEvent:
    blank = copy.copy(event)
    blank.text = ""
    blank.data = {}
    return blank


def event_actor_label(user_or_actor, report: Report, event: ReportEvent) -> str:
    """Who did it, as this person may read it: staff by name only to staff, the reporter
    by name only where the identity is visible."""
    from django.utils.translation import gettext as _

    actor = _as_actor(user_or_actor)
    if event.actor_id is None:
        return _("Sistem")
    # The reporter's (or proxy's) own entries: by the role they acted in, since entries
    # recorded before a report was made anonymous keep the person's own account
    # (docs/decisions/0005), not the stand-in it now has.
    if event.actor_role in REPORTER_EVENT_ROLES or event.actor_id in (report.reporter_id, report.filed_by_id):
        # A stand-in account reads no name; its owner and the RT/RW who filed the report
        # read the person's (decrypted here, lapor/accounts/pseudonyms.py).
        if identity_visible(actor, report) and not pseudonyms.is_stand_in(actor.user):
            return pseudonyms.person(event.actor).display_name
        return _("Pelapor")
    if has_full_access(actor, report):
        return event.actor.display_name
    if event.action in ROUTED_TO and event.actor_role in Role.values:
        # The entry's agency is where the report was sent, not who sent it: the sender by role.
        return str(Role(event.actor_role).label)
    return event.agency.name if event.agency_id else _("Petugas")


# Entries whose agency is the report's destination (verified to, disposed to, transferred to).
ROUTED_TO = {Action.VERIFY, Action.DISPOSE, Action.TRANSFER}


# --- Acting on reports --------------------------------------------------------------------


def may_reopen(report: Report, now=None) -> bool:
    """Is a closed report still within its one reopening (SPEC §4: once, within 10 working
    days of closing)? ``now`` defaults to the current time."""
    return (report.reopen_count < 1 and report.reopen_until is not None
            and (now or timezone.now()) <= report.reopen_until)


def role_for(user_or_actor, report: Report, action: str, *, now=None) -> str | None:
    """The role under which this person may take ``action`` on ``report`` as it stands
    at ``now`` (default: the current time), or None. State is checked too: a role cannot
    act where the status forbids, nor reopen a report once its one reopening is used or
    its window closed."""
    actor = _as_actor(user_or_actor)
    sources, _target = TRANSITIONS[action]
    if report.status not in sources:
        return None
    if action in SYSTEM_ACTIONS:
        return None  # only the sweep, through the service with by=None
    if action == Action.VERIFY and report.verified_at is not None:
        return None
    if action == Action.REOPEN and not may_reopen(report, now):
        return None
    if action in REPORTER_ACTIONS:
        return "reporter" if is_reporter(actor, report) else None
    actor = actor.for_report(report)
    if not actor.is_staff_member:
        return None

    addressed = _agency_path(report, "addressed_agency")
    assigned = _agency_path(report, "assigned_agency")

    if action == Action.MARK_DUPLICATE and report.last_answer_at is not None:
        return None  # an answered report has its own answer on record: it is closed, not merged
    if action == Action.MARK_DUPLICATE and report.status == Status.DISPATCHED:
        # With an agency, whoever may close it (CLOSE below) may merge it: both take it out of
        # the agency's work unanswered, so not the unit that owes the answer.
        if actor.has(Role.NATIONAL_ADMIN):
            return Role.NATIONAL_ADMIN
        return Role.AGENCY_ADMIN if actor.within(assigned, Role.AGENCY_ADMIN) else None
    if action in {Action.VERIFY, Action.POSTPONE, Action.RETURN, Action.ARCHIVE, Action.MARK_DUPLICATE}:
        if actor.has(Role.NATIONAL_ADMIN):
            return Role.NATIONAL_ADMIN
        if actor.within(addressed, Role.AGENCY_ADMIN):
            return Role.AGENCY_ADMIN
        return None
    if action == Action.TRANSFER:
        if actor.has(Role.NATIONAL_ADMIN):
            return Role.NATIONAL_ADMIN
        where = assigned if report.status == Status.DISPATCHED else addressed
        return Role.AGENCY_ADMIN if actor.within(where, Role.AGENCY_ADMIN) else None
    if action in {Action.DISPOSE, Action.NOT_OUR_AUTHORITY}:
        for role in (Role.AGENCY_ADMIN, Role.UNIT_ADMIN):
            if actor.within(assigned, role):
                return role
        return None
    if action in {Action.ANSWER, Action.RETURN_DRAFT}:
        for role in ANSWER_ROLES:
            if actor.within(assigned, role):
                return role
        return None
    if action == Action.DRAFT_ANSWER:
        # Only where the person may not answer directly: an admin who is also an officer answers.
        if any(actor.within(assigned, role) for role in ANSWER_ROLES):
            return None
        return Role.OFFICER if actor.within(assigned, Role.OFFICER) else None
    if action == Action.CLOSE:
        if actor.has(Role.NATIONAL_ADMIN):
            return Role.NATIONAL_ADMIN
        return Role.AGENCY_ADMIN if actor.within(assigned, Role.AGENCY_ADMIN) else None
    if action in {Action.NOTE, Action.SET_FLAGS}:
        # Whoever routes or handles the report may protect it (make it confidential or
        # anonymous); report_set_flags lets only its routers publish it again.
        if actor.has(Role.NATIONAL_ADMIN):
            return Role.NATIONAL_ADMIN
        if actor.within(addressed, Role.AGENCY_ADMIN):
            return Role.AGENCY_ADMIN
        for role in (Role.AGENCY_ADMIN, Role.UNIT_ADMIN, Role.OFFICER):
            if actor.within(assigned, role):
                return role
        return None
    if action == Action.REVEAL_IDENTITY:
        # The custodian's scope is national: one office holds the key to every identity.
        if report.is_anonymous and actor.has(Role.IDENTITY_CUSTODIAN):
            return Role.IDENTITY_CUSTODIAN
        return None
    return None


def may_publish(user_or_actor, report: Report) -> bool:
    """May this person make a confidential report public (again)? Its routers only: the
    national admin, or an agency admin over the agency it was addressed to."""
    actor = _as_actor(user_or_actor).for_report(report)
    return actor.has(Role.NATIONAL_ADMIN) or actor.within(_agency_path(report, "addressed_agency"), Role.AGENCY_ADMIN)


def allowed_actions(user_or_actor, report: Report, *, now=None) -> list[str]:
    """Every action this person may take on the report now, in lifecycle order."""
    actor = _as_actor(user_or_actor)
    return [action for action in TRANSITIONS if role_for(actor, report, action, now=now) is not None]

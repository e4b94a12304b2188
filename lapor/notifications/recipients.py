"""Who is told about a report event, and why (SPEC §4, §5).

- The reporter (and the RT/RW who filed for them) on every change of status and every
  answer they can see in the history, never on internal entries.
- Staff when work lands on their desk: routers (agency admins over the addressed agency,
  else national admins) for a report waiting for verification; handlers (agency admin,
  unit admin, officer) of the assigned unit for a dispatched one. A unit with no handler
  of its own passes the message up to the nearest parent that has one.
- An officer's draft answer (internal) goes to the admins who may approve it; a draft
  sent back, to the officer who wrote it (lapor/reports/drafts.py).
- Reminders go to whoever must act before the deadline (the desk, or the reporter of a
  returned report); escalations to the supervisors in scope; the 60-day warning to both.

Every recipient must be able to see the report (``policy.can_view``): a rule here can
never widen who learns about a report.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from lapor.accounts import pseudonyms
from lapor.accounts.models import User
from lapor.agencies.models import Agency, Membership, Role
from lapor.notifications.models import Reason
from lapor.reports import policy
from lapor.reports.enums import Action, Status
from lapor.reports.models import Report, ReportEvent

TO_ROUTERS = {Action.SUBMIT, Action.COMPLETE, Action.NOT_OUR_AUTHORITY}
TO_HANDLERS = {Action.VERIFY, Action.TRANSFER, Action.DISPOSE, Action.REPLY, Action.REOPEN}
SWEEP_ACTIONS = {Action.REMIND, Action.ESCALATE, Action.OUTER_LIMIT_WARNING}


@dataclass(frozen=True)
class Recipient:
    user: User
    reason: str
    is_reporter: bool  # the message is about the person's own report


# Changes the reporter is told of although the status stays (SPEC §4: "the reporter is
# notified at every change"): another agency or a unit now handles the report, or its
# privacy changed.
TOLD_WITHOUT_STATUS_CHANGE = frozenset({Action.TRANSFER, Action.DISPOSE, Action.SET_FLAGS})


def recipients_for(event: ReportEvent) -> list[Recipient]:
    report = event.report
    found: dict[int, Recipient] = {}

    def add(users, reason, is_reporter=False):
        for user in users:
            # A stand-in account (an anonymous report's) is told when its person may be.
            if user is None or user.pk in found or not pseudonyms.person(user).is_active:
                continue
            if event.actor_id == user.pk and event.action != Action.SUBMIT:
                continue  # nobody needs telling what they just did (but a receipt is useful)
            if not policy.can_view(user, report):
                continue
            found[user.pk] = Recipient(user=user, reason=reason, is_reporter=is_reporter)

    action = event.action
    if action == Action.REMIND:
        if report.status == Status.RETURNED:
            add(reporters(report), Reason.REMINDER, is_reporter=True)
        else:
            add(desk(report), Reason.REMINDER)
    elif action == Action.ESCALATE:
        add(supervisors(report), Reason.ESCALATION)
    elif action == Action.OUTER_LIMIT_WARNING:
        add(desk(report), Reason.OUTER_LIMIT)
        add(supervisors(report), Reason.OUTER_LIMIT)
    elif action == Action.DRAFT_ANSWER:
        add(reviewers(report.assigned_agency), Reason.NEW_WORK)
    elif action == Action.RETURN_DRAFT:
        add(User.objects.filter(pk=event.data.get("to")), Reason.NEW_WORK)
    elif not event.is_internal:
        if action == Action.ANSWER:
            add(reporters(report), Reason.ANSWER, is_reporter=True)
        elif event.from_status != event.to_status or action in TOLD_WITHOUT_STATUS_CHANGE:
            add(reporters(report), Reason.STATUS, is_reporter=True)
        if action in TO_ROUTERS or (action == Action.TRANSFER and event.to_status == Status.SUBMITTED):
            # A transfer before verification reaches the new government's routers.
            add(routers(report), Reason.NEW_WORK)
        elif action in TO_HANDLERS:
            add(handlers(report.assigned_agency), Reason.NEW_WORK)
    add(followers(event), Reason.FOLLOWING)
    return list(found.values())


def followers(event: ReportEvent) -> list[User]:
    """Citizens following what the event makes news (SPEC §9, lapor/following): a report
    that has just become public reaches the followers of its region, map circle or
    category; a public answer reaches those following the report itself too. Nothing
    about a report the public cannot see, and nothing for internal or other events (no
    query either: this runs for every event)."""
    from lapor.following.selectors import follower_ids, users
    from lapor.following.services import MAX_RADIUS_KM

    report = event.report
    if event.is_internal or not report.is_published:
        return []
    changes = (event.data or {}).get("changes") or {}
    made_public = event.action == Action.VERIFY or changes.get("is_confidential") == [True, False]
    if made_public:
        ids = follower_ids(report, with_report_followers=False, max_radius_km=MAX_RADIUS_KM)
    elif event.action == Action.ANSWER:
        ids = follower_ids(report, with_report_followers=True, max_radius_km=MAX_RADIUS_KM)
    else:
        return []
    return list(users(ids)) if ids else []


def reporters(report: Report) -> list[User]:
    return [u for u in (report.reporter, report.filed_by) if u is not None]


def desk(report: Report) -> list[User]:
    """Whoever must act next on an open report: routers before dispatch, handlers after."""
    if report.status in Status.waiting_for_router():
        return routers(report)
    if report.status in Status.with_agency():
        return handlers(report.assigned_agency)
    return []


def routers(report: Report) -> list[User]:
    if report.addressed_agency_id:
        admins = _members(_lineage(report.addressed_agency), [Role.AGENCY_ADMIN])
        if admins:
            return admins
    return list(User.objects.filter(memberships__role=Role.NATIONAL_ADMIN, is_active=True).distinct().order_by("pk"))


def handlers(agency: Agency | None) -> list[User]:
    """Handler-role members of the unit, or of its nearest parent that has any."""
    return _nearest(agency, policy.HANDLER_ROLES)


def reviewers(agency: Agency | None) -> list[User]:
    """Who may approve the unit's draft answers: its admins, or the nearest parent's."""
    return _nearest(agency, policy.ANSWER_ROLES)


def _nearest(agency: Agency | None, roles) -> list[User]:
    if agency is None:
        return []
    for unit in reversed(agency.ancestors()):
        people = _members([unit.pk], roles)
        if people:
            return people
    return []


def supervisors(report: Report) -> list[User]:
    """Supervisors whose agency supervises the report's agency or one of its parents, or
    whose own tree the report is in (e.g. whistle-blowing assigned to an inspectorate)."""
    agency = report.assigned_agency if report.assigned_agency_id else report.addressed_agency
    if agency is None:
        return []
    lineage = _lineage(agency)
    user_ids = Membership.objects.filter(
        Q(agency__supervises__in=lineage) | Q(agency_id__in=lineage), role=Role.SUPERVISOR
    ).values("user_id")
    return list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))


def _lineage(agency: Agency) -> list[int]:
    return [int(part) for part in agency.path.strip("/").split("/") if part]


def _members(agency_ids, roles) -> list[User]:
    user_ids = Membership.objects.filter(agency_id__in=agency_ids, role__in=list(roles)).values("user_id")
    return list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))


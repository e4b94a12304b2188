"""What a subscriber learns of one event (docs/api.md, *Webhooks*): the report as the event
left it, never the reporter, and nothing of a confidential report once it has left the
subscriber's agency."""
from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation

from lapor.accounts import pseudonyms
from lapor.api.models import ExternalReference
from lapor.reports.enums import Action
from lapor.reports.models import FollowUp, ReportEvent
from lapor.webhooks.history import Holders
from lapor.webhooks.models import Subscriber

# What a payload of a confidential report that left the subscriber's agency leaves out.
CONTENT = ("title", "body", "category", "region")


def concerns(subscriber: Subscriber, event: ReportEvent, holders: Holders) -> str | None:
    """How an event concerns an agency subscriber: "holds" (the report is with its agency or
    one of its units after the event), "left" (it was before, and no longer is), or None.
    Where the history names an agency that cannot be read, None unless its other end
    says "holds": whether it left cannot be told."""
    step = holders.step(event)
    path = subscriber.agency.path
    after = holders.agency(step.after)
    if after is not None and after.path.startswith(path):
        return "holds"
    before = holders.agency(step.before)
    if holders.known(step.after) and before is not None and before.path.startswith(path):
        return "left"
    return None


def payload(event: ReportEvent, subscriber: Subscriber, *, holders: Holders | None = None) -> dict:
    """What ``subscriber`` gets for ``event``: ``event_payload`` as ``for_subscriber`` gives it."""
    holders = holders or Holders()
    return for_subscriber(event_payload(event, holders=holders), event, subscriber, holders=holders)


def event_payload(event: ReportEvent, *, holders: Holders) -> dict:
    """The payload of one event, the same for every subscriber (``for_subscriber`` adds the
    system's own ``external_id`` and withholds what a subscriber may not see).

    Everything as the event left the report (lapor/webhooks/history.py): ``status``, the
    agency that held it, its text, category, region and flags; ``due_at`` only where the
    event records the deadline (a working-day correction), else as of queueing.

    Labels (``event_label``, ``status_label``) are Indonesian, as docs/api.md shows them,
    whichever language happens to be active where the fan-out runs."""
    report = event.report
    step = holders.step(event)
    state = step.state
    agency = holders.agency(step.after)
    due_at = report.due_at
    if event.action == Action.MOVE_DEADLINE and (event.data or {}).get("field", "due_at") == "due_at":
        due_at = event.new_deadline
    with translation.override(settings.LANGUAGE_CODE):
        event_label = str(event.get_action_display())
        status_label = str(event.to_status_label) if event.to_status else str(report.status_label)
    data = {
        "event_id": event.pk,
        "event": event.action,
        "event_label": event_label,
        "at": iso(event.at),
        "from_status": event.from_status,
        "to_status": event.to_status,
        "text": event.text,
        "report": {
            "tracking_id": report.tracking_id,
            "external_id": None,
            "status": event.to_status or report.status,
            "status_label": status_label,
            "kind": report.kind,
            "title": state["title"],
            "body": state["body"],
            "category": holders.category(state["category"]),
            "region": holders.region(state["region"]),
            "is_confidential": bool(state["is_confidential"]),
            "is_anonymous": bool(state["is_anonymous"]),
            "agency": {"slug": agency.slug, "name": agency.name} if agency else None,
            "due_at": iso(due_at),
            "url": f"{settings.LAPOR_SITE_URL}{report.get_absolute_url()}",
        },
    }
    if event.action == Action.ANSWER and (event.data or {}).get("followup"):
        followup = FollowUp.objects.filter(pk=event.data["followup"]).first()
        if followup is not None:
            data["followup"] = {"id": followup.pk, "body": followup.body, "at": iso(followup.created_at)}
    return data


def for_subscriber(data: dict, event: ReportEvent, subscriber: Subscriber, *, holders: Holders) -> dict:
    """``data`` (an event's payload) as this subscriber gets it: a copy, never ``data`` itself.

    A confidential report is seen only by the agency holding it (SPEC §5). An agency's
    system gets its content only while the report is with the agency: of an event that took
    it away, it learns that it left, and where to, not what it says; and once the report is
    confidential, of no event at all after the report has left it, however public the report
    was when the event happened (a delivery queued late: a subscriber switched on again).
    Its reporter's own system (the one that pushed it in) always gets it whole."""
    data = {**data, "report": {**data["report"]}}
    if subscriber.system_id:
        data["report"]["external_id"] = (
            ExternalReference.objects.filter(system_id=subscriber.system_id, report_id=event.report_id)
            .values_list("external_id", flat=True).first()
        )
    own = subscriber.system_id and event.report.reporter_id in pseudonyms.own_ids(subscriber.system)
    if subscriber.agency_id and not own and _withheld(data, event, subscriber, holders):
        data["report"].update(dict.fromkeys(CONTENT), content_withheld=True)
        data["text"] = ""
        data.pop("followup", None)
    return data


def _withheld(data: dict, event: ReportEvent, subscriber: Subscriber, holders: Holders) -> bool:
    report = event.report
    if data["report"]["is_confidential"] and concerns(subscriber, event, holders) != "holds":
        return True  # confidential when it left
    if report.is_confidential:  # confidential now: only while it is with the subscriber's agency
        holder = report.assigned_agency if report.assigned_agency_id else report.addressed_agency
        return holder is None or not holder.path.startswith(subscriber.agency.path)
    return False


def iso(moment):
    # As the API writes its times: ISO 8601 with the offset of the site's zone (TIME_ZONE).
    return timezone.localtime(moment).isoformat() if moment else None

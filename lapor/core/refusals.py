"""What a person is told when someone else acted first (the back office's workspace and the
reporter's page alike): who moved the report, as far as they may know, and the text they
typed, kept so that nothing written is lost."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lapor.agencies.models import zone_label
from lapor.reports import policy, references
from lapor.reports.enums import Action

# What moves a report away from someone about to act on it besides a new status: a new
# holder (the entries that route it, and "bukan wewenang", which hands it back).
ROUTING = policy.ROUTED_TO | {Action.NOT_OUR_AUTHORITY}


def typed_text(form, data) -> list[dict]:
    """The text ``form``'s fields were sent with (``data``): what the person would have to
    type again. Choices and ticks are not worth keeping apart from the form."""
    kept = []
    for name, field in form.fields.items():
        value = data.get(form.add_prefix(name), "")
        if isinstance(field, forms.CharField) and isinstance(value, str) and value.strip():
            kept.append({"label": field.label or name, "value": value})
    return kept


def whole_number(value: str) -> int | None:
    """A form's hidden id ("the last entry I saw", "the answer I read"), or None."""
    return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else None


def last_move(actor, report, *, since: int | None = None, holder_too: bool = False):
    """The latest history entry this person may read that changed the report's status (or,
    ``holder_too``, who holds it), after entry ``since`` when given."""
    events = report.events.select_related("actor").order_by("-pk")
    if since is not None:
        events = events.filter(pk__gt=since)
    for event in references.attach_agencies(policy.visible_events(actor, report, events[:50])):
        if (holder_too and event.action in ROUTING) or (event.to_status and event.from_status != event.to_status):
            return event
    return None


def moved_sentence(actor, report, event) -> str:
    """What moved the report, by whom (as far as this person may know) and when."""
    zone = report.deadline_zone
    when = date_format(timezone.localtime(event.at, ZoneInfo(zone)), "j F Y H:i")
    return _("“%(event)s” oleh %(who)s, %(when)s.") % {
        "event": event.get_action_display(), "who": policy.event_actor_label(actor, report, event),
        "when": f"{when} {zone_label(zone)}"}

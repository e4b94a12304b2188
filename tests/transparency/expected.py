"""Expected figures, computed from the stories the dataset wrote down (not from the
database), with the working-day calendar as the only shared piece."""
import statistics

from lapor.reports.enums import Status
from lapor.workdays.calendar import deadline_for, working_days_between


def compliance(stories, *, now, key):
    """{key(story): {...figures...}} over the given stories (already filtered)."""
    out = {}
    for s in stories:
        if s.verified is None:
            continue
        f = out.setdefault(key(s), dict(received=0, due=0, on_time=0, days=[], with_agency=0, overdue=0,
                                        ever_closed=0, reopened=0, rated=0, satisfied=0))
        zone = s.unit.time_zone
        limit = deadline_for(s.verified, 5, zone)
        f["received"] += 1
        if s.answers:
            f["due"] += 1
            f["on_time"] += s.answers[0] <= limit
            f["days"].append(working_days_between(s.verified, s.answers[0], zone))
        elif limit < now:
            f["due"] += 1
        if s.final_status in (Status.DISPATCHED, Status.IN_PROGRESS):
            f["with_agency"] += 1
            # The data set lies months in the past: whatever waits for the agency is late.
            f["overdue"] += s.final_status == Status.DISPATCHED
        if s.closed is not None or s.reopened:
            f["ever_closed"] += 1
            f["reopened"] += s.reopened
        f["rated"] += len(s.ratings)
        f["satisfied"] += sum(s.ratings)
    for f in out.values():
        f["median"] = statistics.median(f["days"]) if f["days"] else None
    return out


def median_days(pairs):
    values = [working_days_between(a, b, zone) for a, b, zone in pairs]
    return statistics.median(values) if values else None

"""``{% report_items reports %}``: the public list's rows, each rendered once and kept.

A row of the public list (portal/_report_item.html) shows only public facts of one
report, the same for every visitor in one language: rendering twenty of them was a third
of the list's and the search's time. Rows are kept by ``lapor.core.fragments`` under a
digest of everything they show (an edited title, a new status or one more supporter is a
new row at once); names of categories, regions and agencies show a change within
``SECONDS``. Which reports are on the page is decided fresh by the caller, as before: a
report that stops being public leaves the page at once.
"""
from __future__ import annotations

from django import template

from lapor.core.fragments import kept_rows

register = template.Library()

SECONDS = 300
TEMPLATE = "portal/_report_item.html"


def _shown(report) -> tuple:
    return (report.pk, report.tracking_id, report.title, report.body, report.status, report.kind,
            report.created_at.isoformat(), report.category_id, report.region_id, report.assigned_agency_id,
            report.support_count, report.deadline_zone)  # the zone its date is given in


@register.simple_tag
def report_items(reports):
    return kept_rows(TEMPLATE, reports, shown=_shown, context=lambda r: {"r": r}, seconds=SECONDS)

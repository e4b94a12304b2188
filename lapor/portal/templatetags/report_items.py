"""``{% report_items reports %}``: the public list's rows, each rendered once and kept.

A row of the public list (portal/_report_item.html) shows only public facts of one
report, the same for every visitor in one language: rendering twenty of them was a third
of the list's and the search's time. Each row is kept in the cache under a digest of
everything it shows (so an edited title, a new status or one more supporter is a new row
at once) plus the language, the time zone and the template's own digest (a new release's
markup replaces the old at once); names of categories, regions and agencies show
a change within ``SECONDS``. Which reports are on the page is decided fresh by the caller,
as before: a report that stops being public leaves the page at once.
"""
from __future__ import annotations

import functools
import hashlib

from django import template
from django.core.cache import cache
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

register = template.Library()

SECONDS = 300
TEMPLATE = "portal/_report_item.html"


@functools.cache
def _template_version() -> str:
    """The row template's own digest: rows kept by an older release are not shown by a newer one."""
    return hashlib.sha256(get_template(TEMPLATE).template.source.encode()).hexdigest()[:12]


def _key(report) -> str:
    shown = (_template_version(), translation.get_language(), timezone.get_current_timezone_name(),
             report.pk, report.tracking_id,
             report.title, report.body, report.status, report.kind, report.created_at.isoformat(),
             report.category_id, report.region_id, report.assigned_agency_id, report.support_count)
    return "report-item:" + hashlib.sha256(repr(shown).encode()).hexdigest()


@register.simple_tag
def report_items(reports):
    reports = list(reports)
    keys = [_key(r) for r in reports]
    found = cache.get_many(keys)
    fresh = {}
    rows = []
    for key, report in zip(keys, reports):
        row = found.get(key)
        if row is None:
            row = fresh[key] = render_to_string(TEMPLATE, {"r": report})
        rows.append(row)
    if fresh:
        cache.set_many(fresh, SECONDS)
    return mark_safe("".join(rows))

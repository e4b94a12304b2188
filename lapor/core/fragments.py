"""Fragments of a page rendered once and kept in the cache under a digest of what they show.

A row of a list (a report in the public list, in an inbox) shows a handful of facts and
costs more to render through Django's templates than to read from the database. Each row
is kept under a digest of everything it shows, so a changed fact is a new row at once,
plus the language, the time zone and the template's own digest, so a new release's
markup or another visitor's language never gets an old row. Which rows are on a page is
still decided fresh by the caller; only their markup is kept.
"""
from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.template.loader import get_template, render_to_string
from django.template.loader_tags import IncludeNode
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe


@functools.cache
def template_digest(name: str) -> str:
    """A digest of the template's source and of the templates it includes by name: rows
    kept by an older release are not shown by a newer one."""
    digest = hashlib.sha256()
    for source in _sources(name, set()):
        digest.update(source.encode() + b"\0")
    return digest.hexdigest()[:16]


def _sources(name: str, seen: set) -> list[str]:
    if name in seen:
        return []
    seen.add(name)
    compiled = get_template(name).template
    sources = [name, compiled.source]
    for node in compiled.nodelist.get_nodes_by_type(IncludeNode):
        included = node.template.var  # a literal name is a str; a variable one is not followed
        if isinstance(included, str):
            sources += _sources(included, seen)
    return sources


def kept_rows(template_name: str, items: Iterable[Any], *, shown: Callable[[Any], tuple],
              context: Callable[[Any], dict], seconds: int) -> SafeString:
    """Each item rendered with ``template_name`` and ``context(item)``, or taken from the
    cache where ``shown(item)`` (everything the row shows, as plain values) was rendered
    before in this language and time zone; joined."""
    items = list(items)
    where = (template_digest(template_name), translation.get_language(), timezone.get_current_timezone_name())
    keys = ["row:" + hashlib.sha256(repr((where, shown(item))).encode()).hexdigest() for item in items]
    found = cache.get_many(keys) if keys else {}
    fresh = {}
    rows = []
    for key, item in zip(keys, items):
        row = found.get(key)
        if row is None:
            row = fresh[key] = render_to_string(template_name, context(item))
        rows.append(row)
    if fresh:
        cache.set_many(fresh, seconds)
    return mark_safe("".join(rows))


def form_key(form, query, *more) -> str:
    """A fragment-cache key for a filter form rendered from ``query`` (request.GET): its
    own fields' values only, not the page number or any other parameter, plus ``more``
    (what else the form's HTML depends on, such as the reader's scope). ``form`` may be
    the form's class, for a form not made yet."""
    fields = form.base_fields if isinstance(form, type) else form.fields
    values = [(name, query.getlist(name)) for name in sorted(fields)]
    return hashlib.sha256(repr((values, more)).encode()).hexdigest()

"""The parts of a report's page that every visitor who is not signed in sees alike (its
facts, text and files, the agencies' follow-ups, the public history), rendered once and
kept in the cache for the next such visitor.

Why: reading the history, the files and the follow-ups and rendering them is two thirds
of the page's work (docs/benchmarks.md). A report in the news is read by thousands who
are not signed in, and its page changes a few times in its life.

What keeps a kept copy honest:
- Whether the visitor may see the report at all is asked of the database on every
  request, before any kept copy is used: a report made confidential, or unpublished, is
  gone at once.
- The key holds everything the parts show that can change: the report's row as this
  request read it (``updated_at``, which every service that changes what the page shows
  sets, in the same transaction as the files it stores, as the sweep does for the public
  entries it writes; the number of supporters), the reporter's name as the public may
  read it, the language, the generation of the reference rows (an agency, category or
  region renamed: ``lapor.core.kept.generation``) and the release (``_release``: the
  templates, the code of the rules and labels, the translations). A change makes a new
  key; the old copy is never read again and expires.
- Every read of one request goes to one database (lapor/ops/replicas.py), so the
  history is never older than the row whose ``updated_at`` names the copy.
- Only visitors who are not signed in are served kept copies: a signed-in person may be
  the reporter, staff or a supporter, and sees the parts rendered for them.
- What depends on the moment (the deadline and its working days left) or on the visitor
  (forms, their CSRF token, the follow button) is rendered on every request, outside the
  kept parts.

For a visitor with no session and no message waiting (most of the public), the whole page
around the parts is kept too (``public_response``), under a key that adds what the page
around them shows (the deadline as of now, the address asked for, the modules switched
on, the release's static files); it holds a mark where each visitor's own CSRF token is
put in.
"""
from __future__ import annotations

import functools
import hashlib
import importlib
from pathlib import Path

import django
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import get_template, render_to_string
from django.templatetags.static import static
from django.utils.translation import get_language

from lapor.core import kept
from lapor.core.fragments import template_digest
from lapor.portal.deadlines import current_deadline

PARTS = ("head", "body", "followups", "history")
SECONDS = 600
PAGE_TEMPLATE = "portal/report_detail.html"
# The page around the parts: its template, the one it extends and the follow button's
# (template_digest follows includes, not tags or extends).
PAGE_TEMPLATES = (PAGE_TEMPLATE, "base.html", "following/_follow_button.html", "transparency/_rating_invitation.html")
PAGE_CODE = ("lapor.portal.deadlines", "lapor.following.templatetags.following",
             "lapor.transparency.templatetags.transparency", "lapor.harmony.context_processors",
             "lapor.core.templatetags.page_title", "lapor.agencies.models")
# Where the visitor's CSRF token goes in a kept page (forms reject NUL, so no text a
# person wrote can hold it).
CSRF_MARK = "\x00csrf\x00"
# What else decides the parts' markup: the rules and labels in these modules, and the
# translations. A release that changes any of them makes new keys.
CODE = ("lapor.portal.report_page", "lapor.portal.views.report", "lapor.reports.policy", "lapor.reports.enums",
        "lapor.reports.models", "lapor.reports.references", "lapor.accounts.models", "lapor.accounts.pseudonyms")


def render_parts(context: dict) -> dict[str, str]:
    """Each part of the page, rendered with ``context`` (no request: nothing in them
    depends on who asks beyond what the context says)."""
    return {name: get_template(f"portal/report/{name}.html").render(context) for name in PARTS}


@functools.cache
def _digest(templates: tuple[str, ...], modules: tuple[str, ...]) -> str:
    """A digest of a release's ``templates`` (with what they include), the source of
    ``modules`` (the rules and labels behind them), the compiled translations and
    Django's version (its tags, filters and own translations): what decides markup kept
    from one request to the next besides the data."""
    digest = hashlib.blake2b(django.get_version().encode(), digest_size=8)
    for name in templates:
        digest.update(template_digest(name).encode())
    for module in modules:
        digest.update(Path(importlib.import_module(module).__file__).read_bytes())
    for directory in sorted(str(d) for d in settings.LOCALE_PATHS):
        for mo in sorted(Path(directory).glob("*/LC_MESSAGES/*.mo")):
            digest.update(mo.read_bytes())
    return digest.hexdigest()


def _release() -> str:
    """The digest of what the parts are made with."""
    return _digest(tuple(f"portal/report/{name}.html" for name in PARTS), CODE)


def _seconds() -> int:
    """How long a copy is kept: where each process has a cache of its own (local memory,
    the embedded default) a renamed agency reaches the others' copies only as they expire,
    so no longer than the reference rows themselves are kept."""
    backend = settings.CACHES["default"]["BACKEND"]
    return kept.GENERATION_SECONDS if backend.endswith("LocMemCache") else SECONDS


def public_key(report, reporter_name: str) -> str | None:
    """Where the parts of ``report`` as the public sees it are kept (None under DEBUG,
    where templates change while the server runs)."""
    if settings.DEBUG:
        return None
    shown = "\x1f".join(str(v) for v in (
        report.pk, report.updated_at.isoformat(), report.support_count, reporter_name, get_language(),
        kept.generation(), _release()))
    return "report-page:" + hashlib.blake2b(shown.encode(), digest_size=16).hexdigest()


def public_response(request, report, reporter_name: str, *, build_context, page_context) -> HttpResponse:
    """The page of ``report`` for a visitor who is not signed in.

    Two things are kept: the parts (rendered from ``build_context()``, which reads the
    history, files and follow-ups), and, for a visitor with no session and no message
    waiting, asking for the page's own address, the whole page around them, with a mark
    where their CSRF token goes. The whole page's key adds what the page around the parts
    shows: the deadline as of now (its working days left), the address, the modules that
    are switched on and the release's static files.
    ``page_context(parts, deadline)`` is the page's context."""
    deadline = current_deadline(report)
    parts_key = public_key(report, reporter_name)
    page_key = _page_key(request, report, parts_key, deadline)
    token = get_token(request)  # the visitor's own, in place of the mark
    keys = [k for k in (page_key, parts_key) if k]
    found = cache.get_many(keys) if keys else {}
    if page_key in found:
        return HttpResponse(found[page_key].replace(CSRF_MARK, token))
    parts = found.get(parts_key)
    fresh = {}
    if parts is None:
        parts = render_parts(build_context())
        if parts_key:
            fresh[parts_key] = parts
    page = render_to_string(PAGE_TEMPLATE, {**page_context(parts, deadline), "csrf_token": CSRF_MARK}, request)
    if page_key:
        fresh[page_key] = page
    if fresh:
        cache.set_many(fresh, _seconds())
    return HttpResponse(page.replace(CSRF_MARK, token))


def _page_key(request, report, parts_key: str | None, deadline) -> str | None:
    """Where the whole page is kept for this visitor, or None where it must be rendered
    for them: a session may hold messages for them (as may the messages cookie); and an
    address with a query string (the language form sends the visitor back to the address
    they asked for) is not kept, so that made-up query strings cannot fill the cache."""
    if (parts_key is None or settings.SESSION_COOKIE_NAME in request.COOKIES or request.META.get("QUERY_STRING")
            or len(messages.get_messages(request))):  # stored for them, or added during this request
        return None
    now = (deadline.working_days_left, deadline.overdue, deadline.outer_overdue) if deadline else None
    shown = "\x1f".join(str(v) for v in (
        parts_key, request.path, report.due_at, report.outer_due_at, now,
        settings.LAPOR_SILAPAT_ENABLED, static("lapor/lapor.css"), static("portal/portal.css"), _page_release()))
    return "report-public-page:" + hashlib.blake2b(shown.encode(), digest_size=16).hexdigest()


def _page_release() -> str:
    """The digest of what the page around the parts is made with."""
    return _digest(PAGE_TEMPLATES, PAGE_CODE)

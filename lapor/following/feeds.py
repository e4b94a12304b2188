"""Atom feeds of the public lists (SPEC §9): the report list with its search and filters,
the map's current filter and viewport, one report's public history. The disaster
incident's feed (lapor/disasters/feeds.py) builds on ``ReportsFeed``.

Every feed reads through ``lapor.reports.policy`` (``public_reports``, ``visible_events``
for an anonymous reader), so no confidential or archived report, no internal entry and no
reporter's name can appear in one. Each holds the latest ``FEED_SIZE`` entries.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpResponseBadRequest
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from lapor.portal.forms import SearchForm
from lapor.portal.search import published_reports
from lapor.reports import policy, references
from lapor.transparency import filters as filtering
from lapor.transparency import exports, geo

FEED_SIZE = 50
SUMMARY_WORDS = 80


@dataclass(frozen=True)
class Listing:
    """What a report feed shows: its title, the page it mirrors, and the reports."""

    title: str
    link: str
    guid: str  # the feed's id: its own address with its exact query
    reports: QuerySet
    subtitle: str = ""


@dataclass(frozen=True)
class History:
    report: object
    guid: str


class BadFilters(Exception):
    """A feed asked with filters it cannot read. Answered 400 naming them, as the map's
    data and the exports are: a reader subscribed to it would otherwise be fed every report
    as if filtered, and never know."""


def unknown_filters(named: list[str]) -> str:
    return _("Saringan ini tidak dikenal: %(ignored)s. Perbaiki atau hapus saringan itu.") % {
        "ignored": ", ".join(named)}


class AtomFeed(Feed):
    feed_type = Atom1Feed
    author_name = "Lapor"

    # One instance serves every request (and thread): per-request state lives in the
    # object ``get_object`` returns, never on ``self``.

    def __call__(self, request, *args, **kwargs):
        try:
            response = super().__call__(request, *args, **kwargs)
        except BadFilters as refused:
            return HttpResponseBadRequest(f"{refused}\n", content_type="text/plain; charset=utf-8")
        # Kept by a shared cache only if asked again before each use: a report made
        # confidential leaves every feed at once.
        response["Cache-Control"] = "public, no-cache"
        return exports.with_licence(response)

    def feed_copyright(self, obj):
        # Atom's <rights>: the open data's licence (settings.LAPOR_OPEN_DATA_LICENCE).
        return exports.licence_text()

    def feed_guid(self, obj):
        return obj.guid

    def title(self, obj):
        return obj.title

    def link(self, obj):
        return obj.link

    def subtitle(self, obj):
        return obj.subtitle or None


class ReportsFeed(AtomFeed):
    """Published reports, newest first."""

    def items(self, obj):
        return references.attach(obj.reports.order_by("-created_at", "-id")[:FEED_SIZE])

    def item_title(self, report):
        return f"#{report.tracking_id} {report.title}"

    def item_link(self, report):
        return report.get_absolute_url()

    def item_description(self, report):
        facts = [report.get_kind_display(), report.status_label]
        if report.category_id:
            facts.append(report.category.name)
        if report.region_id:
            facts.append(report.region.name)
        if report.assigned_agency_id:
            facts.append(report.assigned_agency.name)
        return format_html("<p>{}</p><p>{}</p>", " · ".join(str(f) for f in facts),
                           Truncator(report.body).words(SUMMARY_WORDS))

    def item_pubdate(self, report):
        return report.verified_at

    def item_updateddate(self, report):
        # The last change the public can see: publication, an answer, the closing.
        return max(t for t in (report.verified_at, report.last_answer_at, report.closed_at) if t is not None)

    def item_categories(self, report):
        return [report.category.name] if report.category_id else []


class ReportListFeed(ReportsFeed):
    """``/laporan/atom.xml``: the public list with the same parameters as ``/laporan/``."""

    def get_object(self, request):
        form = SearchForm(request.GET or None)
        filters = {}
        if form.is_bound:
            if not form.is_valid():
                named = [f"{name} “{request.GET.get(name, '')}”" for name in form.errors if name in form.fields]
                raise BadFilters(unknown_filters(named) if named else " ".join(form.non_field_errors()))
            filters = form.cleaned_data
        query = request.GET.urlencode()
        title = _("Laporan publik")
        if filters.get("q"):
            title = _("Laporan publik: “%(q)s”") % {"q": filters["q"]}
        return Listing(title=f"{title} — Lapor", link=f"/laporan/?{query}" if query else "/laporan/",
                       guid=request.build_absolute_uri(), reports=published_reports(filters))


class MapFeed(ReportsFeed):
    """``/peta/atom.xml``: the map's filters and, with ``bbox=w,s,e,n``, its viewport."""

    def get_object(self, request):
        f = filtering.parse(request.GET)
        if f.ignored:
            raise BadFilters(unknown_filters([f.ignored_text]))
        reports = filtering.public_queryset(f)
        viewport = geo.parse_viewport(request.GET)
        if viewport is not None:
            reports = reports.filter(latitude__gte=viewport.south, latitude__lte=viewport.north,
                                     longitude__gte=viewport.west, longitude__lte=viewport.east)
        names = [n for n in (f.region.name if f.region else "", f.category.name if f.category else "") if n]
        title = _("Peta laporan") + (f": {' · '.join(names)}" if names else "")
        query = f.querystring()
        return Listing(title=f"{title} — Lapor", link=f"/peta/?{query}" if query else "/peta/",
                       guid=request.build_absolute_uri(), reports=reports,
                       subtitle=_("Dalam area peta yang dipilih.") if viewport is not None else "")


class ReportHistoryFeed(AtomFeed):
    """``/laporan/<id>/atom.xml``: a published report's public history, answers included."""

    def get_object(self, request, tracking_id):
        report = (policy.public_reports().select_related("assigned_agency", "addressed_agency", "reporter")
                  .filter(tracking_id=tracking_id).first())
        if report is None:
            raise Http404(_("Laporan tidak ditemukan."))
        return History(report=report, guid=request.build_absolute_uri())

    def title(self, obj):
        return f"#{obj.report.tracking_id} {obj.report.title} — Lapor"

    def link(self, obj):
        return obj.report.get_absolute_url()

    def subtitle(self, obj):
        return _("Riwayat publik laporan: verifikasi, tindak lanjut instansi, tanggapan.")

    def items(self, obj):
        report = obj.report
        events = report.events.select_related("actor", "agency")
        # An anonymous reader's view of the history: no internal entries, staff's reasons
        # blanked, the reporter only as "Pelapor".
        shown = policy.visible_events(None, report, events)[-FEED_SIZE:]
        return list(reversed(shown))

    def item_title(self, event):
        who = policy.event_actor_label(None, event.report, event)
        return f"{event.get_action_display()} — {who}"

    def item_link(self, event):
        return f"{event.report.get_absolute_url()}#riwayat-{event.pk}"

    def item_description(self, event):
        lines = [line for line in event.text.splitlines() if line.strip()]
        status = ""
        if event.to_status and event.to_status != event.from_status:
            status = _("Status: %(status)s") % {"status": event.to_status_label}
        return format_html("{}{}", format_html("<p>{}</p>", status) if status else "",
                           format_html_join("", "<p>{}</p>", ((line,) for line in lines)))

    def item_pubdate(self, event):
        return event.at

    def item_updateddate(self, event):
        return event.at

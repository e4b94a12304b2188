"""The policy-opinion polls as an Atom feed (SPEC §9: every public list has one), with the
list's own filter (``?instansi=<slug>``: an agency and its units)."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from lapor.agencies.models import Agency
from lapor.following.feeds import FEED_SIZE, AtomFeed, Listing
from lapor.transparency.models import Poll


class PollsFeed(AtomFeed):
    """Polls, newest first: an agency asking the public about its policy."""

    def get_object(self, request):
        polls = Poll.objects.select_related("agency")
        title, query = _("Opini kebijakan"), ""
        slug = request.GET.get("instansi") or ""
        # No slug holds NUL (nor can PostgreSQL text): an unknown agency, the whole list.
        agency = Agency.objects.filter(slug=slug).first() if slug and "\x00" not in slug else None
        if agency is not None:
            polls = polls.filter(agency__path__startswith=agency.path)
            title, query = f"{title} — {agency.name}", f"?instansi={agency.slug}"
        return Listing(title=title, link=f"/opini/{query}", guid=request.build_absolute_uri(f"/opini/atom.xml{query}"),
                       reports=polls)

    def items(self, obj):
        return obj.reports.order_by("-created_at", "-id")[:FEED_SIZE]

    def item_title(self, poll):
        return poll.question

    def item_link(self, poll):
        return f"/opini/{poll.pk}/"

    def item_description(self, poll):
        if poll.closes_at > timezone.now():
            closes = poll.closes_at.astimezone(ZoneInfo(poll.agency.time_zone))
            state = _("Dibuka sampai %(when)s %(zone)s.") % {
                "when": f"{closes:%d-%m-%Y %H:%M}", "zone": poll.agency.get_time_zone_display()}
        else:
            state = _("Sudah ditutup.")
        return format_html("<p>{}</p><p>{}</p><p>{}</p>", poll.agency.name, poll.description or "", state)

    def item_pubdate(self, poll):
        return poll.created_at

    def item_updateddate(self, poll):
        return poll.created_at

    def item_categories(self, poll):
        return [poll.agency.name]

"""``/darurat/<id>/atom.xml``: the incident's published reports, newest first."""
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.disasters.models import Disaster
from lapor.disasters.selectors import incident_reports
from lapor.following.feeds import Listing, ReportsFeed


class IncidentFeed(ReportsFeed):
    def get_object(self, request, pk):
        disaster = get_object_or_404(Disaster.objects.select_related("category", "region"), pk=pk)
        if disaster.starts_at > timezone.now():
            raise Http404  # as the incident page: nothing public before it starts
        return Listing(title=f"{disaster.title} — Lapor", link=disaster.get_absolute_url(),
                       guid=request.build_absolute_uri(), reports=incident_reports(disaster),
                       subtitle=_("Laporan kategori %(category)s di %(region)s sejak %(since)s.") % {
                           "category": disaster.category.name, "region": disaster.region.name,
                           "since": timezone.localtime(disaster.starts_at).date().isoformat()})

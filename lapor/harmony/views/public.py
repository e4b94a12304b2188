"""Public SILAPAT pages at /silapat/: registry figures, the visitor counter, the incident
form for signed-in citizens, and the SOP help pages."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lapor.core.forms import add_service_errors
from lapor.harmony import selectors, services
from lapor.harmony.enums import Religion, WorshipKind
from lapor.harmony.forms import HarmonyReportForm
from lapor.harmony.models import HarmonyOffice
from lapor.regions.models import Region
from lapor.reports.errors import OverQuota
from lapor.reports.quota import limit_message, submit_retry_at

GUIDES = [
    ("operator", gettext_lazy("SOP operator Kesbangpol")),
    ("pimpinan", gettext_lazy("SOP kepala Kesbangpol dan pimpinan daerah")),
    ("admin", gettext_lazy("SOP administrator")),
    ("warga", gettext_lazy("Cara melaporkan gangguan kerukunan")),
]


def home(request):
    if request.method == "GET":
        services.visitor_count_increment()
    figures = selectors.registry_figures()
    return render(request, "harmony/home.html", {
        "figures": figures,
        "totals": selectors.registry_totals(figures),
        "religions": list(Religion),
        "kinds": list(WorshipKind),
        "visitors": selectors.visitor_figures(),
        "wider_organizations": selectors.organizations_above_districts(),
    })


def _villages():
    offices = list(HarmonyOffice.objects.values_list("region_id", flat=True))
    if not offices:
        return Region.objects.none()
    q = Q()
    for code in offices:
        q |= Q(code__startswith=code + ".")
    return Region.objects.filter(q, level=Region.Level.VILLAGE).select_related("parent").order_by("parent__name",
                                                                                                  "name")


@login_required
def report(request):
    form = HarmonyReportForm(request.POST or None, villages=_villages())
    if request.method == "POST" and form.is_valid():
        # The same per-account limit as every other way of filing (lapor/reports/quota.py).
        retry_at = submit_retry_at(user=request.user)
        if retry_at is not None:
            form.add_error(None, limit_message(retry_at))
            return render(request, "harmony/report_form.html", {"form": form}, status=429)
        data = form.cleaned_data
        try:
            created = services.harmony_report_submit(
                reporter=request.user, title=data["title"], body=data["body"], tension_kind=data["tension_kind"],
                groups=data["groups"], region=data["village"], address=data["address"],
                incident_date=data["incident_date"], latitude=data["latitude"], longitude=data["longitude"],
                is_anonymous=data["is_anonymous"],
                is_confidential=data["is_confidential"], limited_by=request.user,
            )
        except OverQuota as over:  # sent together with others past the check above
            form.add_error(None, over.message)
            return render(request, "harmony/report_form.html", {"form": form}, status=429)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # The receipt every report gets: tracking ID, what happens next, the deadline.
            return redirect("portal:report_sent", tracking_id=created.tracking_id)
    return render(request, "harmony/report_form.html", {"form": form}, status=400 if form.is_bound else 200)


def guide(request, slug: str = ""):
    slugs = dict(GUIDES)
    if slug and slug not in slugs:
        raise Http404
    template = f"harmony/panduan/{slug or 'index'}.html"
    try:
        get_template(template)
    except TemplateDoesNotExist:
        raise Http404 from None
    return render(request, template, {"guides": GUIDES, "current": slug, "title": slugs.get(slug, _("Panduan SILAPAT"))})

"""Staff SILAPAT pages at /kantor/silapat/ (the back office's second factor applies):
the registry, its CSV import, the early-warning page and the assessment of incidents."""
from __future__ import annotations

import json
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Avg
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lapor.core.forms import add_service_errors
from lapor.harmony import access, selectors, services
from lapor.harmony.enums import Religion
from lapor.harmony.forms import AssessForm, HouseOfWorshipForm, ImportForm, OrganizationForm, PopulationForm
from lapor.harmony.importing import COLUMNS, KIND_LABELS, decode, registry_import
from lapor.harmony.models import HarmonyThreshold, HouseOfWorship, Population, ReligiousOrganization
from lapor.regions.models import Region
from lapor.reports import policy
from lapor.reports.errors import ActionForbidden, TransitionNotAllowed
from lapor.reports.models import Report
from lapor.transparency.charts import column_chart


def office_page(view):
    """Signed-in people with a SILAPAT office to read (operators, head, leadership, the
    national admin); ``request.office`` is the office chosen (``?kantor=``), and
    ``request.is_operator`` whether they may write in it."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        offices = access.readable_offices(request.user)
        if not offices:
            return render(request, "harmony/office/forbidden.html", status=403)
        wanted = request.GET.get("kantor") or request.POST.get("kantor")
        request.offices = offices
        request.office = next((o for o in offices if str(o.pk) == wanted), offices[0])
        request.is_operator = access.is_operator(request.user, request.office)
        return view(request, *args, **kwargs)

    return wrapped


def operator_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.is_operator:
            # The head and the leadership read these pages' data elsewhere; say who writes it.
            return render(request, "harmony/office/forbidden.html", _context(request, nav="registry", reason=_(
                "Mengubah dan mengimpor data registri SILAPAT hanya dapat dilakukan operator Kesbangpol "
                "(petugas unit Kesbangpol). Kepala Kesbangpol dan pimpinan daerah dapat membaca registri dan "
                "peringatan dini.")), status=403)
        return view(request, *args, **kwargs)

    return office_page(wrapped)


def _context(request, nav: str, **extra) -> dict:
    # Times are shown in the office's own zone (its Kesbangpol unit's), as report pages are.
    return {"nav": nav, "office": request.office, "offices": request.offices, "is_operator": request.is_operator,
            "office_zone": services.office_zone(request.office),
            "can_manage_thresholds": access.can_manage_thresholds(request.user, request.office),
            "unread_alerts": selectors.unread_alerts(request.user), **extra}


def _points(points: list) -> dict:
    return {"map_points": json.dumps(points), "has_points": bool(points)}


@office_page
def registry(request, code: str | None = None):
    office = request.office
    region = office.region
    if code:
        if "\x00" in code:  # no code holds NUL (nor can PostgreSQL text)
            raise Http404
        region = get_object_or_404(Region, code=code)
        if not office.covers(region):
            raise Http404
    figures = selectors.registry_figures(region)
    context = _context(
        request, "registry", region=region, figures=figures, totals=selectors.registry_totals(figures),
        religions=list(Religion),
        **_points(selectors.house_points(region)),
        tile_url=settings.LAPOR_MAP_TILE_URL, attribution=settings.LAPOR_MAP_ATTRIBUTION,
    )
    if region.level >= Region.Level.DISTRICT:
        context.update(
            houses=selectors.houses_in(region), population=selectors.population_in(region),
            # Contacts are personal data: operators only.
            organizations=selectors.organizations_in(region), show_contacts=request.is_operator,
            children=Region.objects.filter(parent=region).order_by("name"),
        )
    else:
        # Those registered above the districts are in no district's page: listed here.
        context.update(organizations=selectors.organizations_in(region, above_districts=True),
                       show_contacts=request.is_operator,
                       children=Region.objects.filter(parent=region).order_by("name"))
    return render(request, "harmony/office/registry.html", context)


EDITABLE = {
    "rumah-ibadah": (HouseOfWorship, HouseOfWorshipForm, gettext_lazy("rumah ibadah")),
    "organisasi": (ReligiousOrganization, OrganizationForm, gettext_lazy("organisasi/lembaga keagamaan")),
    "penduduk": (Population, PopulationForm, gettext_lazy("data penduduk")),
}


@operator_only
def edit(request, kind: str, pk: int | None = None):
    if kind not in EDITABLE:
        raise Http404
    model, form_class, label = EDITABLE[kind]
    instance = get_object_or_404(model, pk=pk) if pk else None
    if instance is not None:
        region = instance.village if hasattr(instance, "village_id") else instance.region
        if not request.office.covers(region):
            raise Http404
    form = form_class(request.POST or None, instance=instance, office=request.office)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.registry_save(instance=form.instance, by=request.user, office=request.office)
        except ValidationError as error:
            add_service_errors(form, error)
        except ActionForbidden as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Data %(label)s disimpan.") % {"label": label})
            region = saved.village if hasattr(saved, "village_id") else saved.region
            return redirect(f"/kantor/silapat/wilayah/{region.code}/?kantor={request.office.pk}")
    pin = {"start": _map_start(request.office)} if model is HouseOfWorship else None
    return render(request, "harmony/office/edit.html", _context(
        request, "registry", form=form, label=label, instance=instance, pin=pin,
        tile_url=settings.LAPOR_MAP_TILE_URL, attribution=settings.LAPOR_MAP_ATTRIBUTION))


def _map_start(office) -> str:
    """Where the pin map opens on a new house of worship: amid the office's pinned ones
    ("lat,lng,zoom"), or nowhere in particular (the reference data has no centroids)."""
    spots = HouseOfWorship.objects.filter(village__code__startswith=office.region_id, latitude__isnull=False)
    middle = spots.aggregate(lat=Avg("latitude"), lng=Avg("longitude"))
    return f"{middle['lat']:.5f},{middle['lng']:.5f},12" if middle["lat"] is not None else ""


@operator_only
def upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        text = decode(form.cleaned_data["file"].read())
        result = registry_import(kind=form.cleaned_data["kind"], text=text, office=request.office)
        if result.kept:
            messages.success(request, _("%(n)s baris tersimpan.") % {"n": result.kept})
        if result.errors:
            messages.error(request, _("%(n)s baris tidak dapat diimpor; lihat daftar di bawah.")
                           % {"n": len(result.errors)})
    return render(request, "harmony/office/upload.html", _context(
        request, "upload", form=form, result=result,
        formats=[(KIND_LABELS[k], ",".join(cols)) for k, cols in COLUMNS.items()],
    ))


@require_http_methods(["GET", "HEAD", "POST"])
@office_page
def early_warning(request):
    office = request.office
    if request.method == "POST":
        return _take_in(request)
    # Reading the page writes no incident (a prefetching browser or a crawler would): the
    # reports routed here the ordinary way that have none yet are listed as waiting, taken
    # in by the periodic check or by an operator's button (a POST, ``_take_in``).
    trend = selectors.trend(office)
    context = _context(
        request, "warning", trend=trend, waiting=selectors.waiting_for(office, request.user),
        chart=column_chart(trend["per_month"], title=_("Kejadian per bulan")),
        alerts=selectors.alerts_for(office),
        thresholds=HarmonyThreshold.objects.filter(office=office),
        incidents=selectors.incidents_for(office, request.user),
        **_points(selectors.incident_points(office, request.user)),
        tile_url=settings.LAPOR_MAP_TILE_URL, attribution=settings.LAPOR_MAP_ATTRIBUTION,
    )
    response = render(request, "harmony/office/early_warning.html", context)
    services.harmony_mark_alerts_read(user=request.user)
    return response


def _take_in(request):
    """An operator takes in now the reports waiting to become incidents, rather than
    waiting for the periodic check (``services.harmony_adopt_reports``)."""
    if not request.is_operator:
        return render(request, "harmony/office/forbidden.html", _context(request, "warning", reason=_(
            "Hanya operator Kesbangpol yang dapat mencatat laporan sebagai kejadian; pemeriksaan berkala "
            "mencatatnya juga.")), status=403)
    made = services.harmony_adopt_reports(office=request.office)
    if made:
        messages.success(request, _("%(n)s laporan dicatat sebagai kejadian.") % {"n": made})
    else:
        messages.info(request, _("Tidak ada laporan yang menunggu dicatat."))
    return redirect(f"/kantor/silapat/peringatan/?kantor={request.office.pk}")


@office_page
def assess(request, tracking_id: str):
    report = Report.objects.filter(tracking_id=tracking_id).select_related(
        "region", "category", "assigned_agency", "addressed_agency").first()
    if report is None or not policy.can_view(request.user, report):
        raise Http404
    incident = getattr(report, "harmony_incident", None)
    can_verify = "verify" in policy.allowed_actions(request.user, report)
    initial = {"tension_kind": incident.tension_kind, "groups": incident.groups,
               "level": incident.level} if incident else {}
    form = AssessForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if can_verify and request.POST.get("verify"):
                services.harmony_verify(report=report, by=request.user, level=data["level"],
                                        tension_kind=data["tension_kind"], groups=data["groups"], note=data["note"])
            else:
                services.harmony_assess(report=report, by=request.user, level=data["level"],
                                        tension_kind=data["tension_kind"], groups=data["groups"], note=data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
        except (ActionForbidden, TransitionNotAllowed) as error:
            messages.error(request, str(error))
            return render(request, "harmony/office/forbidden.html", _context(request, "warning", reason=str(error)),
                          status=403)
        else:
            messages.success(request, _("Tingkat kerawanan disimpan."))
            return redirect(f"/kantor/silapat/peringatan/?kantor={request.office.pk}")
    return render(request, "harmony/office/assess.html", _context(
        request, "warning", form=form, report=report, incident=incident, can_verify=can_verify,
        can_assess=services.can_assess(request.user, report) or can_verify,
        assessments=incident.assessments.select_related("by") if incident else [],
    ))

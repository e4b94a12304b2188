"""Back office: national admins and agency admins declare, change and end disasters for
the regions in their scope (/kantor/darurat/, behind the second factor like all of
/kantor/)."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lapor.agencies.models import Role
from lapor.core.forms import add_service_errors
from lapor.disasters.forms import DisasterForm
from lapor.disasters.selectors import admin_regions, manageable
from lapor.disasters.services import disaster_declare, disaster_end, disaster_update
from lapor.office.access import actor, role_required
from lapor.reports.errors import ReportError

admin_only = role_required(Role.AGENCY_ADMIN, Role.NATIONAL_ADMIN)


def _save(request, form, disaster=None):
    """The service call for a valid form; its refusals become form errors."""
    d = form.cleaned_data
    fields = {k: d[k] for k in ("title", "description", "category", "region", "starts_at", "ends_at", "is_active")}
    try:
        if disaster is None:
            return disaster_declare(by=request.user, **fields)
        return disaster_update(disaster=disaster, by=request.user, **fields)
    except ValidationError as error:
        add_service_errors(form, error)
    except ReportError as error:
        form.add_error(None, error.message)
    return None


@admin_only
def disaster_list(request):
    regions = admin_regions(actor(request))
    form = DisasterForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        disaster = _save(request, form)
        if disaster is not None:
            messages.success(request, _("Keadaan darurat “%(title)s” disimpan.") % {"title": disaster.title})
            return redirect("disasters_office:list")
    return render(request, "disasters/office_list.html", {
        "form": form, "disasters": manageable(actor(request))[:100], "regions": regions, "nav": "manage",
    }, status=400 if form.is_bound else 200)


@admin_only
def disaster_edit(request, pk):
    disaster = get_object_or_404(manageable(actor(request)), pk=pk)
    initial = {"title": disaster.title, "description": disaster.description, "category": disaster.category,
               "region": disaster.region_id, "starts_at": disaster.starts_at, "ends_at": disaster.ends_at,
               "is_active": disaster.is_active}
    form = DisasterForm(request.POST or None, initial=initial, regions=admin_regions(actor(request)))
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, disaster)
        if saved is not None:
            messages.success(request, _("Keadaan darurat “%(title)s” disimpan.") % {"title": saved.title})
            return redirect("disasters_office:list")
    return render(request, "disasters/office_edit.html", {"form": form, "disaster": disaster, "nav": "manage"},
                  status=400 if form.is_bound else 200)


@require_POST
@admin_only
def disaster_stop(request, pk):
    disaster = get_object_or_404(manageable(actor(request)), pk=pk)
    try:
        disaster_end(disaster=disaster, by=request.user)
    except ReportError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Keadaan darurat “%(title)s” diakhiri; spanduk diturunkan.")
                         % {"title": disaster.title})
    return redirect("disasters_office:list")

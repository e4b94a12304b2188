"""Early-warning thresholds in the back office (/kantor/silapat/ambang/): the office's
head or Kesbangpol admin, and the national admin, list, add, change and switch them off."""
from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lapor.audit.services import client_ip
from lapor.core.forms import add_service_errors
from lapor.harmony import access, thresholds
from lapor.harmony.forms import ThresholdForm
from lapor.harmony.models import HarmonyThreshold
from lapor.harmony.views.office import _context, office_page
from lapor.reports.errors import ActionForbidden


def threshold_admin_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not access.can_manage_thresholds(request.user, request.office):
            return render(request, "harmony/office/forbidden.html", _context(request, "thresholds", reason=_(
                "Ambang dan penerima peringatan dini diatur oleh kepala/admin Kesbangpol atau Admin Nasional.")),
                status=403)
        return view(request, *args, **kwargs)

    return office_page(wrapped)


def _list_url(request) -> str:
    return f"/kantor/silapat/ambang/?kantor={request.office.pk}"


@threshold_admin_only
def index(request):
    rows = HarmonyThreshold.objects.filter(office=request.office).select_related("region", "updated_by").order_by(
        "-is_active", "name")
    return render(request, "harmony/office/thresholds.html", _context(request, "thresholds", thresholds=rows))


@threshold_admin_only
def edit(request, pk: int | None = None):
    # Another office's threshold is not found, whoever asks.
    threshold = get_object_or_404(HarmonyThreshold, pk=pk, office=request.office) if pk else None
    form = ThresholdForm(request.POST or None, office=request.office, instance=threshold)
    if request.method == "POST" and form.is_valid():
        try:
            thresholds.threshold_save(office=request.office, by=request.user, threshold=threshold,
                                      ip=client_ip(request), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except ActionForbidden as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Ambang peringatan dini disimpan."))
            return redirect(_list_url(request))
    changes = thresholds.change_history(threshold) if threshold else []
    return render(request, "harmony/office/threshold_form.html", _context(
        request, "thresholds", form=form, threshold=threshold, changes=changes))


@require_POST
@threshold_admin_only
def switch(request, pk: int):
    threshold = get_object_or_404(HarmonyThreshold, pk=pk, office=request.office)
    is_active = request.POST.get("aktif") == "1"
    try:
        thresholds.threshold_set_active(threshold=threshold, by=request.user, is_active=is_active,
                                        ip=client_ip(request))
    except ActionForbidden as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Ambang “%(name)s” diaktifkan.") % {"name": threshold.name} if is_active
                         else _("Ambang “%(name)s” dinonaktifkan.") % {"name": threshold.name})
    return redirect(_list_url(request))

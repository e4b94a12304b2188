"""Who receives an office's early warnings, in the back office (/kantor/silapat/penerima/):
the people who set its thresholds add and remove its head and leadership."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lapor.audit.services import client_ip
from lapor.core.forms import add_service_errors
from lapor.harmony import recipients
from lapor.harmony.forms import RecipientForm
from lapor.harmony.models import HarmonyRole
from lapor.harmony.views.thresholds import threshold_admin_only
from lapor.harmony.views.office import _context
from lapor.reports.errors import ActionForbidden


def _list_url(request) -> str:
    return f"/kantor/silapat/penerima/?kantor={request.office.pk}"


@threshold_admin_only
def index(request):
    form = RecipientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.cleaned_data["account"]
        try:
            recipients.recipient_add(office=request.office, by=request.user, user=user,
                                     role=form.cleaned_data["role"], ip=client_ip(request))
        except ValidationError as error:
            add_service_errors(form, error)
        except ActionForbidden as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(name)s sekarang menerima peringatan dini kantor ini.")
                             % {"name": user.display_name})
            return redirect(_list_url(request))
    rows = (HarmonyRole.objects.filter(office=request.office).select_related("user", "added_by")
            .order_by("role", "user__full_name", "user__username"))
    return render(request, "harmony/office/recipients.html", _context(
        request, "recipients", recipients=rows, form=form), status=400 if form.errors else 200)


@require_POST
@threshold_admin_only
def remove(request, pk: int):
    # Another office's recipient is not found, whoever asks.
    recipient = get_object_or_404(HarmonyRole.objects.select_related("user", "office__agency"), pk=pk,
                                  office=request.office)
    try:
        recipients.recipient_remove(recipient=recipient, by=request.user, ip=client_ip(request))
    except ActionForbidden as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s tidak lagi menerima peringatan dini kantor ini.")
                         % {"name": recipient.user.display_name})
    return redirect(_list_url(request))

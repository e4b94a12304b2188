"""The identity custodian's reveal: a reason first, the identity once, an audit event."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from lapor.audit.models import AuditAction
from lapor.audit.services import audit_record
from lapor.core.forms import add_service_errors
from lapor.office.access import actor, report_for, staff_required
from lapor.office.forms import RevealForm
from lapor.reports import policy, services
from lapor.reports.enums import Action
from lapor.reports.errors import ReportError


@never_cache
@staff_required
def reveal(request, tracking_id):
    report = report_for(request, tracking_id)
    if policy.role_for(actor(request), report, Action.REVEAL_IDENTITY) is None:
        return render(request, "office/forbidden.html", status=403)
    form = RevealForm(request.POST or None)
    identity = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                with transaction.atomic():
                    identity = services.report_reveal_identity(report=report, by=request.user,
                                                               reason=form.cleaned_data["reason"])
                    # The report's history holds the reveal and its reason; the audit log
                    # adds it to the custodian's trail, with the address it came from.
                    audit_record(actor=request.user, action=AuditAction.IDENTITY_REVEALED, target=report,
                                 object_label=f"#{report.tracking_id}", note=form.cleaned_data["reason"],
                                 request=request)
            except ValidationError as error:
                add_service_errors(form, error)
                status = 400
            except ReportError as error:
                form.add_error(None, error.message)
                status = 403
        else:
            status = 400
    # The identity is in this one response only; it is never stored in the session or a URL.
    return render(request, "office/reveal.html", {"report": report, "form": form, "identity": identity}, status=status)

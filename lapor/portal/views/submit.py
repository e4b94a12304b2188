"""Filing a report on the web (SPEC §3, §7, §12).

One form, three possible passes, all server-side so it works without JavaScript:

1. the form (again, with errors, when something is wrong — typed text and accepted files
   are kept);
2. a check step when there is something to say before submitting: likely duplicates
   ("support it instead"), text that names people (make it confidential?), the agency
   the routing rules suggest;
3. the submit itself, through ``report_submit`` and ``attachment_store``.
"""
from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy

from lapor.accounts.proxies import resident_for_proxy
from lapor.api.submission import claim_key, request_fingerprint
from lapor.agencies.routing import suggest_agency
from lapor.core.forms import add_service_errors
from lapor.disasters.selectors import categories_first
from lapor.portal import uploads
from lapor.portal.deadlines import current_deadline
from lapor.portal.forms import ReportForm
from lapor.reports import policy
from lapor.reports.attachments import attachment_store
from lapor.reports.duplicates import likely_duplicates
from lapor.reports.errors import OverQuota
from lapor.reports.models import Report
from lapor.reports.quota import limit_message, submit_retry_at
from lapor.reports.sensitivity import sensitive_findings
from lapor.reports.services import report_submit

# Fields of report_submit's errors that have no input of their own on this form.
FORM_FIELDS_FOR_SERVICE_ERRORS = {"reporter": "resident_name", "filed_by": None, "channel": None}

FINDING_LABELS = {
    "name": gettext_lazy("nama orang"),
    "nip": gettext_lazy("NIP pegawai"),
    "nik": gettext_lazy("NIK"),
    "phone": gettext_lazy("nomor telepon"),
    "email": gettext_lazy("alamat e-mail"),
}


def _is_proxy(user) -> bool:
    profile = getattr(user, "profile", None)
    return bool(profile and profile.is_proxy)


@login_required
def report_new(request):
    is_proxy = _is_proxy(request.user)
    if request.method != "POST":
        form = ReportForm(is_proxy=is_proxy, initial=_initial(request))
        return _render_form(request, form, kept=[])

    kept, file_errors = uploads.take(request, staged_field="staged", files_field="attachments")

    if "refresh_region" in request.POST:
        # No JavaScript: "show the next step of the region" re-renders the form as typed.
        form = ReportForm(is_proxy=is_proxy, initial=_as_initial(request.POST))
        return _render_form(request, form, kept=kept, file_errors=file_errors)

    form = ReportForm(request.POST, is_proxy=is_proxy)
    if not form.is_valid() or file_errors:
        return _render_form(request, form, kept=kept, file_errors=file_errors, status=400)
    retry_at = submit_retry_at(user=request.user)
    if retry_at is not None:
        # Too many reports from this account lately (lapor/reports/quota.py): say from
        # when, and keep everything typed and attached for then.
        form.add_error(None, limit_message(retry_at))
        return _render_form(request, form, kept=kept, status=429)

    data = form.cleaned_data
    region = form.chosen_region()
    checks = _checks(data, region)
    if any(checks.values()) and not data.get("checked"):
        checked_form = ReportForm(is_proxy=is_proxy, initial={**_as_initial(request.POST), "checked": True})
        if checks["suggested_agency"] and not data.get("addressed_agency"):
            checked_form.initial["addressed_agency"] = str(checks["suggested_agency"].pk)
        if checks["sensitive"]:
            # The safe choice is the default (SPEC §12): a text naming people is offered as
            # confidential; the citizen unticks it to publish.
            checked_form.initial["is_confidential"] = True
        return _render_form(request, checked_form, kept=kept, checks=checks)

    try:
        report = _submit(request, form, data, region, kept_tokens=[k.token for k in kept])
    except OverQuota as over:  # sent together with others past the check above
        form.add_error(None, over.message)
        return _render_form(request, form, kept=kept, status=429)
    except ValidationError as error:
        add_service_errors(form, error, renamed=FORM_FIELDS_FOR_SERVICE_ERRORS)
        return _render_form(request, form, kept=kept, status=400)
    return redirect("portal:report_sent", tracking_id=report.tracking_id)


def _submit(request, form, data, region, *, kept_tokens) -> Report:
    staged = uploads.staged_from_tokens(kept_tokens, user=request.user)
    with transaction.atomic():
        claim = None
        if data.get("form_key"):
            # The same form sent again with the same words is the first one: its report.
            # Words changed after going back are a new report, claimed under their own key,
            # so that it too is filed once however often it is sent.
            said = request_fingerprint({"title": data["title"], "body": data["body"]})
            claim, earlier = claim_key(user=request.user, key=f"web:{data['form_key']}:{said[:16]}",
                                       request_hash=said)
            if earlier is not None and earlier.report_id:
                uploads.discard(kept_tokens)  # files sent again with it: the first copy has them
                return earlier.report
        reporter, filed_by = request.user, None
        if form.files_for_proxy:
            reporter = resident_for_proxy(full_name=data["resident_name"], phone=data.get("resident_phone", ""),
                                          nik=data.get("resident_nik", ""))
            filed_by = request.user
        report = report_submit(
            reporter=reporter, filed_by=filed_by, kind=data["kind"], title=data["title"], body=data["body"],
            incident_date=data.get("incident_date"), latitude=data.get("latitude"), longitude=data.get("longitude"),
            region=region, address=data.get("address", ""), category=data.get("category"),
            addressed_agency=data.get("addressed_agency"), is_anonymous=data.get("is_anonymous", False),
            is_confidential=data.get("is_confidential", False), show_reporter_name=data.get("show_reporter_name", False),
            limited_by=request.user,
        )
        for _staged, clean in staged:
            attachment_store(report=report, clean=clean, by=request.user)
        if claim is not None:
            claim.report = report
            claim.save(update_fields=["report"])
    uploads.discard(kept_tokens)
    return report


def _checks(data, region) -> dict:
    """What the citizen should see before submitting; empty values mean nothing to say."""
    duplicates = likely_duplicates(
        queryset=policy.public_reports().select_related("region", "assigned_agency"),
        category=data.get("category"), text=f"{data['title']} {data['body']}",
        latitude=data.get("latitude"), longitude=data.get("longitude"), region=region,
    )
    findings = [] if data.get("is_confidential") else sensitive_findings(data["title"], data["body"])
    suggested = None
    if not data.get("addressed_agency"):
        suggested = suggest_agency(category=data.get("category"), region=region)
    return {
        "duplicates": duplicates,
        "sensitive": [FINDING_LABELS[f] for f in findings],
        "suggested_agency": suggested,
    }


def _initial(request) -> dict:
    initial = {"form_key": uuid.uuid4().hex}
    if request.GET.get("kategori"):
        initial["category"] = request.GET["kategori"]
    return initial


def _as_initial(post) -> dict:
    keep = [name for name in post if name not in ("csrfmiddlewaretoken", "staged", "refresh_region")]
    return {name: post.get(name) for name in keep}


def _render_form(request, form, *, kept, file_errors=(), checks=None, status=200):
    # In a disaster its category comes first (lapor/disasters); the banner links here
    # with ?kategori=<id>, which _initial preselects.
    form.fields["category"].choices = categories_first(form.fields["category"].choices)
    return render(
        request, "portal/report_form.html",
        {
            "form": form, "kept": kept, "file_errors": file_errors, "checks": checks,
            "max_attachments": settings.LAPOR_MAX_ATTACHMENTS,
            "max_mb": settings.LAPOR_MAX_ATTACHMENT_BYTES // (1024 * 1024),
            "tile_url": settings.LAPOR_MAP_TILE_URL, "tile_attribution": settings.LAPOR_MAP_ATTRIBUTION,
        },
        status=status,
    )


@login_required
def report_sent(request, tracking_id):
    """The receipt: tracking ID, what happens next, by when. Only for its reporter."""
    report = get_object_or_404(
        policy.visible_reports(request.user).select_related("addressed_agency", "assigned_agency", "category"),
        tracking_id=tracking_id,
    )
    if not policy.is_reporter(policy.actor_for(request.user), report):
        return redirect(report.get_absolute_url())
    return render(request, "portal/report_sent.html", {"report": report, "deadline": current_deadline(report),
                                                       "first_answer_days": settings.LAPOR_FIRST_ANSWER_DAYS})

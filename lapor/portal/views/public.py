"""Public pages: home, the list of published reports, tracking, the privacy notice, and small JSON helpers."""
from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lapor.agencies.routing import suggest_agency
from lapor.categories.models import Category
from lapor.core.fragments import form_key
from lapor.following.feeds import unknown_filters
from lapor.portal.forms import SearchForm, TrackForm
from lapor.regions.selectors import region_options
from lapor.portal.search import published_page
from lapor.regions.models import Region
from lapor.reports import policy, references
from lapor.reports.attachments import attachment_response
from lapor.reports.enums import ArchiveReason, Status
from lapor.reports.errors import ReportError
from lapor.reports.models import Attachment, Report
from lapor.reports.services import report_support

PAGE_SIZE = 20


def home(request):
    latest = references.attach(policy.public_reports().select_related("reporter").order_by("-created_at", "-id")[:5])
    return render(request, "portal/home.html", {"latest": latest, "track_form": TrackForm()})


def privacy(request):
    """The privacy notice (UU 27/2022): what is collected, why, who sees it, how long it is
    kept and whom to ask. Its facts are the system's own rules (docs/portal.md, *Privacy
    notice*): a change to one of them changes this page too."""
    contact = parseaddr(settings.LAPOR_PRIVACY_CONTACT)[1] or settings.LAPOR_PRIVACY_CONTACT
    return render(request, "portal/privacy.html", {
        "contact": contact, "signin_record_days": settings.LAPOR_SIGNIN_RECORD_DAYS,
        "profile_url": reverse("portal:profile"),
    })


def report_list(request):
    form = SearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return _list_refused(request, form)
    filters = form.cleaned_data if form.is_bound else {}
    page = published_page(filters, request.GET.get("halaman"), per_page=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("halaman", None)
    return render(request, "portal/report_list.html", {
        "form": form, "page": page, "query": query.urlencode(), "filtered": bool(filters and any(filters.values())),
        "form_key": form_key(form, request.GET),  # the filter form's key in the fragment cache
    })


def _list_refused(request, form):
    """The list asked with a filter it cannot read: 400, the form with the valid filters
    kept and the wrong one marked, and no reports, as the map's data, the downloads and
    the feeds refuse it. Showing every report under it read as if filtered."""
    named = [f"{form[name].label} “{Truncator(form.data.get(name, '')).chars(40)}”"
             for name in form.errors if name in form.fields]
    return render(request, "portal/report_list.html", {
        "form": form, "filtered": True, "form_key": form_key(form, request.GET),
        "refused": unknown_filters(named) if named else " ".join(form.non_field_errors()),
    }, status=400)


def track(request):
    """Find a report by its tracking ID: the reporter gets the whole report, anyone else
    the public page; unpublished reports of others are "not found", like missing ones."""
    if "id" not in request.GET:
        return render(request, "portal/track.html", {"form": TrackForm()})
    form = TrackForm(request.GET)
    if not form.is_valid():
        return render(request, "portal/track.html", {"form": form}, status=400)
    report = policy.visible_reports(request.user).filter(tracking_id=form.cleaned_data["id"]).first()
    if report is None:
        return merged_redirect(request, form.cleaned_data["id"]) or render(
            request, "portal/track.html", {"form": form, "not_found": True}, status=404)
    return redirect(report.get_absolute_url())


# A published report merged into another: archived as its duplicate once verified.
MERGED_Q = Q(status=Status.ARCHIVED, archive_reason=ArchiveReason.DUPLICATE, verified_at__isnull=False,
             is_confidential=False, duplicate_of__isnull=False)
# Each merge of an original into another adds a link; a longer chain is not followed.
MERGES_FOLLOWED = 5


def merged_redirect(request, tracking_id):
    """For a visitor who may not see report ``tracking_id``: when it was published and
    then merged into another (archived as its duplicate after verification), a redirect
    to that original, with a word on why they are there; otherwise None ("not found").

    Its address was public, and people bookmarked and shared it; the report itself is
    archived and no longer public (SPEC §5), and nothing of it is shown. An original the
    visitor may not see (confidential) is never named: None, as for a missing report."""
    found = Report.objects.filter(MERGED_Q, tracking_id=tracking_id).values_list("duplicate_of_id", flat=True)
    pk = found.first()
    for _step in range(MERGES_FOLLOWED):
        if pk is None:
            return None
        original = policy.visible_reports(request.user).filter(pk=pk).first()
        if original is not None:
            messages.info(request, _("Laporan #%(id)s sudah digabungkan dengan laporan ini, yang menangani "
                                     "masalah yang sama.") % {"id": tracking_id})
            return redirect(original.get_absolute_url())
        # The original was merged in turn: its own original, by the same rule.
        pk = Report.objects.filter(MERGED_Q, pk=pk).values_list("duplicate_of_id", flat=True).first()
    return None


@require_POST
@login_required
def support(request, tracking_id):
    """"Dukung": once per account (the service and a unique constraint see to it)."""
    report = get_object_or_404(policy.public_reports(), tracking_id=tracking_id)
    try:
        counted = report_support(report=report, by=request.user)
    except ReportError as error:
        messages.error(request, error.message)
    else:
        if counted:
            messages.success(request, _("Terima kasih, dukungan Anda tercatat."))
        else:
            messages.info(request, _("Anda sudah mendukung laporan ini."))
    return redirect(report.get_absolute_url())


def attachment(request, tracking_id, pk):
    """Attachments are served through the report's visibility rule, never as public media."""
    report = get_object_or_404(policy.visible_reports(request.user), tracking_id=tracking_id)
    item = get_object_or_404(Attachment, report=report, pk=pk)
    try:
        return attachment_response(item, filename=f"lampiran-{item.pk}.{item.file.name.rsplit('.', 1)[-1]}",
                                   cache_control="private, max-age=3600")
    except OSError:
        raise Http404 from None


@require_GET
def regions(request):
    """The next step of the region cascade: ``?induk=63.72`` → its districts."""
    parent = request.GET.get("induk") or None
    # No code holds NUL (nor can PostgreSQL text): like any unknown region, not found.
    if parent is not None and ("\x00" in parent or not Region.objects.filter(code=parent).exists()):
        return JsonResponse({"error": _("Kode wilayah tidak dikenal.")}, status=404)  # JSON, as the script expects
    return JsonResponse({"regions": [{"code": c, "name": n} for c, n in region_options(parent)]})


@require_GET
def agency_suggestion(request):
    """The routing rules' suggestion for a category and region (for the report form)."""
    pk = request.GET.get("kategori", "")
    # ASCII digits only: "²" is a digit to Python but no number to the database.
    category = Category.objects.filter(pk=pk).first() if pk.isascii() and pk.isdigit() else None
    code = request.GET.get("wilayah") or ""
    region = Region.objects.filter(code=code).first() if code and "\x00" not in code else None
    agency = suggest_agency(category=category, region=region)
    return JsonResponse({"agency": {"id": agency.pk, "name": agency.name} if agency else None})

"""Agency compliance: the public ranking /kinerja/, one agency's units, the supervisors'
drill-down, exports, and the four-level service rating (the monthly report: bulanan.py)."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lapor.agencies.models import Agency, Role, zone_label
from lapor.reports import policy
from lapor.reports.errors import ReportError
from lapor.transparency import charts, exports, figures, ikm, services
from lapor.transparency import filters as filtering
from lapor.transparency import supervision as oversight
from lapor.transparency.models import IkmSurvey, Poll, ServiceLevel, ServiceRating


def _top_agencies():
    return Agency.objects.filter(parent__isnull=True, is_active=True)


def ranking_data(f, *, refresh: bool = False):
    return figures.cached("kinerja:" + f.cache_key,
                          lambda: figures.compliance(filtering.public_queryset(f), level="top"), refresh=refresh)


@require_GET
def ranking_page(request):
    f = filtering.parse(request.GET)
    rows = ranking_data(f)
    chart = charts.bar_chart(
        [(r.agency.name, round(r.on_time_share * 100, 1)) for r in rows if r.on_time_share is not None],
        title=_("Persentase tindak lanjut tepat waktu (≤ 5 hari kerja)"), suffix="%", max_value=100,
    )
    return render(request, "transparency/kinerja.html", {
        "filters": f, "choices": filtering.choices(), "rows": rows, "chart": chart, "query": f.querystring(),
    })


@require_GET
def ranking_export(request, fmt):
    f = filtering.parse(request.GET)
    if f.ignored:
        return exports.refused(f)
    rows = ranking_data(f)
    return exports.open_data_response(exports.COMPLIANCE_COLUMNS, exports.compliance_rows(rows), fmt,
                                  f"kinerja-{timezone.localdate().isoformat()}", "Kinerja")


@require_GET
def agency_page(request, slug):
    agency = get_object_or_404(Agency, slug=slug)  # out of service: its record stays readable
    f = filtering.parse(request.GET)
    units = figures.cached(f"kinerja:{agency.pk}:{f.cache_key}", lambda: figures.compliance(
        filtering.public_queryset(f), level="unit", within=agency))
    total = figures.cached(f"kinerja-total:{agency.pk}:{f.cache_key}", lambda: figures.compliance(
        filtering.public_queryset(f), level="top", within=agency))
    summary = next((r for r in total if r.agency.path == agency.path[:7]), None)
    surveys = IkmSurvey.objects.filter(agency__path__startswith=agency.path).select_related("agency")
    survey_results = [(s, ikm.survey_result(s.responses.all())) for s in surveys[:10]]
    polls = Poll.objects.filter(agency__path__startswith=agency.path)[:10]
    service_chart = ""
    if summary and summary.service_total:
        service_chart = charts.bar_chart(
            [(label, round(share * 100, 1)) for label, _n, share in summary.service_shares()],
            title=_("Penilaian layanan"), suffix="%", max_value=100)
    today = timezone.localdate()
    return render(request, "transparency/instansi.html", {
        "agency": agency, "units": units, "summary": summary, "service_chart": service_chart,
        "survey_results": survey_results, "polls": polls, "filters": f, "query": f.querystring(),
        "this_month": today.strftime("%Y-%m"), "today": today,
    })


def _supervisor_scope(user) -> list[Agency]:
    actor = policy.actor_for(user)
    if actor.has(Role.NATIONAL_ADMIN):
        return list(_top_agencies())
    if not actor.supervised:
        raise PermissionDenied
    return [a for a in Agency.objects.filter(path__in=actor.supervised)
            if not any(a.path != p and a.path.startswith(p) for p in actor.supervised)]


@login_required
@require_GET
def supervision_page(request):
    """Per unit, every report the supervisor may see (confidential ones included), and the
    overdue ones by name: the figures of /kantor/pengawasan/ for the same dates, by the
    same definition (``lapor.transparency.supervision``)."""
    scope = _supervisor_scope(request.user)
    f = filtering.parse(request.GET)
    actor = policy.actor_for(request.user)
    now = timezone.now()
    own = set(actor.paths(Role.SUPERVISOR))
    # One computation for the whole scope (a national admin oversees every government),
    # then each row to the government whose subtree holds it.
    rows = oversight.units(actor, f, within=scope, now=now)
    overdue = figures.overdue_per_subtree(oversight.reports(actor, f), scope, now=now)
    blocks = []
    for agency in scope:
        mine = [r for r in rows if r.agency.path.startswith(agency.path)]
        if not mine and not overdue[agency.pk] and agency.path in own:
            continue  # the supervisor's own office, with nothing to oversee in it
        blocks.append({"agency": agency, "rows": mine, "overdue": overdue[agency.pk]})
    return render(request, "transparency/pengawasan.html", {
        "blocks": blocks, "filters": f, "choices": filtering.choices(), "query": f.querystring(),
        "period": f, "period_zone": zone_label(settings.TIME_ZONE), "limit": settings.LAPOR_FIRST_ANSWER_DAYS,
    })


@login_required
def service_rating_page(request, tracking_id):
    """The reporter rates the agency's service on their report (one of four levels)."""
    report = get_object_or_404(policy.visible_reports(request.user), tracking_id=tracking_id)
    if not policy.is_reporter(policy.actor_for(request.user), report):
        # Its reporter's page alone: it shows the rating they gave, an anonymous one too.
        raise Http404
    levels, comment = request.POST.getlist("level"), request.POST.get("comment", "")
    chosen = levels[0] if len(levels) == 1 else ""  # one of the four, or none: never a guess
    if request.method == "POST":
        try:
            services.service_rating_give(report=report, by=request.user, level=chosen, comment=comment)
        except ValidationError as e:
            messages.error(request, " ".join(m for ms in e.message_dict.values() for m in ms))
        except ReportError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("Terima kasih atas penilaian Anda."))
            return redirect(report.get_absolute_url())
    rated = ServiceRating.objects.filter(report=report).first()
    return render(request, "transparency/nilai.html", {
        "report": report, "levels": ServiceLevel.choices, "rated": rated, "chosen": chosen, "comment": comment,
    }, status=400 if request.method == "POST" else 200)

"""Policy-opinion polls /opini/ and IKM satisfaction surveys."""
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from lapor.agencies.models import Agency
from lapor.reports.errors import ReportError
from lapor.transparency import charts, ikm, services
from lapor.transparency.models import IKM_ELEMENTS, IKM_SCORES, IkmResponse, IkmSurvey, Poll, PollAnswer


def _error_text(e: ValidationError) -> str:
    return " ".join(m for ms in e.message_dict.values() for m in ms)


def poll_list(request):
    now = timezone.now()
    polls = Poll.objects.select_related("agency").annotate(answers_count=Count("answers"))
    agency = None
    slug = request.GET.get("instansi") or ""
    if slug and "\x00" not in slug:  # no slug holds NUL (nor can PostgreSQL text): an unknown agency
        agency = Agency.objects.filter(slug=slug).first()
        if agency is not None:
            polls = polls.filter(agency__path__startswith=agency.path)
    polls = list(polls[:200])
    return render(request, "transparency/opini_list.html", {
        "open_polls": [p for p in polls if p.is_open_at(now)],
        "closed_polls": [p for p in polls if not p.is_open_at(now)],
        "agency": agency,
    })


def poll_results(poll: Poll):
    counts = dict(poll.answers.values_list("option_id").annotate(n=Count("id")).order_by())
    total = sum(counts.values())
    rows = [(o, counts.get(o.pk, 0), (counts.get(o.pk, 0) / total) if total else None) for o in poll.options.all()]
    return rows, total


def poll_detail(request, pk):
    poll = get_object_or_404(Poll.objects.select_related("agency"), pk=pk)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/akun/login/?next=/opini/{poll.pk}/")
        chosen = request.POST.get("option") or ""
        # An option is named by its id; anything else chooses none ("Pilih salah satu jawaban").
        option = poll.options.filter(pk=chosen).first() if chosen.isascii() and chosen.isdigit() else None
        try:
            services.poll_answer(poll=poll, option=option, by=request.user)
        except ValidationError as e:
            messages.error(request, _error_text(e))
        except ReportError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("Terima kasih, pendapat Anda tercatat."))
        return redirect(poll.get_absolute_url())
    rows, total = poll_results(poll)
    mine = None
    if request.user.is_authenticated:
        mine = PollAnswer.objects.filter(poll=poll, user=request.user).select_related("option").first()
    chart = charts.bar_chart([(o.text, round(share * 100, 1) if share is not None else 0) for o, _n, share in rows],
                             title=poll.question, suffix="%", max_value=100) if total else ""
    return render(request, "transparency/opini_detail.html", {
        "poll": poll, "rows": rows, "total": total, "mine": mine, "chart": chart,
        "is_open": poll.is_open_at(timezone.now()), "login_url": f"/akun/login/?next=/opini/{poll.pk}/",
    })


def survey_detail(request, pk):
    survey = get_object_or_404(IkmSurvey.objects.select_related("agency"), pk=pk)
    values = {}
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/akun/login/?next=/kinerja/survei/{survey.pk}/")
        values = {f"u{i}": request.POST.get(f"u{i}") for i in range(1, 10)}
        try:
            services.ikm_respond(survey=survey, by=request.user, scores=[values[f"u{i}"] for i in range(1, 10)])
        except ValidationError as e:
            messages.error(request, _error_text(e))
        except ReportError as e:
            messages.error(request, e.message)
        else:
            messages.success(request, _("Terima kasih, jawaban survei Anda tercatat."))
            return redirect(f"/kinerja/survei/{survey.pk}/")
    result = ikm.survey_result(survey.responses.all())
    answered = request.user.is_authenticated and IkmResponse.objects.filter(
        survey=survey, respondent=request.user).exists()
    elements = [(f"u{i}", str(name), result.element_means[i - 1] if result.respondents else None, values.get(f"u{i}"))
                for i, name in enumerate(IKM_ELEMENTS, start=1)]
    chart = charts.bar_chart([(name, mean) for _k, name, mean, _v in elements], title=_("Nilai rata-rata per unsur"),
                             max_value=4) if result.respondents else ""
    return render(request, "transparency/survei.html", {
        "survey": survey, "result": result, "elements": elements, "scores": IKM_SCORES, "chart": chart,
        "answered": answered, "is_open": survey.is_open_on(timezone.localdate()), "bands": ikm.BANDS,
        "login_url": f"/akun/login/?next=/kinerja/survei/{survey.pk}/",
    })

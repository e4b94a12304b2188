"""Back office (/kantor/opini/, /kantor/survei/): an agency admin publishes, edits and
closes opinion polls and opens and closes IKM surveys for their own agency tree.

Who: agency admins (their agency and its units), unit admins (their unit and below) and
the national admin (everywhere), the same people ``services._may_publish_for`` lets
publish. Officers and supervisors get 403: they publish nothing, and everything here but
the forms is on the public pages (/opini/, /kinerja/<agency>/). A poll or survey outside
the person's tree is a 404, whether or not it exists. The second factor is enforced for
/kantor/ by lapor.office.middleware before any of these views runs.
"""
from __future__ import annotations

from functools import reduce
from operator import or_

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lapor.agencies.models import Role
from lapor.core.forms import add_service_errors
from lapor.office.access import actor, role_required
from lapor.office.forms import agencies_under
from lapor.reports.errors import ReportError
from lapor.transparency import ikm, services
from lapor.transparency.models import IkmSurvey, Poll
from lapor.transparency.office_forms import PollForm, SurveyForm

LIST_LIMIT = 100

publisher_required = role_required(Role.AGENCY_ADMIN, Role.UNIT_ADMIN, Role.NATIONAL_ADMIN)


def _paths(request) -> tuple[str, ...]:
    a = actor(request)
    if a.has(Role.NATIONAL_ADMIN):
        return ("",)
    return a.paths(Role.AGENCY_ADMIN, Role.UNIT_ADMIN)


def _in_scope(request, qs):
    return qs.filter(reduce(or_, (Q(agency__path__startswith=p) for p in _paths(request)), Q(pk__in=[])))


# --- opinion polls ------------------------------------------------------------------------


@publisher_required
def poll_list(request):
    polls = (_in_scope(request, Poll.objects).select_related("agency").annotate(answers_count=Count("answers"))
             .order_by("-created_at", "-id")[:LIST_LIMIT])
    now = timezone.now()
    return render(request, "transparency/office/polls.html", {
        "rows": [(p, p.is_open_at(now)) for p in polls], "nav": "transparency", "sub": "polls",
    })


@publisher_required
def poll_create(request):
    form = PollForm(request.POST or None, agencies=agencies_under(_paths(request)))
    if request.method == "POST" and form.is_valid():
        agency = form.cleaned_data["agency"]
        try:
            poll = services.poll_publish(
                agency=agency, by=request.user, question=form.cleaned_data["question"],
                options=form.cleaned_data["options"], closes_at=form.closing_moment(agency),
                description=form.cleaned_data["description"])
        except ValidationError as e:
            add_service_errors(form, e)
        except ReportError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("Jajak pendapat “%(q)s” diterbitkan.") % {"q": poll.question})
            return redirect("transparency_office:polls")
    return render(request, "transparency/office/poll_form.html", {
        "form": form, "poll": None, "nav": "transparency", "sub": "polls",
    }, status=400 if form.is_bound else 200)


@publisher_required
def poll_edit(request, pk):
    poll = get_object_or_404(_in_scope(request, Poll.objects).select_related("agency"), pk=pk)
    answered = poll.answers.exists()
    form = PollForm(request.POST or None, poll=poll, answered=answered)
    if request.method == "POST" and form.is_valid():
        try:
            services.poll_update(
                poll=poll, by=request.user, question=form.cleaned_data["question"],
                options=form.cleaned_data["options"], closes_at=form.closing_moment(poll.agency),
                description=form.cleaned_data["description"])
        except ValidationError as e:
            add_service_errors(form, e)
        except ReportError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("Jajak pendapat “%(q)s” disimpan.") % {"q": poll.question})
            return redirect("transparency_office:polls")
    return render(request, "transparency/office/poll_form.html", {
        "form": form, "poll": poll, "answered": answered, "nav": "transparency", "sub": "polls",
    }, status=400 if form.is_bound else 200)


@require_POST
@publisher_required
def poll_close(request, pk):
    poll = get_object_or_404(_in_scope(request, Poll.objects).select_related("agency"), pk=pk)
    try:
        services.poll_close(poll=poll, by=request.user)
    except ReportError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Jajak pendapat “%(q)s” ditutup.") % {"q": poll.question})
    return redirect("transparency_office:polls")


# --- IKM surveys --------------------------------------------------------------------------


@publisher_required
def survey_list(request):
    surveys = (_in_scope(request, IkmSurvey.objects).select_related("agency")
               .order_by("-opens_on", "-id")[:LIST_LIMIT])
    today = timezone.localdate()
    return render(request, "transparency/office/surveys.html", {
        "rows": [(s, ikm.survey_result(s.responses.all()), s.is_open_on(today),
                  s.closed_at is None and s.closes_on >= today) for s in surveys],
        "nav": "transparency", "sub": "surveys",
    })


@publisher_required
def survey_create(request):
    form = SurveyForm(request.POST or None, agencies=agencies_under(_paths(request)))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            survey = services.ikm_survey_open(agency=d["agency"], by=request.user, title=d["title"],
                                              opens_on=d["opens_on"], closes_on=d["closes_on"])
        except ValidationError as e:
            add_service_errors(form, e)
        except ReportError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("Survei “%(title)s” dibuka.") % {"title": survey.title})
            return redirect("transparency_office:surveys")
    return render(request, "transparency/office/survey_form.html", {
        "form": form, "nav": "transparency", "sub": "surveys",
    }, status=400 if form.is_bound else 200)


@require_POST
@publisher_required
def survey_close(request, pk):
    survey = get_object_or_404(_in_scope(request, IkmSurvey.objects).select_related("agency"), pk=pk)
    try:
        services.ikm_survey_close(survey=survey, by=request.user)
    except ReportError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Survei “%(title)s” ditutup.") % {"title": survey.title})
    return redirect("transparency_office:surveys")

"""Who may enter the back office, and how a page fetches the report it shows.

Every /kantor/ page is for staff (a user with at least one ``Membership``); the second
factor is enforced before any of them by ``lapor.office.middleware``. Which reports and
which fields a staff member sees is decided by ``lapor.reports.policy`` alone.
"""
from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render

from lapor.agencies.models import Role
from lapor.reports import policy, references
from lapor.reports.models import Report


def actor(request) -> policy.Actor:
    return policy.actor_for(request.user)


def staff_required(view):
    """Signed-in staff only: others are sent to sign in, citizens get a plain 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not actor(request).is_staff_member:
            return render(request, "office/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def role_required(*roles):
    """Staff holding one of ``roles`` (the page's own scope checks still apply)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not any(actor(request).has(role) for role in roles):
                return render(request, "office/forbidden.html", status=403)
            return view(request, *args, **kwargs)

        return staff_required(wrapped)

    return decorator


def report_for(request, tracking_id: str, queryset=None) -> Report:
    """The report, if this person may see it; 404 otherwise, whether or not it exists,
    so that the back office never confirms a tracking ID to someone outside its scope."""
    # Category, region and agencies from the kept reference rows (lapor/reports/
    # references.py): joined with the people, the query cost ten times more to plan than to run.
    qs = Report.objects.select_related(
        "reporter", "reporter__profile", "filed_by", "duplicate_of",
    ) if queryset is None else queryset
    # Who may see it is decided in the query (visible_reports, can_view's twin), on the
    # agencies as they are now, not on the kept rows attached below.
    qs = policy.visible_reports(actor(request), qs).filter(tracking_id=tracking_id)
    report = next(iter(qs[:1]), None)  # tracking IDs are unique
    if report is None:
        raise Http404("Laporan tidak ditemukan.")
    return references.attach_one(report)


def manageable_paths(a: policy.Actor) -> tuple[str, ...]:
    """Agency subtrees this person administers in the back office: an agency admin their
    agencies; the national admin every agency (the empty prefix)."""
    if a.has(Role.NATIONAL_ADMIN):
        return ("",)
    return a.paths(Role.AGENCY_ADMIN)


def within(path: str, paths) -> bool:
    return any(path.startswith(p) for p in paths)

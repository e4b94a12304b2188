"""Follow and unfollow buttons (POST), and "Yang saya ikuti" (the citizen's follows)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lapor.following import present
from lapor.following.forms import FollowForm
from lapor.following.models import Follow
from lapor.following.selectors import follows_of, mine
from lapor.following.services import follow_create, follow_remove
from lapor.reports import policy
from lapor.reports.errors import ReportError


def _next(request, default: str = "/ikuti/") -> str:
    target = request.POST.get("next") or ""
    # A path on this site: the buttons send the page they are on. ("abc" would be taken by
    # ``redirect`` for the name of a view.)
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                                  require_https=request.is_secure()):
        return target
    return default


@require_POST
def follow(request):
    back = _next(request)
    if not request.user.is_authenticated:
        # After signing in the citizen lands on the page they were on and presses again.
        return redirect_to_login(back)
    form = FollowForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(back)
    try:
        _follow, created = follow_create(user=request.user, **form.target())
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except ReportError as error:
        messages.error(request, error.message)
    else:
        if created:
            messages.success(request, _("Anda mengikuti ini. Kabar barunya dikirim ke e-mail Anda; "
                                        "daftarnya ada di halaman Yang saya ikuti."))
        else:
            messages.info(request, _("Anda sudah mengikuti ini."))
    return redirect(back)


@require_POST
@login_required
def unfollow(request, pk):
    item = get_object_or_404(Follow, pk=pk, user_id__in=mine(request.user))
    follow_remove(user=request.user, follow=item)
    messages.success(request, _("Anda berhenti mengikuti ini."))
    return redirect(_next(request))


@login_required
def my_follows(request):
    actor = policy.actor_for(request.user)
    rows = []
    for item in follows_of(request.user):
        # A followed report that is no longer visible (made confidential, archived) keeps
        # its row, so it can be removed, but shows nothing of itself.
        hidden = item.report_id is not None and not policy.can_view(actor, item.report)
        rows.append({
            "follow": item,
            "label": _("Laporan yang tidak lagi dapat ditampilkan") if hidden else present.describe(item),
            "page_url": "" if hidden else present.page_url(item),
            "feed_url": "" if hidden else present.feed_url(item),
        })
    return render(request, "following/my_follows.html", {"rows": rows})

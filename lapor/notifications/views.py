"""The in-app notification centre at /notifikasi/: a person's own notifications only."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lapor.notifications import services
from lapor.notifications.forms import PreferenceForm
from lapor.notifications.selectors import in_app_notifications, reader_zone
from lapor.notifications.models import Preference
from lapor.reports import references


def _local(url: str) -> str:
    """A link stored for e-mail is absolute; on the site itself it stays on this host."""
    site = settings.LAPOR_SITE_URL
    return (url[len(site):] or "/") if url.startswith(site) else url


@login_required
def centre(request):
    notifications = in_app_notifications(request.user)
    page = Paginator(notifications, 30).get_page(request.GET.get("halaman"))
    own_zone = reader_zone(request.user)
    if own_zone is None:  # a report's zone is its agencies': kept rows, not a query each
        references.attach([n.report for n in page.object_list if n.report_id], agencies_only=True)
    for notification in page.object_list:
        # About a report: its page (where the policy decides what this person sees);
        # about something else (a SILAPAT alert): the page the message links to.
        notification.link = (notification.report.get_absolute_url() if notification.report_id
                             else _local(notification.url))
        # Each time in the reader's zone, named (WIB/WITA/WIT): a staff member's agency's;
        # a citizen's, the report's, as its page gives it; else the site's.
        notification.zone = own_zone or (notification.report.deadline_zone if notification.report_id
                                         else settings.TIME_ZONE)
    preference = Preference.objects.filter(user=request.user).first() or Preference(user=request.user)
    return render(request, "notifications/centre.html", {
        "page": page,
        "unread": notifications.filter(read_at__isnull=True).count(),
        "form": PreferenceForm(instance=preference),
    })


@login_required
@require_POST
def mark_read(request):
    wanted = request.POST.getlist("id")
    # Ids are whole numbers; anything else names no notification (and none means all of them).
    ids = [i for i in wanted if i.isascii() and i.isdigit() and len(i) < 19] if wanted else None
    services.notifications_mark_read(user=request.user, notification_ids=ids)
    return redirect("notifications:centre")


@login_required
@require_POST
def preferences(request):
    preference = Preference.objects.filter(user=request.user).first() or Preference(user=request.user)
    form = PreferenceForm(request.POST, instance=preference)
    if form.is_valid():
        form.save()
        messages.success(request, _("Preferensi notifikasi disimpan."))
    else:
        messages.error(request, _("Preferensi tidak dapat disimpan; periksa isian."))
    return redirect("notifications:centre")

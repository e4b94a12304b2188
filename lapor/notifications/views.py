"""The in-app notification centre at /notifikasi/: a person's own notifications only."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lapor.accounts import pseudonyms
from lapor.notifications import services
from lapor.notifications.forms import PreferenceForm
from lapor.notifications.models import Channel, Notification, Preference, Reason


def _local(url: str) -> str:
    """A link stored for e-mail is absolute; on the site itself it stays on this host."""
    site = settings.LAPOR_SITE_URL
    return (url[len(site):] or "/") if url.startswith(site) else url


@login_required
def centre(request):
    # What was said about the person's anonymous reports went to their stand-ins.
    notifications = Notification.objects.filter(
        pseudonyms.accounts_q(request.user, "recipient"), channel=Channel.IN_APP).select_related("report")
    if not getattr(settings, "LAPOR_SILAPAT_ENABLED", False):
        # SILAPAT switched off: nothing of it shows, not even its old alerts.
        notifications = notifications.exclude(reason=Reason.HARMONY_ALERT)
    page = Paginator(notifications, 30).get_page(request.GET.get("halaman"))
    for notification in page.object_list:
        # About a report: its page (where the policy decides what this person sees);
        # about something else (a SILAPAT alert): the page the message links to.
        notification.link = (notification.report.get_absolute_url() if notification.report_id
                             else _local(notification.url))
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

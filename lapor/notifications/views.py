"""The in-app notification centre at /notifikasi/: a person's own notifications only."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lapor.notifications import services
from lapor.notifications.forms import PreferenceForm
from lapor.notifications.models import Channel, Notification, Preference


@login_required
def centre(request):
    notifications = Notification.objects.filter(recipient=request.user, channel=Channel.IN_APP)
    page = Paginator(notifications, 30).get_page(request.GET.get("halaman"))
    preference = Preference.objects.filter(user=request.user).first() or Preference(user=request.user)
    return render(request, "notifications/centre.html", {
        "page": page,
        "unread": services.unread_count(request.user),
        "form": PreferenceForm(instance=preference),
    })


@login_required
@require_POST
def mark_read(request):
    ids = request.POST.getlist("id") or None
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

"""Webhook subscribers and their delivery log in the admin. An agency admin (staff flag
set) sees the subscribers of their own agency tree and what was sent to them, and may add
subscribers only for agencies of that tree: never another government's, never an
inspectorate's unless they administer it (its subscribers hear its whistle-blowing), and
never one that follows a person's account (a citizen's reports, confidential ones too)."""
from functools import reduce
from operator import or_

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from lapor.agencies.models import Agency, Role
from lapor.reports import policy
from lapor.webhooks.delivery import webhooks_replay
from lapor.webhooks.models import Delivery, Subscriber, new_secret


def _agency_paths(request):
    return policy.actor_for(request.user).paths(Role.AGENCY_ADMIN)


def _under(field: str, paths) -> Q:
    return reduce(or_, (Q(**{f"{field}path__startswith": p}) for p in paths), Q(pk__in=[]))


def _agencies_q(request, field: str = "") -> Q:
    """The agencies this admin manages (``field`` leads to one, e.g. ``"agency__"``): those in
    their agency-admin trees, an inspectorate's only where they hold the role inside it, as
    the office's own scope for whistle-blowing (lapor/reports/policy.py)."""
    actor = policy.actor_for(request.user)
    mine = _under(field, actor.paths(Role.AGENCY_ADMIN))
    if actor.inside_inspectorates is None:  # every role held already reaches inspectorates
        return mine
    in_inspectorate = _under(field, policy.inspectorate_paths())
    inside = _under(field, actor.inside_inspectorates.paths(Role.AGENCY_ADMIN))
    return mine & (~in_inspectorate | inside)


class _AgencyScoped:
    agency_field = "agency"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        if not _agency_paths(request):
            return qs.none()
        return qs.filter(_agencies_q(request, f"{self.agency_field}__"))

    def has_module_permission(self, request):
        return request.user.is_superuser or bool(_agency_paths(request))

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or bool(_agency_paths(request))


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ("created_at", "event", "status", "attempts", "last_status_code", "last_error", "delivered_at")
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-id"]


@admin.register(Subscriber)
class SubscriberAdmin(_AgencyScoped, admin.ModelAdmin):
    list_display = ("name", "url", "agency", "system", "is_active")
    raw_id_fields = ("system",)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # Following an account is the superuser's to set: an agency admin naming a citizen's
        # account here would receive every report that citizen files.
        return readonly if request.user.is_superuser else (*readonly, "system")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency" and not request.user.is_superuser:
            kwargs["queryset"] = Agency.objects.filter(_agencies_q(request)).order_by("path")
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "secret":  # one line, though stored as encrypted text
            kwargs["widget"] = forms.TextInput(attrs={"size": 60, "autocomplete": "off"})
            # A new subscriber starts with a generated key; to replace one, here is another.
            kwargs["help_text"] = format_lazy("{} {}", db_field.help_text, _(
                "Kunci acak yang dapat dipakai: %(secret)s") % {"secret": new_secret()})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Delivery)
class DeliveryAdmin(_AgencyScoped, admin.ModelAdmin):
    agency_field = "subscriber__agency"
    list_display = ("created_at", "subscriber", "event_at_local", "status", "attempts", "last_status_code",
                    "delivered_at")
    # Only the subscribers this admin may see (the log is scoped, so its filter is too).
    list_filter = ("status", ("subscriber", admin.RelatedOnlyFieldListFilter))
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ["send_again"]

    @admin.display(description=_("peristiwa"), ordering="event__at")
    def event_at_local(self, delivery):
        # ReportEvent's own str() writes its time in UTC, beside the log's local times.
        event = delivery.event
        return f"{event.report.tracking_id} {event.action} {timezone.localtime(event.at):%Y-%m-%d %H:%M}"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("subscriber", "event__report")

    @admin.action(description=_("Kirim ulang pengiriman yang gagal"), permissions=["resend"])
    def send_again(self, request, queryset):
        count = webhooks_replay(deliveries=queryset)
        self.message_user(request, ngettext(
            "%(count)d pengiriman gagal dijadwalkan untuk dikirim ulang.",
            "%(count)d pengiriman gagal dijadwalkan untuk dikirim ulang.", count) % {"count": count})

    def has_resend_permission(self, request):
        # Those who may manage the subscribers; the queryset is already their agency tree's.
        return request.user.has_perm("webhooks.change_subscriber")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

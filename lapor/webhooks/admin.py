"""Webhook subscribers and their delivery log in the admin. An agency admin (staff flag
set) sees the subscribers of their own agency tree and what was sent to them."""
from functools import reduce
from operator import or_

from django import forms
from django.contrib import admin
from django.db.models import Q

from lapor.agencies.models import Role
from lapor.reports import policy
from lapor.webhooks.models import Delivery, Subscriber


def _agency_paths(request):
    return policy.actor_for(request.user).paths(Role.AGENCY_ADMIN)


class _AgencyScoped:
    agency_field = "agency"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        paths = _agency_paths(request)
        if not paths:
            return qs.none()
        return qs.filter(reduce(or_, (Q(**{f"{self.agency_field}__path__startswith": p}) for p in paths)))

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

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "secret":  # one line, though stored as encrypted text
            kwargs["widget"] = forms.TextInput(attrs={"size": 60, "autocomplete": "off"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Delivery)
class DeliveryAdmin(_AgencyScoped, admin.ModelAdmin):
    agency_field = "subscriber__agency"
    list_display = ("created_at", "subscriber", "event", "status", "attempts", "last_status_code", "delivered_at")
    list_filter = ("status", "subscriber")
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

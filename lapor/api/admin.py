from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import TokenProxy

from lapor.api.models import ApiToken, ExternalReference
from lapor.api.tokens import new_key
from lapor.audit.admin import AuditedAdmin
from lapor.reports.admin import TrackingIdSearch


@admin.register(ExternalReference)
class ExternalReferenceAdmin(TrackingIdSearch, admin.ModelAdmin):
    list_display = ("external_id", "system", "report", "created_at")
    search_fields = ("external_id", "report__tracking_id")
    raw_id_fields = ("report",)


# DRF's clear-text tokens are not used (lapor/api/tokens.py): only ours are listed.
admin.site.unregister(TokenProxy)


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin, admin.ModelAdmin):
    """Keys for staff and connected systems (citizens get theirs by signing in through the
    API). The key is shown once, after saving; deleting a row revokes its key."""

    list_display = ("user", "label", "created_at", "by_password")
    list_filter = ("by_password",)
    search_fields = ("user__username", "user__full_name", "label")
    autocomplete_fields = ("user",)
    fields = ("user", "label", "created_at", "by_password")
    readonly_fields = ("created_at", "by_password")

    def get_readonly_fields(self, request, obj=None):
        return ("user", "created_at", "by_password") if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        key = None
        if not change:
            key, obj.digest = new_key()
            obj.created_at = timezone.now()
        super().save_model(request, obj, form, change)
        if key:
            messages.warning(request, _(
                "Token API untuk %(user)s: %(key)s — salin sekarang. Lapor tidak menyimpannya "
                "dan tidak dapat menampilkannya lagi."
            ) % {"user": obj.user, "key": key})

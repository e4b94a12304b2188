from django.contrib import admin
from django.utils import timezone

from lapor.disasters.models import Disaster


@admin.register(Disaster)
class DisasterAdmin(admin.ModelAdmin):
    """For the national admin; agency admins use /kantor/darurat/ (scoped to their region)."""

    list_display = ["title", "category", "region", "starts_at", "ends_at", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["title", "region__code", "region__name"]
    list_select_related = ["category", "region"]
    raw_id_fields = ["region"]
    readonly_fields = ["created_by", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        now = timezone.now()
        if not change:
            obj.created_by, obj.created_at = request.user, now
        obj.updated_at = now
        super().save_model(request, obj, form, change)

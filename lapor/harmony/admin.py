from django.contrib import admin

from lapor.audit.admin import AuditedAdmin
from lapor.harmony.models import (
    HarmonyAlert, HarmonyIncident, HarmonyOffice, HarmonyRole, HarmonyThreshold, HarmonyThresholdChange,
    HouseOfWorship, Population, ReligiousOrganization, VisitorCount,
)


@admin.register(HarmonyOffice)
class HarmonyOfficeAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["agency", "region"]
    raw_id_fields = ["region"]


@admin.register(HarmonyRole)
class HarmonyRoleAdmin(AuditedAdmin, admin.ModelAdmin):
    # Set in the back office (/kantor/silapat/penerima/); kept here for superusers.
    list_display = ["user", "role", "office", "added_at", "added_by"]
    list_filter = ["role", "office"]
    raw_id_fields = ["user"]
    readonly_fields = ["added_at", "added_by"]


@admin.register(HarmonyThreshold)
class HarmonyThresholdAdmin(AuditedAdmin, admin.ModelAdmin):
    # Set in the back office (/kantor/silapat/ambang/), where each change is recorded;
    # here they can be read, and superusers still correct them.
    list_display = ["name", "office", "scope", "min_level", "count", "days", "region", "is_active", "updated_by",
                    "updated_at"]
    list_filter = ["office", "is_active"]
    raw_id_fields = ["region"]
    readonly_fields = ["updated_by", "updated_at"]


@admin.register(HouseOfWorship)
class HouseOfWorshipAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "kind", "religion", "village"]
    list_filter = ["kind", "religion"]
    search_fields = ["name", "village__name"]
    raw_id_fields = ["village"]


@admin.register(ReligiousOrganization)
class ReligiousOrganizationAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "kind", "religion", "level", "region"]
    list_filter = ["kind", "religion", "level"]
    search_fields = ["name"]
    raw_id_fields = ["region"]


@admin.register(Population)
class PopulationAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["village", "year", "religion", "count"]
    list_filter = ["year", "religion"]
    raw_id_fields = ["village"]


@admin.register(HarmonyIncident)
class HarmonyIncidentAdmin(admin.ModelAdmin):
    # Read-only: incidents change through harmony_assess, reports through the lifecycle.
    list_display = ["report", "tension_kind", "level", "occurred_on", "district"]
    list_filter = ["level", "tension_kind", "office"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(HarmonyAlert)
class HarmonyAlertAdmin(admin.ModelAdmin):
    list_display = ["threshold", "region", "window_start", "incident_count", "max_level", "raised_at", "cleared_on"]
    list_filter = ["threshold__office"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(HarmonyThresholdChange)
class HarmonyThresholdChangeAdmin(admin.ModelAdmin):
    # Append-only: the record of who changed a threshold (lapor.harmony.thresholds).
    list_display = ["at", "threshold", "kind", "by", "values"]
    list_filter = ["kind", "threshold__office"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(VisitorCount)
class VisitorCountAdmin(admin.ModelAdmin):
    list_display = ["day", "count"]

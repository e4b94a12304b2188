from django.contrib import admin

from lapor.harmony.models import (
    HarmonyAlert, HarmonyAlertDelivery, HarmonyIncident, HarmonyOffice, HarmonyRole, HarmonyThreshold,
    HouseOfWorship, Population, ReligiousOrganization, VisitorCount,
)


@admin.register(HarmonyOffice)
class HarmonyOfficeAdmin(admin.ModelAdmin):
    list_display = ["agency", "region"]
    raw_id_fields = ["region"]


@admin.register(HarmonyRole)
class HarmonyRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "office"]
    list_filter = ["role", "office"]
    raw_id_fields = ["user"]


@admin.register(HarmonyThreshold)
class HarmonyThresholdAdmin(admin.ModelAdmin):
    list_display = ["name", "office", "scope", "min_level", "count", "days", "is_active"]
    list_filter = ["office", "is_active"]


@admin.register(HouseOfWorship)
class HouseOfWorshipAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "religion", "village"]
    list_filter = ["kind", "religion"]
    search_fields = ["name", "village__name"]
    raw_id_fields = ["village"]


@admin.register(ReligiousOrganization)
class ReligiousOrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "religion", "level", "region"]
    list_filter = ["kind", "religion", "level"]
    search_fields = ["name"]
    raw_id_fields = ["region"]


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
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


@admin.register(HarmonyAlertDelivery)
class HarmonyAlertDeliveryAdmin(admin.ModelAdmin):
    list_display = ["alert", "recipient", "role", "email_status", "attempts", "read_at"]
    list_filter = ["email_status"]


@admin.register(VisitorCount)
class VisitorCountAdmin(admin.ModelAdmin):
    list_display = ["day", "count"]

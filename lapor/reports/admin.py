from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from lapor.reports.models import Report, ReportEvent


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    fields = ["at", "action", "actor", "actor_role", "from_status", "to_status", "agency", "text", "is_internal"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["at", "id"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """Read-only: a report changes only through the lifecycle service (the back office),
    so that every change is an event with its actor and reason."""

    list_display = ["tracking_id", "title", "kind", "status", "assigned_agency", "created_at", "due_at"]
    list_filter = ["status", "kind", "channel", "is_confidential", "is_anonymous"]
    search_fields = ["tracking_id", "title"]
    date_hierarchy = "created_at"
    list_select_related = ["assigned_agency"]
    # The reporter is left out on purpose: anonymous reporters must not be identifiable here.
    exclude = ["reporter", "filed_by"]
    inlines = [ReportEventInline]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

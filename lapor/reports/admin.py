from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from lapor.audit.labels import role_label
from lapor.reports.models import Report, ReportEvent
from lapor.reports.policy import REPORTER_EVENT_ROLES

ANONYMOUS_REPORTER = _("Pelapor (anonim)")


def shown_person(report, user) -> str:
    """How the admin names a person next to ``report``: never the reporter (or the proxy
    who filed) of an anonymous report, whom only the identity custodian's recorded reveal
    may show (SPEC §5), not even to a superuser."""
    if user is None:
        return "—"
    if report is not None and report.is_anonymous and user.pk in (report.reporter_id, report.filed_by_id):
        return str(ANONYMOUS_REPORTER)
    return f"{user.get_username()} ({user})"


def names_anonymous_reporter(report, user_id) -> bool:
    return report is not None and report.is_anonymous and user_id in (report.reporter_id, report.filed_by_id)


class TrackingIdSearch:
    """A tracking ID is written "#123456" everywhere a person reads it (pages, e-mails, SMS):
    the admin's search finds it written either way."""

    def get_search_results(self, request, queryset, search_term):
        term = " ".join(word.lstrip("#") for word in search_term.split())
        return super().get_search_results(request, queryset, term)


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    fields = ["at", "action", "who", "role", "from_status", "to_status", "agency", "text", "is_internal"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["at", "id"]

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("oleh"))
    def who(self, event):
        # An entry written before the report was made anonymous keeps the person's own
        # account (docs/decisions/0005): the role it was recorded in tells it is theirs.
        if event.report.is_anonymous and event.actor_role in REPORTER_EVENT_ROLES:
            return str(ANONYMOUS_REPORTER)
        return shown_person(event.report, event.actor)

    @admin.display(description=_("sebagai"))
    def role(self, event):
        return role_label(event.actor_role) if event.actor_role else "—"


@admin.register(Report)
class ReportAdmin(TrackingIdSearch, admin.ModelAdmin):
    """Read-only: a report changes only through the lifecycle service (the back office),
    so that every change is an event with its actor and reason."""

    list_display = ["tracking_id", "title", "kind", "status", "assigned_agency", "created_at", "due"]
    list_filter = ["status", "kind", "channel", "is_confidential", "is_anonymous"]
    search_fields = ["tracking_id", "title"]
    date_hierarchy = "created_at"
    list_select_related = ["assigned_agency", "addressed_agency"]
    # The reporter is left out on purpose: anonymous reporters must not be identifiable here.
    exclude = ["reporter", "filed_by"]
    inlines = [ReportEventInline]
    show_full_result_count = False

    @admin.display(description=_("tenggat"), ordering="due_at")
    def due(self, report):
        # In the zone its deadline is counted in, named (as the report's pages give it).
        from lapor.core.templatetags.when import when

        return when(report.due_at, report.deadline_zone) or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from lapor.agencies.models import Agency, Membership, RoutingRule
from lapor.audit.admin import AuditedAdmin


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "time_zone", "sms_keyword", "is_inspectorate", "is_active"]
    list_filter = ["kind", "time_zone", "is_inspectorate", "is_active"]
    search_fields = ["name", "short_name", "slug", "sms_keyword"]
    autocomplete_fields = ["parent", "region"]
    filter_horizontal = ["supervises"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["parent"]
    # ``path`` order lists each agency right after its parent: the tree reads top to bottom.
    ordering = ["path"]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "slug", "kind", "parent", "region", "is_active"]}),
        (_("Layanan"), {"fields": ["time_zone", "sms_keyword", "is_inspectorate"]}),
        (_("Pengawasan"), {"fields": ["supervises"]}),
    ]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["user", "role", "agency"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__full_name", "agency__name", "agency__short_name"]
    autocomplete_fields = ["user", "agency"]
    list_select_related = ["user", "agency"]


@admin.register(RoutingRule)
class RoutingRuleAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["category", "region", "agency"]
    list_filter = [("category__parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["category__name", "region__code", "region__name", "agency__name"]
    autocomplete_fields = ["category", "region", "agency"]
    list_select_related = ["category__parent", "region", "agency"]

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.utils.translation import gettext_lazy as _

from lapor.audit.admin import AuditedAdmin
from lapor.categories.models import Category


class TopicFilter(admin.SimpleListFilter):
    """Lists a topic together with its sub-topics."""

    title = _("topik")
    parameter_name = "topik"

    def lookups(self, request, model_admin):
        return [(str(topic.pk), topic.name) for topic in Category.objects.filter(parent=None)]

    def queryset(self, request, queryset):
        if self.value():
            if not self.value().isdigit():  # an edited address: the list says so, not a 500
                raise IncorrectLookupParameters(self.value())
            return queryset.filter(pk=self.value()) | queryset.filter(parent_id=self.value())
        return queryset


class SubTopicInline(admin.TabularInline):
    model = Category
    fk_name = "parent"
    fields = ["name", "slug", "position", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    extra = 0
    verbose_name = _("sub-topik")
    verbose_name_plural = _("sub-topik")


@admin.register(Category)
class CategoryAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["name", "parent", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = [TopicFilter, "is_active"]
    search_fields = ["name", "slug", "parent__name"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["parent"]
    ordering = ["parent__position", "parent__name", "position", "name"]

    def get_inlines(self, request, obj):
        # Sub-topics are edited on their topic's page; a sub-topic has no children.
        return [SubTopicInline] if obj is None or obj.parent_id is None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = Category.objects.filter(parent=None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

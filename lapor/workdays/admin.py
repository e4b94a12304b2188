from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.utils.translation import gettext_lazy as _

from lapor.audit.admin import AuditedAdmin
from lapor.workdays.models import WorkdayOverride


class YearFilter(admin.SimpleListFilter):
    title = _("tahun")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("date", "year", order="DESC")
        return [(str(d.year), str(d.year)) for d in years]

    def queryset(self, request, queryset):
        if self.value():
            if not (self.value().isdigit() and 1 <= int(self.value()) <= 9999):  # an edited address: not a 500
                raise IncorrectLookupParameters(self.value())
            return queryset.filter(date__year=self.value())
        return queryset


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["date", "is_working_day", "note"]
    list_filter = [YearFilter, "is_working_day"]
    search_fields = ["note"]
    ordering = ["date"]

from django.contrib import admin

from lapor.audit.admin import AuditedAdmin
from lapor.office.models import AnswerTemplate


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(AuditedAdmin, admin.ModelAdmin):
    list_display = ["title", "agency", "updated_at"]
    search_fields = ["title", "body", "agency__name"]
    autocomplete_fields = ["agency"]
    list_select_related = ["agency"]

from django.contrib import admin

from lapor.api.models import ExternalReference


@admin.register(ExternalReference)
class ExternalReferenceAdmin(admin.ModelAdmin):
    list_display = ("external_id", "system", "report", "created_at")
    search_fields = ("external_id", "report__tracking_id")
    raw_id_fields = ("report",)

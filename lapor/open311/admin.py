from django.contrib import admin

from lapor.open311.models import Client


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ("name", "account", "is_active")
    readonly_fields = ("api_key",)
    raw_id_fields = ("account",)

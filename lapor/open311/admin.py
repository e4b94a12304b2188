from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lapor.open311.models import Client


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    """Open311 clients. Their api_key is shown once, when issued (only its keyed hash is
    kept); the action below issues a new one when a key is lost or leaked."""

    list_display = ("name", "account", "is_active")
    raw_id_fields = ("account",)
    actions = ["issue_new_keys"]

    def _show(self, request, client, key):
        messages.warning(request, _(
            "api_key untuk %(client)s: %(key)s — salin sekarang. Lapor tidak menyimpannya dan "
            "tidak dapat menampilkannya lagi."
        ) % {"client": client, "key": key})

    def save_model(self, request, obj, form, change):
        key = None if change else obj.issue_key()
        super().save_model(request, obj, form, change)
        if key:
            self._show(request, obj, key)

    @admin.action(description=gettext_lazy("Terbitkan api_key baru (yang lama tidak berlaku lagi)"))
    def issue_new_keys(self, request, queryset):
        for client in queryset:
            key = client.issue_key()
            client.save(update_fields=["key_digest"])
            self._show(request, client, key)

from django.contrib import admin

from lapor.sms.models import InboundSms


@admin.register(InboundSms)
class InboundSmsAdmin(admin.ModelAdmin):
    list_display = ("received_at", "outcome", "report", "reply")
    list_filter = ("outcome",)
    readonly_fields = [f.name for f in InboundSms._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

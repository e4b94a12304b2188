from django.contrib import admin
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lapor.reports.admin import TrackingIdSearch, names_anonymous_reporter, shown_person
from lapor.notifications.models import DeadlineAlert, Notification, Preference, Status


class DeliveryProblem(admin.SimpleListFilter):
    title = _("masalah pengiriman")
    parameter_name = "masalah"

    def lookups(self, request, model_admin):
        return [("gagal", _("Gagal (tidak dicoba lagi)")), ("mengulang", _("Sedang dicoba ulang"))]

    def queryset(self, request, queryset):
        if self.value() == "gagal":
            return queryset.filter(status=Status.FAILED)
        if self.value() == "mengulang":
            return queryset.filter(status=Status.PENDING, attempts__gt=0)
        return queryset


@admin.register(Notification)
class NotificationAdmin(TrackingIdSearch, admin.ModelAdmin):
    """Read-only: who was told what and whether it arrived. Failed and retrying e-mail/SMS
    are one filter away; "retry now" puts them back in the delivery queue."""

    list_display = ["created_at", "about", "to", "channel", "reason", "status", "attempts",
                    "next_attempt_at", "last_error_short"]
    list_filter = [DeliveryProblem, "status", "channel", "reason"]
    search_fields = ["report__tracking_id", "key", "recipient__username", "subject"]
    list_select_related = ["report", "recipient"]
    readonly_fields = [f.name for f in Notification._meta.fields if f.name != "recipient"] + ["to"]
    actions = ["retry_now"]

    # What the reporter of an anonymous report was told names them ("Yth. <name>") and
    # links them to the report: the row shows neither who nor what, and a search (which
    # could pair a username with a tracking ID) never finds it (SPEC §5).
    @admin.display(description=_("penerima"))
    def to(self, obj):
        return shown_person(obj.report, obj.recipient)

    def get_fields(self, request, obj=None):
        fields = [f for f in super().get_fields(request, obj) if f != "recipient"]
        if obj is not None and names_anonymous_reporter(obj.report, obj.recipient_id):
            fields = [f for f in fields if f not in ("body", "subject", "key")]
        return fields

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.strip():
            queryset = queryset.exclude(
                Q(report__is_anonymous=True) & (Q(recipient=F("report__reporter")) | Q(recipient=F("report__filed_by"))))
        return queryset, may_have_duplicates

    @admin.display(description=_("tentang"), ordering="report__tracking_id")
    def about(self, obj):
        # A report event's notification names its report; any other one its key
        # (e.g. "harmony-alert:12" for a SILAPAT early warning).
        return f"#{obj.report.tracking_id}" if obj.report_id else obj.key

    @admin.display(description=_("galat terakhir"))
    def last_error_short(self, obj):
        return obj.last_error[:80]

    @admin.action(description=_("Coba kirim ulang sekarang"))
    def retry_now(self, request, queryset):
        count = queryset.exclude(status=Status.SENT).exclude(channel="in_app").update(
            status=Status.PENDING, next_attempt_at=timezone.now(), attempts=0)
        self.message_user(request, _("%d notifikasi dijadwalkan ulang.") % count)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DeadlineAlert)
class DeadlineAlertAdmin(TrackingIdSearch, admin.ModelAdmin):
    list_display = ["at", "report", "kind", "deadline"]
    list_filter = ["kind"]
    search_fields = ["report__tracking_id"]
    readonly_fields = ["report", "kind", "deadline", "event", "at"]

    def has_add_permission(self, request):
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "language", "by_email", "by_sms"]
    raw_id_fields = ["user"]

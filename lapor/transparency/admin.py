from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from lapor.reports.admin import shown_person
from lapor.transparency.models import IkmSurvey, Poll, PollOption, ServiceRating


class PollOptionInline(admin.TabularInline):
    model = PollOption
    extra = 2


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin):
    list_display = ["question", "agency", "closes_at", "created_at"]
    list_filter = ["agency"]
    inlines = [PollOptionInline]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        # Polls made in the admin are stamped like those made through poll_publish.
        if not change:
            from django.utils import timezone

            obj.created_by, obj.created_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(IkmSurvey)
class IkmSurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "agency", "opens_on", "closes_on"]
    list_filter = ["agency"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            from django.utils import timezone

            obj.created_by, obj.created_at = request.user, timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(ServiceRating)
class ServiceRatingAdmin(admin.ModelAdmin):
    list_display = ["report", "agency", "level", "created_at"]
    list_filter = ["level", "agency"]
    # Ratings are the reporters' own words: readable, never edited by staff.
    readonly_fields = ["report", "agency", "rated_by", "level", "comment", "created_at"]
    exclude = ["user"]

    @admin.display(description=_("dinilai oleh"))
    def rated_by(self, rating):
        return shown_person(rating.report, rating.user)

    def has_add_permission(self, request):
        return False

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "lapor.reports"
    label = "reports"
    verbose_name = _("Laporan")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from django.urls import register_converter
        from django.urls.converters import get_converters

        from lapor.agencies.models import Agency
        from lapor.categories.models import Category
        from lapor.core import kept
        from lapor.regions.models import Region
        from lapor.reports.recalendar import on_calendar_corrected
        from lapor.reports.tracking import TrackingIdConverter
        from lapor.workdays.models import calendar_corrected

        # A corrected holiday calendar moves the deadlines counted over it.
        calendar_corrected.connect(on_calendar_corrected, dispatch_uid="lapor.reports.recalendar")
        # Pages kept in the cache name agencies, categories and regions (lapor/core/kept.py, generation).
        for model in (Agency, Category, Region):
            for signal in (post_save, post_delete):
                signal.connect(kept.changed_on_commit, sender=model, dispatch_uid=f"lapor.references.{model.__name__}")
        # Before any URLconf is read: the site's pages take tracking IDs as <tracking:…>.
        if "tracking" not in get_converters():
            register_converter(TrackingIdConverter, "tracking")

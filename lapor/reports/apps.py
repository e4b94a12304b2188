from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "lapor.reports"
    label = "reports"

    def ready(self):
        from django.urls import register_converter
        from django.urls.converters import get_converters

        from lapor.reports.recalendar import on_calendar_corrected
        from lapor.reports.tracking import TrackingIdConverter
        from lapor.workdays.models import calendar_corrected

        # A corrected holiday calendar moves the deadlines counted over it.
        calendar_corrected.connect(on_calendar_corrected, dispatch_uid="lapor.reports.recalendar")
        # Before any URLconf is read: the site's pages take tracking IDs as <tracking:…>.
        if "tracking" not in get_converters():
            register_converter(TrackingIdConverter, "tracking")

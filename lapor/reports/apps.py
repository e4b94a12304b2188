from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "lapor.reports"
    label = "reports"

    def ready(self):
        from lapor.reports.recalendar import on_calendar_corrected
        from lapor.workdays.models import calendar_corrected

        # A corrected holiday calendar moves the deadlines counted over it.
        calendar_corrected.connect(on_calendar_corrected, dispatch_uid="lapor.reports.recalendar")

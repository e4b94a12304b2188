"""Labels of choices (lapor/core/choices.py): what Django's own get_<field>_display says,
in the language of the request."""
from django.db import models
from django.utils import translation

from lapor.reports.enums import Action, Kind, Status
from lapor.reports.models import Report, ReportEvent


def test_every_status_kind_and_action_label_is_djangos_in_both_languages():
    for language in ("id", "en"):
        with translation.override(language):
            for status in [*Status.values, "tidak-dikenal", ""]:
                report = Report(status=status)
                assert report.get_status_display() == models.Model._get_FIELD_display(
                    report, Report._meta.get_field("status"))
            for kind in Kind.values:
                assert Report(kind=kind).get_kind_display() == Kind(kind).label
            for action in Action.values:
                assert ReportEvent(action=action).get_action_display() == Action(action).label


def test_a_label_follows_the_language_it_is_shown_in():
    report = Report(status=Status.CLOSED)
    with translation.override("id"):
        indonesian = report.get_status_display()
    with translation.override("en"):
        english = report.get_status_display()
    assert indonesian != english and isinstance(english, str)

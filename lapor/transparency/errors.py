"""Domain errors of transparency writes (polls, surveys, ratings); edges show ``message``."""
from lapor.reports.errors import ReportError


class AlreadyAnswered(ReportError):
    """This person already answered this poll or survey, or rated this report."""

    code = "already_answered"


class NotOpen(ReportError):
    """The poll or survey is closed (or not open yet)."""

    code = "not_open"

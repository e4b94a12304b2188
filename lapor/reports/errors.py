"""Domain errors of the report lifecycle. Services raise these; edges turn them into
form errors, 400/403 answers or SMS replies. Messages are for the user, in their language."""
from django.utils.translation import gettext_lazy as _


class ReportError(Exception):
    """Base of lifecycle errors; ``message`` is safe to show to the user."""

    code = "report_error"

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class TransitionNotAllowed(ReportError):
    """The report's status does not allow this action (whoever asks)."""

    code = "illegal_transition"


class ActionForbidden(ReportError):
    """This person may not take this action on this report."""

    code = "forbidden"


class DraftNotPending(TransitionNotAllowed):
    """The answer draft was approved, returned or overtaken since the page was drawn."""

    code = "draft_not_pending"


class ReportNotFound(ReportError):
    """No such report, or one the person may not see (the two are not told apart)."""

    code = "not_found"

    def __init__(self, message=None):
        super().__init__(message or _("Laporan tidak ditemukan."))


class OverQuota(ReportError):
    """This account filed as many reports as it may lately (lapor/reports/quota.py);
    ``retry_at``: when it may file again."""

    code = "over_quota"

    def __init__(self, retry_at):
        from lapor.reports.quota import limit_message

        super().__init__(limit_message(retry_at))
        self.retry_at = retry_at

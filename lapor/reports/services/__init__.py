"""The report lifecycle (SPEC §4): the only code that changes a report's status.

Every channel (web, API, SMS, Open311, import) and every screen, command and task calls
these functions. Each one:

- locks the report row, checks the status allows the action and that ``by`` may take it
  (``lapor.reports.policy.role_for``), raising ``TransitionNotAllowed``/``ActionForbidden``;
- validates its input, raising ``django.core.exceptions.ValidationError`` with messages
  per field;
- changes the report, stores the deadline of whatever it now waits for, and appends one
  ``ReportEvent`` (who, in which role, from which status to which, why);
- does all of that in one transaction: on any error nothing is written.

What they decide is stored by a writer (``lapor.reports.writing``): at once by default,
or, for the bulk import, collected per chunk and written with multi-row INSERTs. The
rules above are the same code either way.

``now`` defaults to the current time; commands and tests may pass another instant.

The services live in submodules by stage (``submission``, ``routing``, ``answers``,
``people``) over what they share (``_core``); every caller imports them from here."""
from __future__ import annotations

from lapor.reports.services._core import (
    _authorize, _lock, _record, _required, ADDRESS_LENGTH, ANONYMITY_STAYS, blank, BODY_LENGTH,
    confidential_by_reporter, CONFIDENTIALITY_STAYS, EARLIEST_INCIDENT, incident_date_error, LATEST_ZONE, LATITUDE_RANGE, location_error, LONGITUDE_RANGE,
)
from lapor.reports.services.submission import (
    report_submit,
)
from lapor.reports.services.routing import (
    report_archive, report_complete, report_dispose, report_mark_duplicate, report_not_our_authority,
    report_postpone, report_return, report_transfer, report_verify,
)
from lapor.reports.services.answers import (
    AnswerSuperseded, report_answer, report_answer_imported, report_auto_close, report_close,
    report_expire_return, report_rate, report_reopen, report_reply, reports_auto_close, reports_expire_return,
    RESENT_WITHIN,
)
from lapor.reports.services.people import (
    report_add_note, report_reveal_identity, report_set_flags, report_support, reporter_identity,
)

__all__ = [
    "_authorize", "_lock", "_record", "_required", "ADDRESS_LENGTH", "ANONYMITY_STAYS", "blank", "BODY_LENGTH",
    "confidential_by_reporter", "CONFIDENTIALITY_STAYS", "EARLIEST_INCIDENT", "incident_date_error", "LATEST_ZONE", "LATITUDE_RANGE", "location_error",
    "LONGITUDE_RANGE", "report_submit", "report_archive", "report_complete", "report_dispose",
    "report_mark_duplicate", "report_not_our_authority", "report_postpone", "report_return", "report_transfer",
    "report_verify", "AnswerSuperseded", "report_answer", "report_answer_imported", "report_auto_close",
    "report_close", "report_expire_return", "report_rate", "report_reopen", "report_reply",
    "reports_auto_close", "reports_expire_return", "RESENT_WITHIN", "report_add_note", "report_reveal_identity",
    "report_set_flags", "report_support", "reporter_identity",
]

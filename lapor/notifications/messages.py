"""The words of a notification, in the recipient's language (Indonesian or English).

Staff messages carry the tracking ID, title, agency, deadline and a link, never the
reporter's identity or free text (SPEC §5: an anonymous reporter must not be revealed,
and the link leads to the report where the policy decides what each person sees).
Reporter messages also carry the text of the history entry they can read anyway (the
answer, what is missing, why it was closed).
"""
from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.dateparse import parse_datetime

from lapor.accounts import pseudonyms
from lapor.agencies.models import zone_label
from lapor.notifications.models import Language, Reason
from lapor.notifications.recipients import Recipient
from lapor.reports import policy
from lapor.reports.enums import Action, ArchiveReason, Status
from lapor.reports.models import ReportEvent

# Messages word some statuses and actions more fully than the UI's short English labels
# (the catalogue's): these are the messages' own. Anything not listed here (a postponement,
# say) takes the catalogue's English, never the bare code.
STATUS_EN = {
    Status.SUBMITTED: "Awaiting verification",
    Status.RETURNED: "Returned for completion",
    Status.POSTPONED: "Postponed",
    Status.DISPATCHED: "Dispatched to the agency",
    Status.IN_PROGRESS: "Answered",
    Status.CLOSED: "Closed",
    Status.ARCHIVED: "Archived",
}


def _status_en(report) -> str:
    if report.awaiting_transfer:
        return "Awaiting transfer"  # Report.status_label: back with the router
    return STATUS_EN.get(report.status) or report.status_label


ACTION_EN = {
    Action.SUBMIT: "Report received",
    Action.VERIFY: "Verified and dispatched",
    Action.RETURN: "Returned to the reporter",
    Action.COMPLETE: "Completed by the reporter",
    Action.ARCHIVE: "Archived",
    Action.MARK_DUPLICATE: "Marked as a duplicate",
    Action.DISPOSE: "Forwarded to a unit",
    Action.NOT_OUR_AUTHORITY: "Not this agency's authority",
    Action.TRANSFER: "Transferred to another agency",
    Action.ANSWER: "Follow-up",
    Action.REPLY: "Reporter's reply",
    Action.RATE: "Rated by the reporter",
    Action.CLOSE: "Closed",
    Action.AUTO_CLOSE: "Closed automatically",
    Action.EXPIRE_RETURN: "Archived: never completed",
    Action.REOPEN: "Reopened",
    Action.REMIND: "Deadline reminder",
    Action.ESCALATE: "Escalated to supervisors",
    Action.OUTER_LIMIT_WARNING: "60-day limit warning",
    Action.MOVE_DEADLINE: "Deadline moved by a working-day correction",
    Action.SET_FLAGS: "Report privacy changed",
    Action.DRAFT_ANSWER: "Draft follow-up submitted for approval",
    Action.RETURN_DRAFT: "Draft follow-up sent back to the officer",
}


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    sms: str
    url: str


STAFF_REASONS = {Reason.NEW_WORK, Reason.REMINDER, Reason.ESCALATION, Reason.OUTER_LIMIT}


def language_of(user) -> str:
    preference = getattr(user, "notification_preference", None)
    return preference.language if preference is not None else Language.INDONESIAN


def compose(event: ReportEvent, recipient: Recipient, language: str) -> Message:
    if recipient.reason == Reason.FOLLOWING:
        return compose_following(event, language)
    report = event.report
    english = language == Language.ENGLISH
    deadline = _deadline(event, report)
    # The zone its page gives the deadline in (a new report's: the addressed agency's).
    zone = event.data.get("zone") or report.deadline_zone
    with translation.override(language):
        context = {
            "reason": recipient.reason,
            "reasons": Reason,
            "for_reporter": recipient.is_reporter,
            # Never a name on what is stored for an anonymous report's stand-in.
            "name": recipient.user.display_name if recipient.is_reporter and not recipient.user.is_pseudonym else "",
            "tracking_id": report.tracking_id,
            "title": report.title,
            "status": _status_en(report) if english else report.status_label,
            "action": (ACTION_EN.get(event.action) if english else None) or event.get_action_display(),
            # What the reporter may do next by SMS (LENGKAPI, PUAS, BALAS: lapor/sms/inbound.py).
            "returned": report.status == Status.RETURNED,
            "who": policy.event_actor_label(recipient.user, report, event),
            "agency": report.assigned_agency.name if report.assigned_agency_id else (
                report.addressed_agency.name if report.addressed_agency_id else ""),
            # Free text only to the reporter, and only what their history shows them.
            "text": event.text if recipient.is_reporter and not event.is_internal else "",
            "deadline": _format(deadline, zone, english) if deadline else "",
            # Staff are sent to where they act on it (the workspace), the reporter to its page.
            "url": settings.LAPOR_SITE_URL + (
                reverse("office:report", args=[report.tracking_id])
                if recipient.reason in STAFF_REASONS and not recipient.is_reporter  # a reporter's reminder: complete it
                else report.get_absolute_url()),
            **_duplicate_context(event, recipient),
            **_proxy_context(event, recipient),
        }
        subject = " ".join(render_to_string(f"notifications/email/{language}/subject.txt", context).split())
        body = render_to_string(f"notifications/email/{language}/body.txt", context).strip()
        sms = " ".join(render_to_string(f"notifications/sms/{language}.txt", context).split())
    return Message(subject=subject[:200], body=body, sms=sms, url=context["url"])


def compose_following(event: ReportEvent, language: str) -> Message:
    """News for a follower (lapor/following): like staff messages, only what the public
    page shows (tracking ID, title, category, region, agency) and a link; never the
    reporter or any free text, so an anonymous reporter cannot leak through it."""
    report = event.report
    gettext = translation.gettext
    url = settings.LAPOR_SITE_URL + report.get_absolute_url()
    with translation.override(language):
        names = {"id": report.tracking_id, "title": report.title}
        facts = []
        if report.category_id:
            facts.append(gettext("Kategori: %(name)s") % {"name": report.category.name})
        if report.region_id:
            facts.append(gettext("Wilayah: %(name)s") % {"name": report.region.name})
        if report.assigned_agency_id:
            facts.append(gettext("Ditangani oleh: %(name)s") % {"name": report.assigned_agency.name})
        if event.action == Action.ANSWER:
            subject = gettext("[Lapor #%(id)s] Tindak lanjut pada laporan yang Anda ikuti") % names
            lead = gettext("Ada tindak lanjut dari instansi pada laporan #%(id)s “%(title)s”, yang Anda ikuti "
                           "(laporannya sendiri, atau wilayah/kategorinya).") % names
            # No link in an SMS (as in the reporter's): a phone-only citizen has no browser.
            sms = gettext("LAPOR #%(id)s: ada tindak lanjut pada laporan yang Anda ikuti. "
                          "Cek status: kirim CEK %(id)s ke 1708.")
        else:
            subject = gettext("[Lapor #%(id)s] Laporan baru yang Anda ikuti: %(title)s") % names
            lead = gettext("Laporan baru terbit di wilayah, area peta, atau kategori yang Anda ikuti: "
                           "#%(id)s “%(title)s”.") % names
            sms = gettext("LAPOR #%(id)s: laporan baru di wilayah/kategori yang Anda ikuti. "
                          "Cek status: kirim CEK %(id)s ke 1708.")
        body = "\n\n".join([
            lead,
            *([" · ".join(facts)] if facts else []),
            gettext("Lihat laporan: %(url)s") % {"url": url},
            "--\n" + gettext("Lapor — pesan otomatis; mohon tidak membalas e-mail ini.") + "\n"
            + gettext("Berhenti mengikuti di halaman Yang saya ikuti: %(url)s")
            % {"url": settings.LAPOR_SITE_URL + "/ikuti/"},
        ])
        sms = sms % {"id": report.tracking_id}
    return Message(subject=" ".join(subject.split())[:200], body=body, sms=sms, url=url)


def _duplicate_context(event: ReportEvent, recipient: Recipient) -> dict:
    """Where the reporter of a report marked as a duplicate goes on: the original, named
    and linked where the person may see it (``policy.visible_original``, as the report's
    page and SMS ``CEK`` decide), else only that the problem
    is handled in another, confidential report."""
    report = event.report
    if (event.action != Action.MARK_DUPLICATE or not recipient.is_reporter
            or report.archive_reason != ArchiveReason.DUPLICATE or not report.duplicate_of_id):
        return {"duplicate": False}
    # The person's view, not the stand-in's: the account an anonymous report's reporter
    # signs in with, texts CEK from, and reads the original's answers on.
    original = policy.visible_original(pseudonyms.person(recipient.user), report)
    if original is None:
        return {"duplicate": True, "original": ""}
    return {"duplicate": True, "original": original.tracking_id,
            "original_url": settings.LAPOR_SITE_URL + original.get_absolute_url()}


def _proxy_context(event: ReportEvent, recipient: Recipient) -> dict:
    """A resident's receipt of a report their RT/RW filed for them (SPEC §2) says so, so a
    report they never asked for does not go unnoticed. The RT/RW by the name people read,
    never a NIK or number; not on an anonymous report, whose stored messages name nobody
    (its RT/RW is a stand-in too: lapor/accounts/pseudonyms.py)."""
    report = event.report
    if (event.action != Action.SUBMIT or not recipient.is_reporter or not report.filed_by_id
            or recipient.user.pk == report.filed_by_id):
        return {"filed_by_proxy": False}
    return {"filed_by_proxy": True, "proxy": "" if report.is_anonymous else report.filed_by.display_name}


def render_html(*, subject: str, body: str, url: str, language: str, about_report: bool = True,
                button: str = "") -> str:
    """Every notification e-mail's HTML part: the text, and one button to ``url``. The
    button says ``button`` when given (already in ``language``); else "see the report"
    (``about_report``) or "open the page" (a SILAPAT alert, a digest)."""
    return render_to_string(f"notifications/email/{language}/body.html",
                            {"subject": subject, "body": body, "url": url, "about_report": about_report,
                             "button": button})


def _deadline(event: ReportEvent, report):
    raw = event.data.get("deadline")
    if raw:
        return parse_datetime(raw)
    if event.to_status in (Status.SUBMITTED, Status.DISPATCHED, Status.RETURNED) and report.status == event.to_status:
        return report.due_at
    return None


def _format(moment, zone: str, english: bool) -> str:
    local = moment.astimezone(ZoneInfo(zone))
    months_id = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
                 "Oktober", "November", "Desember"]
    months_en = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                 "October", "November", "December"]
    month = (months_en if english else months_id)[local.month - 1]
    return f"{local.day} {month} {local.year} {local:%H:%M} {zone_label(zone)}"

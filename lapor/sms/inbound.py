"""What an incoming SMS to 1708 does (SPEC §7), independent of the gateway.

- ``<KEYWORD> <text>`` files a report addressed to the agency whose ``sms_keyword`` it is
  (case and extra spaces ignored); the reply carries the tracking ID and the date by which
  an answer is due if every desk keeps its time limit.
- ``CEK <tracking id>`` answers with the status and the last follow-up, to whoever may see
  the report as a citizen (``policy.can_view``, no staff rights: a number is no second
  factor): the public for published reports, and only the reporter's own number for
  confidential or not yet verified ones.
- the reporter's own moves, from the number that filed the report (or the number on the
  account it was filed with): ``LENGKAPI <id> <text>`` completes a returned report,
  ``BALAS <id> <text>`` answers a follow-up they are not satisfied with, ``PUAS <id>
  [comment]`` accepts it (the report closes), ``BUKA <id> <reason>`` reopens a closed one.
  The same lifecycle services as the web and the app decide; a report the number may not
  see reads "not found", as with CEK.
- anything else (unknown keyword, a keyword with no words after it, an empty message) gets a short
  help text.

A number that filed too many reports lately, or sent too many messages of any kind,
gets one reply saying when it may send again and then silence (``lapor/sms/limits.py``).

Each message is acted on once: ``receive_sms`` records it in ``InboundSms`` in the same
transaction as its effect, and a repeated delivery returns the first reply unchanged.
Replies are plain ASCII (GSM 7-bit) so each part carries 153–160 characters.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation

from lapor.accounts.phone import normalize_phone
from lapor.agencies.models import Agency, normalize_keyword
from lapor.core.crypto import lookup_hash
from lapor.portal.deadlines import in_zone  # the day as the report's page gives it
from lapor.reports import policy, services
from lapor.reports.enums import ArchiveReason, Channel, Status
from lapor.reports.errors import ReportError
from lapor.reports.models import Report
from lapor.reports.tracking import is_valid_tracking_id, normalize_tracking_id
from lapor.sms import limits
from lapor.sms.models import InboundSms
from lapor.sms.reporters import find_phone_reporter, phone_reporter
from lapor.workdays.calendar import deadline_for

CHECK_WORD = "CEK"
# Every reply is Indonesian (GSM 7-bit, 1708's own words): the labels and the services'
# messages inside one must be too, whatever language the request carries. A CEK asked
# with "Accept-Language: en" answered "Laporan 123456789: Awaiting verification."
REPLY_LANGUAGE = "id"
TITLE_LENGTH = 80
# Kannel joins up to this many parts into one reply (sms-service max-messages = 3).
MAX_REPLY = 3 * 153


@dataclass(frozen=True)
class Outcome:
    kind: str
    reply: str
    report: Report | None = None


def receive_sms(
    *, sender: str, text: str, gateway_id: str = "", timestamp: str = "", now: datetime.datetime | None = None
) -> InboundSms:
    """Act on one incoming SMS and return its record (with ``reply`` to send back).

    Side effects: possibly a phone-only reporter account and a report (channel ``sms``);
    always one ``InboundSms`` row. A message already received (same gateway id, or same
    sender, text and SMSC timestamp) changes nothing and returns the first record.
    """
    now = now or timezone.now()
    # NUL never belongs in an SMS (and PostgreSQL text cannot store it).
    text = " ".join((text or "").replace("\x00", "").split())
    try:
        phone = normalize_phone((sender or "").replace("\x00", ""))
    except ValidationError:
        phone = ""
    sender_key = phone or (sender or "").replace("\x00", "").strip()
    # Keyed: a plain hash of the number, the text (stored beside it) and the timestamp
    # would let anyone holding the table confirm a guessed number by hashing it again.
    fingerprint = lookup_hash(f"sms-fingerprint:{sender_key}\n{text}\n{timestamp}") if timestamp else None
    gateway_id = (gateway_id or "").replace("\x00", "").strip()[:100] or None
    with transaction.atomic():
        try:
            with transaction.atomic():
                # Claim the message first: a concurrent copy waits here on the unique index
                # and then fails, instead of acting a second time.
                record = InboundSms.objects.create(
                    gateway_id=gateway_id, fingerprint=fingerprint, sender_hash=lookup_hash(sender_key),
                    text=text, received_at=now, outcome=InboundSms.Outcome.HELP,
                )
        except IntegrityError:
            duplicate = Q(pk__in=[])
            if gateway_id:
                duplicate |= Q(gateway_id=gateway_id)
            if fingerprint:
                duplicate |= Q(fingerprint=fingerprint)
            return InboundSms.objects.filter(duplicate).get()
        with translation.override(REPLY_LANGUAGE):
            outcome = (_over_message_limit(record=record, now=now)
                       or _act(phone=phone, text=text, now=now, record=record))
        record.outcome, record.reply, record.report = outcome.kind, outcome.reply, outcome.report
        record.save(update_fields=["outcome", "reply", "report"])
    return record


def _act(*, phone: str, text: str, now: datetime.datetime, record: InboundSms) -> Outcome:
    if not phone:
        return Outcome(InboundSms.Outcome.REFUSED, "Maaf, layanan SMS 1708 hanya untuk nomor Indonesia.")
    first, rest = _first_word(text)
    word = normalize_keyword(first)
    if word == CHECK_WORD:
        return _check(phone=phone, raw_id=rest)
    if word in REPORTER_COMMANDS:
        return _reporter_command(word, phone=phone, rest=rest, now=now)
    agency = Agency.objects.filter(sms_keyword=word, is_active=True).first() if word else None
    if agency is None or not _has_words(rest):
        return Outcome(InboundSms.Outcome.HELP, help_text(keyword=agency.sms_keyword if agency else None))
    return _over_report_limit(record=record, now=now) or _file_report(phone=phone, agency=agency, text=rest.strip(),
                                                                      now=now)


# Between the command word and the rest, people type a comma, a colon or a full stop as
# often as a space ("BANJAR, jalan rusak", "Cek: 123456789").
_FIRST_WORD = re.compile(r"([^\s,.:;]*)[\s,.:;]*(.*)", re.DOTALL)


def _first_word(text: str) -> tuple[str, str]:
    first, rest = _FIRST_WORD.match(text).groups()
    return first, rest


def _has_words(text: str) -> bool:
    # A report needs something a desk can read: "BANJAR 👍" or "BANJAR ..." asks for the text.
    return any(ch.isalnum() for ch in text)


def _over_message_limit(*, record: InboundSms, now: datetime.datetime) -> Outcome | None:
    """Too many messages of any kind from this number in the last hour: not acted on, one
    reply saying when it may send again, then silence (lapor/sms/limits.py)."""
    until = limits.messages_retry_at(sender_hash=record.sender_hash, now=now, current=record)
    if until is None:
        return None
    answered = limits.last_received(sender_hash=record.sender_hash, current=record, outcomes=[
        InboundSms.Outcome.REPORT, InboundSms.Outcome.CHECK, InboundSms.Outcome.HELP, InboundSms.Outcome.REFUSED])
    if limits.already_told(sender_hash=record.sender_hash, since=answered, current=record):
        return Outcome(InboundSms.Outcome.LIMITED, "")
    return Outcome(InboundSms.Outcome.LIMITED, _ascii(
        f"Maaf, terlalu banyak SMS dari nomor ini. Kirim lagi setelah {_moment(until)}. "
        "Sebelum itu SMS tidak diproses dan tidak dibalas."
    ))


def _over_report_limit(*, record: InboundSms, now: datetime.datetime) -> Outcome | None:
    """This number filed as many reports as it may for now: the report is not filed (its
    text stays in the record), one reply says from when, later ones get none."""
    until = limits.reports_retry_at(sender_hash=record.sender_hash, now=now)
    if until is None:
        return None
    filed = limits.last_received(sender_hash=record.sender_hash, current=record, outcomes=[InboundSms.Outcome.REPORT])
    if limits.already_told(sender_hash=record.sender_hash, since=filed, current=record):
        return Outcome(InboundSms.Outcome.LIMITED, "")
    return Outcome(InboundSms.Outcome.LIMITED, _ascii(
        f"Maaf, batas laporan dari nomor ini tercapai. Kirim laporan lagi setelah {_moment(until)}. "
        "Sebelum itu laporan tidak diproses. CEK tetap dijawab."
    ))


def _moment(when: datetime.datetime) -> str:
    # Short: each of these replies must fit in one SMS (160 characters).
    local = timezone.localtime(when)
    return f"{local:%H:%M} {local.tzname()} {local:%d-%m-%Y}"


def _file_report(*, phone: str, agency: Agency, text: str, now: datetime.datetime) -> Outcome:
    reporter = phone_reporter(phone)
    title = text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 3].rsplit(" ", 1)[0] + "..."
    report = services.report_submit(
        reporter=reporter, title=title, body=text, addressed_agency=agency, region=agency.region,
        channel=Channel.SMS, now=now,
    )
    answer_by = expected_answer_by(report)
    reply = (
        f"Laporan diterima, nomor {report.tracking_id}. "
        f"Jawaban {agency.short_name or agency.name} paling lambat {answer_by:%d-%m-%Y}. "
        f"Cek status: kirim CEK {report.tracking_id} ke 1708."
    )
    return Outcome(InboundSms.Outcome.REPORT, _ascii(reply)[:MAX_REPLY], report)


def expected_answer_by(report: Report) -> datetime.datetime:
    """When the reporter can expect an answer if every desk keeps its limit: the
    verification deadline plus the agency's days for a first answer, in its zone."""
    zone = report.addressed_agency.time_zone if report.addressed_agency_id else settings.LAPOR_DEFAULT_ZONE
    if report.status in Status.waiting_for_router() and report.due_at:
        return deadline_for(report.due_at, settings.LAPOR_FIRST_ANSWER_DAYS, zone)
    return timezone.localtime(report.due_at or timezone.now(), timezone.get_current_timezone())


def _check(*, phone: str, raw_id: str) -> Outcome:
    tracking_id = normalize_tracking_id(raw_id.strip())
    if not is_valid_tracking_id(tracking_id):
        return Outcome(InboundSms.Outcome.HELP, "Nomor laporan tidak valid. Format: CEK <nomor laporan>, mis. CEK 123456789.")
    report = Report.objects.select_related("assigned_agency").filter(tracking_id=tracking_id).first()
    # Not found and not visible read the same, so a number cannot be probed. A number
    # proves no second factor: it reads as its citizen, even a staff member's (their
    # unit's confidential reports stay in the back office).
    citizen = policy.Actor(user=find_phone_reporter(phone))
    if report is None or not policy.can_view(citizen, report):
        return Outcome(InboundSms.Outcome.CHECK, f"Laporan {tracking_id} tidak ditemukan.")
    reply = f"Laporan {report.tracking_id}: {report.status_label}." + _original_of(report, citizen=citizen)
    followup = report.followups.select_related("agency").order_by("-created_at", "-id").first()
    if followup is not None:
        who = followup.agency.short_name or followup.agency.name
        reply += f" Jawaban {who} {in_zone(followup.created_at, report.deadline_zone):%d-%m-%Y}: {followup.body}"
    elif report.due_at and report.status in Status.open():
        reply += f" Tenggat berikutnya {in_zone(report.due_at, report.deadline_zone):%d-%m-%Y}."
    reply = _ascii(reply)
    if len(reply) > MAX_REPLY:
        reply = reply[: MAX_REPLY - 3] + "..."
    return Outcome(InboundSms.Outcome.CHECK, reply, report)


def _original_of(report: Report, *, citizen: policy.Actor) -> str:
    """Where a report archived as a duplicate goes on: its reporter follows the original
    and hears its answers (lapor/notifications/services.py), so CEK names it, where the
    number may see it, as the report's page does."""
    if report.archive_reason != ArchiveReason.DUPLICATE or not report.duplicate_of_id:
        return ""
    original = policy.visible_original(citizen, report)
    if original is None:
        return " Masalah yang sama ditangani dalam laporan lain secara rahasia."
    return (f" Duplikat dari laporan {original.tracking_id}; tindak lanjutnya dikirim kepada Anda. "
            f"Cek: CEK {original.tracking_id}.")


# The reporter's moves by SMS.
# word → (what must follow the id, an example of it, the service, its reply).
REPORTER_COMMANDS = {
    "LENGKAPI": ("kelengkapan", "RT 05, depan masjid",
                 lambda r, u, t, now: services.report_complete(report=r, by=u, addition=t, now=now),
                 "Kelengkapan laporan {id} diterima; laporan menunggu verifikasi lagi."),
    "BALAS": ("tanggapan", "lampu masih mati",
              lambda r, u, t, now: services.report_reply(report=r, by=u, text=t, now=now),
              "Tanggapan Anda atas laporan {id} diterima; instansi wajib menindaklanjuti lagi."),
    "PUAS": (None, "", lambda r, u, t, now: services.report_rate(report=r, by=u, comment=t, now=now),
             "Terima kasih. Laporan {id} selesai."),
    "BUKA": ("alasan", "rusak lagi", lambda r, u, t, now: services.report_reopen(report=r, by=u, reason=t, now=now),
             "Laporan {id} dibuka kembali dan diteruskan lagi ke instansi."),
}


def _reporter_command(word: str, *, phone: str, rest: str, now: datetime.datetime) -> Outcome:
    needs, example, call, done = REPORTER_COMMANDS[word]
    raw_id, _space, text = rest.strip().partition(" ")
    usage = (f"Format: {word} <nomor laporan> <{needs}>, mis. {word} 123456789 {example}." if needs
             else f"Format: {word} <nomor laporan> [komentar], mis. {word} 123456789.")
    tracking_id = normalize_tracking_id(raw_id)
    if not is_valid_tracking_id(tracking_id):
        return Outcome(InboundSms.Outcome.HELP, _ascii(usage))
    reporter = find_phone_reporter(phone)
    report = Report.objects.filter(tracking_id=tracking_id).first()
    # Only the reporter acts; to anyone else it reads as not found (no probing by SMS).
    if report is None or reporter is None or not policy.is_reporter(policy.actor_for(reporter), report):
        return Outcome(InboundSms.Outcome.CHECK, f"Laporan {tracking_id} tidak ditemukan.")
    if needs and not text.strip():
        return Outcome(InboundSms.Outcome.HELP, _ascii(usage), report)
    try:
        with transaction.atomic():
            call(report, reporter, text.strip(), now)
    except ValidationError as error:
        return Outcome(InboundSms.Outcome.HELP, _ascii(" ".join(error.messages) + " " + usage)[:MAX_REPLY], report)
    except ReportError as error:
        return Outcome(InboundSms.Outcome.REFUSED, _ascii(str(error.message))[:MAX_REPLY], report)
    return Outcome(InboundSms.Outcome.ACTION, _ascii(done.format(id=tracking_id)), report)


def help_text(*, keyword: str | None = None) -> str:
    if keyword:
        return _ascii(f"Tulis isi laporan setelah kata kunci, mis. {keyword} Jalan rusak di depan SDN 1. "
                      "Cek status: CEK <nomor laporan>.")
    keywords = list(
        Agency.objects.filter(is_active=True, sms_keyword__isnull=False).order_by("sms_keyword")
        .values_list("sms_keyword", flat=True)[:12]
    )
    example = keywords[0] if keywords else "KOTA"
    text = (f"Format: <KATA KUNCI> <isi laporan>, mis. {example} Jalan rusak di depan SDN 1. "
            "Cek status: CEK <nomor laporan>. Melengkapi: LENGKAPI <nomor> <isi>.")
    if keywords:
        text += " Kata kunci: " + ", ".join(keywords) + "."
    return _ascii(text)[:MAX_REPLY]


def _ascii(text: str) -> str:
    # Typographic quotes and dashes force a UCS-2 SMS (70 characters a part).
    table = str.maketrans({"\u2018": "'", "\u2019": "'", "“": '"', "”": '"', "\u2013": "-",
                           "\u2014": "-", "\u00a0": " "})
    return text.translate(table)


def forget_anonymous_senders(*, now: datetime.datetime | None = None) -> int:
    """Blank the sender of messages about an anonymous report once the number's limits no
    longer count them (a day, lapor/sms/limits.py). The sender's keyed hash equals their
    account's (``ReporterProfile.phone_hash``): kept, it would join the report to the
    person (SPEC §5; docs/decisions/0005). The row keeps its text, outcome and report, and
    its fingerprint still refuses a late duplicate. Run by the background pass; returns
    how many rows it blanked."""
    now = now or timezone.now()
    return (InboundSms.objects.filter(report__is_anonymous=True, received_at__lt=now - limits.DAY)
            .exclude(sender_hash="").update(sender_hash=""))

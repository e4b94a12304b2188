from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lapor.core.choices import KeptChoiceLabels
from lapor.reports.enums import Action, ArchiveReason, Channel, Kind, Status


# Status.SUBMITTED once verified: back with the router after "bukan wewenang" (SPEC §4).
AWAITING_TRANSFER = _("Menunggu pelimpahan")


def published_status_choices() -> list[tuple[str, str]]:
    """The statuses a published report can be in, as the public filters offer them: a
    verified report is never returned or postponed again, and "submitted" is, for it, the
    wait for a transfer after "bukan wewenang"."""
    return [(Status.SUBMITTED.value, AWAITING_TRANSFER),
            *((s.value, s.label) for s in (Status.DISPATCHED, Status.IN_PROGRESS, Status.CLOSED))]


class Report(KeptChoiceLabels, models.Model):
    """A citizen's report (SPEC §3). Its status changes only through lapor.reports.services."""

    tracking_id = models.CharField(_("nomor pelacakan"), max_length=12, unique=True)
    kind = models.CharField(_("jenis"), max_length=24, choices=Kind.choices, default=Kind.COMPLAINT)
    title = models.CharField(_("judul"), max_length=200)
    original_title = models.CharField(_("judul asli"), max_length=200, blank=True)
    body = models.TextField(_("isi laporan"))
    incident_date = models.DateField(_("tanggal kejadian"), null=True, blank=True)
    latitude = models.FloatField(_("lintang"), null=True, blank=True)
    longitude = models.FloatField(_("bujur"), null=True, blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("wilayah"), null=True, blank=True, on_delete=models.PROTECT
    )
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    category = models.ForeignKey(
        "categories.Category", verbose_name=_("kategori"), null=True, blank=True, on_delete=models.PROTECT,
        db_index=False,  # (category, created_at) below serves it
    )
    addressed_agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("instansi yang dituju pelapor"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", db_index=False,  # (addressed_agency, status) serves it
    )
    assigned_agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("instansi/unit penanggung jawab"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="assigned_reports", db_index=False,  # (assigned_agency, status, due_at)
    )
    is_anonymous = models.BooleanField(_("anonim"), default=False)
    is_confidential = models.BooleanField(_("rahasia"), default=False)
    show_reporter_name = models.BooleanField(_("tampilkan nama pelapor"), default=False)
    channel = models.CharField(_("kanal"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pelapor"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="reports", db_index=False,  # (reporter, created_at) serves it
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diajukan oleh (RT/RW)"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="proxied_reports",
    )

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    created_at = models.DateTimeField(_("diterima"), db_index=True)
    updated_at = models.DateTimeField(_("diperbarui"))
    verified_at = models.DateTimeField(_("diverifikasi"), null=True, blank=True)
    completed_at = models.DateTimeField(
        _("lengkap sejak"), null=True, blank=True, help_text=_("Awal batas 60 hari (Perpres 76/2013).")
    )
    arrived_at = models.DateTimeField(_("tiba di instansi"), null=True, blank=True)
    # The first answer of the agency holding it since ``arrived_at`` (a transfer clears it).
    first_answer_at = models.DateTimeField(_("tindak lanjut pertama"), null=True, blank=True)
    last_answer_at = models.DateTimeField(_("tindak lanjut terakhir"), null=True, blank=True)
    closed_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    # The deadline of whatever the report waits for now (verification, first answer,
    # reporter's reply, completion); the sweep claims rows by it, through the inbox order
    # index, which starts with it.
    due_at = models.DateTimeField(_("tenggat"), null=True, blank=True)  # indexed first in report_inbox_order
    outer_due_at = models.DateTimeField(_("batas akhir 60 hari"), null=True, blank=True, db_index=True)
    reopen_until = models.DateTimeField(_("dapat dibuka kembali sampai"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("dibuka kembali"), default=0)
    archive_reason = models.CharField(_("alasan arsip"), max_length=20, choices=ArchiveReason.choices, blank=True)
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("duplikat dari"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="duplicates",
    )
    missing_items = models.TextField(_("yang perlu dilengkapi"), blank=True)
    support_count = models.PositiveIntegerField(_("dukungan"), default=0)

    class Meta:
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        indexes = [
            # The inbox's order (due first, then newest; office/views/inbox.py), with and
            # without a status filter: a page is read from the index and stops after 25 rows.
            # Sorting by due date alone left ~540,000 closed reports (no due date: one tie)
            # to sort for every page of "status: closed" (2 s at 1,000,000 reports).
            models.Index(fields=["status", "due_at", "-created_at", "id"], name="report_inbox_by_status"),
            models.Index(fields=["due_at", "-created_at", "id"], name="report_inbox_order"),
            # A status within a region and everything under it ("63.72" and "63.72.%"), the
            # inbox's and the public list's common filter: read as one range of this index.
            # A city's "in progress" page took a bitmap of every in-progress report in the
            # country (62,000 entries, 10 ms for its count and again for its page).
            models.Index(fields=["status", "region"], name="report_status_region",
                         opclasses=["varchar_ops", "varchar_pattern_ops"]),
            models.Index(fields=["assigned_agency", "status", "due_at"]),
            models.Index(fields=["addressed_agency", "status"]),
            models.Index(fields=["reporter", "created_at"]),
            # Likely duplicates: same category, recent.
            models.Index(fields=["category", "created_at"]),
            # Map viewports: only reports with a pin.
            models.Index(fields=["latitude", "longitude"], name="report_pin",
                         condition=models.Q(latitude__isnull=False)),
            # The public map (SPEC §9): published pins, with the id, so a viewport's cells
            # are counted from the index alone (an index-only scan) instead of visiting
            # every report's row: 105 ms with a cold cache for a city at 1,000,000 reports.
            models.Index(fields=["latitude", "longitude"], include=["id"], name="report_public_pin",
                         condition=models.Q(latitude__isnull=False, verified_at__isnull=False, is_confidential=False)
                         & ~models.Q(status="archived")),
            # The public list, newest first: exactly the published set (policy.PUBLIC_Q).
            # (Full-text search has its own stored, GIN-indexed column on PostgreSQL,
            # added by migration 0006 outside the model.)
            models.Index(models.F("created_at").desc(), models.F("id").desc(), name="report_public_latest",
                         condition=models.Q(verified_at__isnull=False, is_confidential=False)
                         & ~models.Q(status="archived")),
        ]

    def __str__(self):
        return f"#{self.tracking_id} {self.title}"

    def get_absolute_url(self):
        return f"/laporan/{self.tracking_id}/"

    @property
    def is_published(self) -> bool:
        """SPEC §4: verified, not confidential, not archived."""
        return self.verified_at is not None and not self.is_confidential and self.status != Status.ARCHIVED

    @property
    def awaiting_transfer(self) -> bool:
        """A verified report that a unit handed back as "bukan wewenang": it waits for its
        router to transfer it, and is not "unverified" again."""
        return self.status == Status.SUBMITTED and self.verified_at is not None

    @property
    def status_label(self) -> str:
        """The status as people read it (``awaiting_transfer`` has its own words)."""
        return str(AWAITING_TRANSFER) if self.awaiting_transfer else self.get_status_display()

    @property
    def deadline_zone(self) -> str:
        """The time zone its current deadline is counted in, and its page's times given in:
        the assigned agency's while an agency works on it (and once it answered), otherwise
        its router's, the addressed agency's (``services`` counts every deadline so)."""
        if self.status in (Status.DISPATCHED, Status.IN_PROGRESS, Status.CLOSED) and self.assigned_agency_id:
            return self.assigned_agency.time_zone
        if self.addressed_agency_id:
            return self.addressed_agency.time_zone
        return settings.LAPOR_DEFAULT_ZONE


class ReportEvent(KeptChoiceLabels, models.Model):
    """One entry of a report's history: append-only (SPEC §3).

    Rows are never updated or deleted: the model refuses it, and database triggers
    (migration 0002) refuse it for anything that bypasses the model.
    """

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="events",
                               db_index=False)  # (report, at) below serves it
    at = models.DateTimeField(_("waktu"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("oleh"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    actor_role = models.CharField(_("sebagai"), max_length=30, blank=True)
    action = models.CharField(_("tindakan"), max_length=24, choices=Action.choices)
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("instansi"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("keterangan"), blank=True)
    is_internal = models.BooleanField(
        _("internal"), default=False, help_text=_("Hanya terlihat oleh staf; tidak pernah oleh pelapor atau publik.")
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("riwayat laporan")
        verbose_name_plural = _("riwayat laporan")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["report", "at"]), models.Index(fields=["action", "at"])]

    def __str__(self):
        return f"{self.report.tracking_id} {self.action} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("report events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("report events are append-only")

    # "Submitted" before and after the router's transfer of a report handed back as "bukan
    # wewenang" reads as Report.status_label does: the report was verified.
    @property
    def to_status_label(self) -> str:
        if self.action == Action.NOT_OUR_AUTHORITY:
            return str(AWAITING_TRANSFER)
        return self.get_to_status_display()

    @property
    def new_deadline(self):
        """Where a correction of the working-day calendar moved the deadline to."""
        if self.action != Action.MOVE_DEADLINE:
            return None
        from django.utils.dateparse import parse_datetime

        return parse_datetime((self.data or {}).get("deadline") or "")

    @property
    def from_status_label(self) -> str:
        if (self.action == Action.TRANSFER and self.from_status == Status.SUBMITTED
                and not (self.data or {}).get("unverified")):
            return str(AWAITING_TRANSFER)
        return self.get_from_status_display()


class FollowUp(models.Model):
    """An agency's answer (tindak lanjut), and the reporter's rating of it."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="followups")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="followups")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The liaison officer who drafted it, when an admin approved a draft (lapor/reports/drafts.py).
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("disusun oleh"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.TextField(_("tindak lanjut"))
    created_at = models.DateTimeField(_("waktu"))
    satisfied = models.BooleanField(_("pelapor puas"), null=True, blank=True)
    rating_comment = models.TextField(_("komentar penilaian"), blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        ordering = ["created_at", "id"]


class Handling(models.Model):
    """One agency's turn with a report (SPEC §4, §9): from its arrival (verification or a
    transfer) until the agency hands it on ("bukan wewenang", or a transfer to another
    government). Compliance is counted per handling, so an agency that held a report past
    its 5-working-day limit and then handed it on is still counted late, and the next
    agency's clock is its own. Disposition inside the government moves the open handling to
    the unit (the clock runs on). Written by the lifecycle services (``lapor.reports.writing``)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="handlings")
    # The unit holding it (the last one, once handed on).
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="handlings")
    arrived_at = models.DateTimeField(_("tiba di instansi"))
    first_answer_at = models.DateTimeField(_("tindak lanjut pertama"), null=True, blank=True)
    left_at = models.DateTimeField(_("diserahkan kembali"), null=True, blank=True)  # None: still holds it

    class Meta:
        verbose_name = _("penanganan")
        verbose_name_plural = _("penanganan")
        ordering = ["arrived_at", "id"]
        indexes = [models.Index(fields=["arrived_at"], name="handling_arrived")]


class CalendarCorrection(models.Model):
    """A correction of the holiday calendar whose deadline moves are not decided yet:
    written in the administrator's transaction (so it cannot be lost), decided by the
    background work in the order saved (``lapor.reports.recalendar``)."""

    at = models.DateTimeField()  # when it was saved: the moves are counted as of then
    changed = models.JSONField()  # {"YYYY-MM-DD": whether it was a working day before}

    class Meta:
        ordering = ["pk"]


class DeadlineMove(models.Model):
    """A stored deadline a correction of the holiday calendar moves: decided by the
    background work from a ``CalendarCorrection``, then made by it, a batch at a time
    (``lapor.reports.recalendar``). A report's field has at most one move waiting; a second
    correction before it is made moves its target again."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    field = models.CharField(max_length=20)  # due_at or reopen_until
    old = models.DateTimeField()  # made only if the report still has this deadline
    new = models.DateTimeField()
    calendar = models.TextField()  # the corrected dates, comma-separated, for the history entry

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "field"], name="deadline_move_once")]


def attachment_path(instance, filename):
    # The stored name never carries the uploader's file name (it may hold personal data).
    return f"attachments/{instance.report.created_at:%Y/%m}/{instance.sha256[:2]}/{filename}"


class Attachment(models.Model):
    """A file on a report or on a follow-up; type sniffed and metadata stripped on upload."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="attachments")
    followup = models.ForeignKey(
        FollowUp, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")


class AnswerDraft(models.Model):
    """A liaison officer's draft of the unit's answer, waiting for its admin (SPEC §2: the
    officer drafts, the unit admin uploads). Nobody outside the handling staff ever sees
    it: the reporter and the public see the follow-up it becomes, once approved."""

    class State(models.TextChoices):
        PENDING = "pending", _("Menunggu persetujuan")
        RETURNED = "returned", _("Dikembalikan ke petugas")
        PUBLISHED = "published", _("Disetujui dan terkirim")
        WITHDRAWN = "withdrawn", _("Tidak berlaku lagi")

        @classmethod
        def open(cls):
            return (cls.PENDING, cls.RETURNED)

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="answer_drafts")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("disusun oleh"), on_delete=models.PROTECT,
                               related_name="+")
    body = models.TextField(_("draf tindak lanjut"))
    state = models.CharField(_("keadaan"), max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    review_note = models.TextField(_("catatan pemeriksa"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    followup = models.OneToOneField(FollowUp, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="draft")

    class Meta:
        verbose_name = _("draf tindak lanjut")
        verbose_name_plural = _("draf tindak lanjut")
        constraints = [
            models.UniqueConstraint(fields=["report"], condition=models.Q(state__in=["pending", "returned"]),
                                    name="one_open_answer_draft_per_report"),
        ]
        indexes = [models.Index(fields=["state", "report"], name="answer_draft_state")]

    @property
    def is_open(self) -> bool:
        return self.state in self.State.open()


def draft_file_path(instance, filename):
    return f"drafts/{instance.created_at:%Y/%m}/{instance.sha256[:2]}/{filename}"


class AnswerDraftFile(models.Model):
    """A cleaned file on a draft. Kept apart from ``Attachment`` so that no page or API
    that lists a report's attachments can show it; approval makes it an attachment of
    the follow-up (the stored file is reused, not copied)."""

    draft = models.ForeignKey(AnswerDraft, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=draft_file_path)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("lampiran draf")
        verbose_name_plural = _("lampiran draf")


class Support(models.Model):
    """A citizen's "dukung": this problem is mine too. One per account and report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("dukungan")
        verbose_name_plural = _("dukungan")
        constraints = [models.UniqueConstraint(fields=["report", "user"], name="support_once_per_account")]

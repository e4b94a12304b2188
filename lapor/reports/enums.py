from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Pengaduan")
    ASPIRATION = "aspiration", _("Aspirasi")
    INFORMATION_REQUEST = "information_request", _("Permintaan Informasi")
    WHISTLEBLOWING = "whistleblowing", _("Pengaduan pelanggaran (whistle-blowing)")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Belum terverifikasi")
    RETURNED = "returned", _("Dikembalikan")
    POSTPONED = "postponed", _("Ditunda")
    DISPATCHED = "dispatched", _("Terdisposisi")
    IN_PROGRESS = "in_progress", _("Ditindaklanjuti")
    CLOSED = "closed", _("Selesai")
    ARCHIVED = "archived", _("Diarsipkan")

    @classmethod
    def waiting_for_router(cls):
        return {cls.SUBMITTED, cls.POSTPONED}

    @classmethod
    def with_agency(cls):
        return {cls.DISPATCHED, cls.IN_PROGRESS}

    @classmethod
    def open(cls):
        return {cls.SUBMITTED, cls.RETURNED, cls.POSTPONED, cls.DISPATCHED, cls.IN_PROGRESS}


class Channel(models.TextChoices):
    WEB = "web", _("Situs web")
    SMS = "sms", _("SMS 1708")
    API = "api", _("Aplikasi / API")
    OPEN311 = "open311", _("Open311")
    IMPORT = "import", _("Impor")


class ArchiveReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    UNINTELLIGIBLE = "unintelligible", _("Tidak dapat dipahami")
    TOO_GENERAL = "too_general", _("Terlalu umum")
    NOT_GOVERNMENT = "not_government", _("Bukan tentang kinerja pemerintah")
    DUPLICATE = "duplicate", _("Duplikat")
    NEVER_COMPLETED = "never_completed", _("Dikembalikan dan tidak dilengkapi")


class Action(models.TextChoices):
    """Everything that can happen to a report; each is one event in its history."""

    SUBMIT = "submit", _("Laporan diterima")
    VERIFY = "verify", _("Diverifikasi dan didisposisikan")
    POSTPONE = "postpone", _("Ditunda")
    RETURN = "return", _("Dikembalikan ke pelapor")
    COMPLETE = "complete", _("Dilengkapi pelapor")
    ARCHIVE = "archive", _("Diarsipkan")
    MARK_DUPLICATE = "mark_duplicate", _("Ditandai duplikat")
    DISPOSE = "dispose", _("Didisposisikan ke unit")
    NOT_OUR_AUTHORITY = "not_our_authority", _("Bukan wewenang")
    TRANSFER = "transfer", _("Dilimpahkan")
    # The same Indonesian word as the status, but an event: "Followed up", not "In progress".
    ANSWER = "answer", pgettext_lazy("riwayat laporan", "Ditindaklanjuti")
    REPLY = "reply", _("Tanggapan pelapor")
    RATE = "rate", _("Dinilai pelapor")
    CLOSE = "close", _("Ditutup")
    AUTO_CLOSE = "auto_close", _("Ditutup otomatis")
    EXPIRE_RETURN = "expire_return", _("Diarsipkan: tidak dilengkapi")
    REOPEN = "reopen", _("Dibuka kembali")
    NOTE = "note", _("Catatan internal")
    REVEAL_IDENTITY = "reveal_identity", _("Identitas pelapor dibuka")
    SET_FLAGS = "set_flags", _("Sifat laporan diubah")
    # The officer drafts, the unit admin approves (lapor/reports/drafts.py); internal entries.
    DRAFT_ANSWER = "draft_answer", _("Draf tindak lanjut diajukan")
    RETURN_DRAFT = "return_draft", _("Draf tindak lanjut dikembalikan ke petugas")
    # Written by the sweep (lapor/reports/sweep.py); none of them changes the status.
    REMIND = "remind", _("Pengingat tenggat")
    ESCALATE = "escalate", _("Dieskalasi ke pengawas")
    OUTER_LIMIT_WARNING = "outer_limit_warning", _("Peringatan batas 60 hari")
    # A correction of the working-day calendar moved the deadline (lapor/reports/recalendar.py).
    MOVE_DEADLINE = "move_deadline", _("Tenggat disesuaikan dengan koreksi hari kerja")

"""Transparency and evaluation (SPEC §9): service ratings, IKM surveys and opinion polls.

Figures about reports (statistics, compliance) are computed from the reports themselves
(lapor.transparency.figures); only what citizens add here is stored here. Every write goes
through lapor.transparency.services.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceLevel(models.IntegerChoices):
    """The four-level service rating shown on LAPOR! agency pages."""

    SANGAT_PUAS = 4, _("Sangat Puas")
    PUAS = 3, _("Puas")
    CUKUP_PUAS = 2, _("Cukup Puas")
    TIDAK_PUAS = 1, _("Tidak Puas")


class ServiceRating(models.Model):
    """A reporter's rating of an agency's service on one report (one per report)."""

    report = models.OneToOneField("reports.Report", on_delete=models.CASCADE, related_name="service_rating")
    agency = models.ForeignKey("agencies.Agency", verbose_name=_("instansi"), on_delete=models.PROTECT,
                               related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("penilaian"), choices=ServiceLevel.choices)
    comment = models.TextField(_("komentar"), blank=True)
    created_at = models.DateTimeField(_("waktu"))

    class Meta:
        verbose_name = _("penilaian layanan")
        verbose_name_plural = _("penilaian layanan")
        indexes = [models.Index(fields=["agency", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=4), name="service_rating_level_1_4"),
        ]


# PermenPAN-RB 14/2017, Lampiran: the nine elements (unsur) of the satisfaction survey.
IKM_ELEMENTS = [
    _("Persyaratan"),
    _("Sistem, mekanisme, dan prosedur"),
    _("Waktu penyelesaian"),
    _("Biaya/tarif"),
    _("Produk spesifikasi jenis pelayanan"),
    _("Kompetensi pelaksana"),
    _("Perilaku pelaksana"),
    _("Penanganan pengaduan, saran, dan masukan"),
    _("Sarana dan prasarana"),
]
IKM_SCORES = [
    (1, _("Tidak baik / tidak sesuai")),
    (2, _("Kurang baik / kurang sesuai")),
    (3, _("Baik / sesuai")),
    (4, _("Sangat baik / sangat sesuai")),
]


class IkmSurvey(models.Model):
    """An agency's satisfaction survey (Survei Kepuasan Masyarakat), open for a period."""

    agency = models.ForeignKey("agencies.Agency", verbose_name=_("instansi"), on_delete=models.PROTECT,
                               related_name="ikm_surveys")
    title = models.CharField(_("judul"), max_length=200)
    opens_on = models.DateField(_("dibuka"))
    closes_on = models.DateField(_("ditutup"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    # Set when staff close the survey before ``closes_on`` (``ikm_survey_close``); the
    # period shown then ends on that day.
    closed_at = models.DateTimeField(_("ditutup lebih awal"), null=True, blank=True)

    class Meta:
        verbose_name = _("survei IKM")
        verbose_name_plural = _("survei IKM")
        ordering = ["-opens_on", "id"]

    def __str__(self):
        return f"{self.title} ({self.opens_on:%d-%m-%Y} – {self.closes_on:%d-%m-%Y})"

    def is_open_on(self, day) -> bool:
        return self.closed_at is None and self.opens_on <= day <= self.closes_on


class IkmResponse(models.Model):
    """One respondent's scores (1–4) for the nine elements; one per account and survey."""

    survey = models.ForeignKey(IkmSurvey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    u1 = models.PositiveSmallIntegerField()
    u2 = models.PositiveSmallIntegerField()
    u3 = models.PositiveSmallIntegerField()
    u4 = models.PositiveSmallIntegerField()
    u5 = models.PositiveSmallIntegerField()
    u6 = models.PositiveSmallIntegerField()
    u7 = models.PositiveSmallIntegerField()
    u8 = models.PositiveSmallIntegerField()
    u9 = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("jawaban survei IKM")
        verbose_name_plural = _("jawaban survei IKM")
        constraints = [
            models.UniqueConstraint(fields=["survey", "respondent"], name="ikm_response_once_per_account"),
            *[
                models.CheckConstraint(condition=models.Q(**{f"u{i}__gte": 1, f"u{i}__lte": 4}),
                                       name=f"ikm_response_u{i}_1_4")
                for i in range(1, 10)
            ],
        ]

    @property
    def scores(self) -> list[int]:
        return [getattr(self, f"u{i}") for i in range(1, 10)]


class Poll(models.Model):
    """A policy-opinion poll (Opini Kebijakan) an agency publishes."""

    agency = models.ForeignKey("agencies.Agency", verbose_name=_("instansi"), on_delete=models.PROTECT,
                               related_name="polls")
    question = models.CharField(_("pertanyaan"), max_length=300)
    description = models.TextField(_("penjelasan"), blank=True)
    closes_at = models.DateTimeField(_("ditutup"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("opini kebijakan")
        verbose_name_plural = _("opini kebijakan")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "created_at"])]

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        return f"/opini/{self.pk}/"

    def is_open_at(self, moment) -> bool:
        return moment < self.closes_at


class PollOption(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("pilihan"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text


class PollAnswer(models.Model):
    """A citizen's answer. The unique constraint, not a check in Python, keeps it to one
    per person: two submits at once cannot both win."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="answers")
    option = models.ForeignKey(PollOption, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("jawaban opini")
        verbose_name_plural = _("jawaban opini")
        constraints = [models.UniqueConstraint(fields=["poll", "user"], name="poll_answer_once_per_account")]

"""SILAPAT data (SPEC §11): the registry per village, harmony incidents and early warning.

Who may write what is decided in ``lapor.harmony.access``; every write goes through
``lapor.harmony.services`` (and, for reports, through ``lapor.reports.services``).
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lapor.core.crypto import EncryptedTextField
from lapor.harmony import rules
from lapor.harmony.enums import (
    HarmonyRoleKind, OrganizationKind, OrganizationLevel, Religion, TensionKind, ThresholdScope, Vulnerability,
    WorshipKind,
)


class HarmonyOffice(models.Model):
    """A Kesbangpol unit running SILAPAT for one regency/city (or province).

    Its agency decides who the operators are (staff holding a handler role in that unit or
    below it) and where harmony incidents are routed; its region bounds the registry and
    the early warning it keeps."""

    agency = models.OneToOneField("agencies.Agency", verbose_name=_("unit Kesbangpol"), on_delete=models.PROTECT,
                                  related_name="harmony_office")
    region = models.ForeignKey("regions.Region", verbose_name=_("wilayah kerja"), on_delete=models.PROTECT,
                               related_name="+")

    class Meta:
        verbose_name = _("kantor SILAPAT")
        verbose_name_plural = _("kantor SILAPAT")

    def __str__(self):
        return f"{self.agency.short_name or self.agency.name} — {self.region.name}"

    def covers(self, region) -> bool:
        return region is not None and (region.code == self.region_id or region.code.startswith(self.region_id + "."))


class HarmonyRole(models.Model):
    """People who receive early warnings: the head of the Kesbangpol office and the
    regional leadership (Wali Kota/Bupati, Sekda, FKUB chair...). Operators need no row
    here: their Membership in the Kesbangpol unit makes them operators. Set in the back
    office (``/kantor/silapat/penerima/``, lapor/harmony/recipients.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("akun"), on_delete=models.CASCADE,
                             related_name="harmony_roles")
    office = models.ForeignKey(HarmonyOffice, verbose_name=_("kantor"), on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("peran"), max_length=12, choices=HarmonyRoleKind.choices)
    # Who added the person and when; empty for rows made before the back-office page
    # existed (demo seed, Django admin). Removals are in the audit log.
    added_at = models.DateTimeField(_("ditambahkan"), null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ditambahkan oleh"), null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("peran SILAPAT")
        verbose_name_plural = _("peran SILAPAT")
        constraints = [models.UniqueConstraint(fields=["user", "office", "role"], name="harmony_role_unique")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.office}"


# --- Registry ---------------------------------------------------------------------------


def _all_errors(*checks) -> None:
    """Run every check, then raise their errors together (one per field)."""
    errors = {}
    for check in checks:
        try:
            check()
        except ValidationError as error:
            errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)


class HouseOfWorship(models.Model):
    """A house of worship in a village. Found again on re-import by (village, kind, name)."""

    village = models.ForeignKey("regions.Region", verbose_name=_("kelurahan/desa"), on_delete=models.PROTECT,
                                related_name="+")
    kind = models.CharField(_("jenis"), max_length=12, choices=WorshipKind.choices)
    religion = models.CharField(_("agama"), max_length=12, choices=Religion.choices)
    name = models.CharField(_("nama"), max_length=200)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    latitude = models.FloatField(_("lintang"), null=True, blank=True)
    longitude = models.FloatField(_("bujur"), null=True, blank=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("rumah ibadah")
        verbose_name_plural = _("rumah ibadah")
        ordering = ["village_id", "kind", "name"]
        constraints = [models.UniqueConstraint(
            fields=["village", "kind", "name"], name="house_of_worship_unique",
            violation_error_message=_("Rumah ibadah dengan jenis dan nama ini sudah terdaftar di kelurahan/desa ini."))]

    def __str__(self):
        return self.name

    def clean(self):
        """The import's rules (``lapor.harmony.rules``): a type that fits the religion, a
        pin inside Indonesia with both coordinates."""
        _all_errors(lambda: rules.check_worship_religion(self.kind, self.religion),
                    lambda: rules.check_location(self.latitude, self.longitude))


class ReligiousOrganization(models.Model):
    """A religious organisation or institution. Its contact is personal data: encrypted,
    shown only to operators, never on a public page."""

    region = models.ForeignKey("regions.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT,
                               related_name="+")
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=12, choices=OrganizationKind.choices,
                            default=OrganizationKind.ORGANIZATION)
    religion = models.CharField(_("agama"), max_length=12, choices=Religion.choices)
    level = models.CharField(_("tingkat"), max_length=12, choices=OrganizationLevel.choices)
    contact_name = EncryptedTextField(_("narahubung"), blank=True)
    contact_phone = EncryptedTextField(_("telepon narahubung"), blank=True)
    contact_email = EncryptedTextField(_("e-mail narahubung"), blank=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("organisasi/lembaga keagamaan")
        verbose_name_plural = _("organisasi/lembaga keagamaan")
        ordering = ["region_id", "name"]
        constraints = [models.UniqueConstraint(
            fields=["region", "name"], name="religious_organization_unique",
            violation_error_message=_("Organisasi/lembaga dengan nama ini sudah terdaftar di wilayah ini."))]

    def __str__(self):
        return self.name

    def clean(self):
        """The import's rules (``lapor.harmony.rules``): the level that of the region, the
        phone number stored as +62…, the address checked and in lower case."""
        def phone():
            self.contact_phone = rules.clean_phone(self.contact_phone)

        def email():
            self.contact_email = rules.clean_email(self.contact_email)

        def level():
            rules.check_organization_level(self.level, self.region if self.region_id else None)

        _all_errors(level, phone, email)


class Population(models.Model):
    """Residents of one religion in one village in one year, from the office's own data."""

    village = models.ForeignKey("regions.Region", verbose_name=_("kelurahan/desa"), on_delete=models.PROTECT,
                                related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    religion = models.CharField(_("agama"), max_length=12, choices=Religion.choices)
    count = models.PositiveIntegerField(_("jumlah penduduk"))

    class Meta:
        verbose_name = _("penduduk menurut agama")
        verbose_name_plural = _("penduduk menurut agama")
        ordering = ["village_id", "-year", "religion"]
        constraints = [models.UniqueConstraint(
            fields=["village", "year", "religion"], name="population_unique",
            violation_error_message=_("Jumlah penduduk agama ini untuk tahun ini sudah tercatat di kelurahan/desa ini; "
                                      "ubah data yang sudah ada."))]

    def __str__(self):
        return f"{self.village_id} {self.year} {self.religion}: {self.count}"

    def clean(self):
        if self.year is not None:
            rules.check_year(self.year)


# --- Incidents and early warning ----------------------------------------------------------


class HarmonyIncident(models.Model):
    """What SILAPAT adds to a report about religious harmony. The report itself (status,
    routing, history, visibility) lives in ``lapor.reports`` and changes only through its
    services; the district and village are copied from the report's region so that the
    early warning counts with one indexed query."""

    report = models.OneToOneField("reports.Report", on_delete=models.PROTECT, related_name="harmony_incident")
    office = models.ForeignKey(HarmonyOffice, verbose_name=_("kantor"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="incidents")
    tension_kind = models.CharField(_("jenis ketegangan"), max_length=12, choices=TensionKind.choices)
    groups = models.TextField(_("kelompok yang terlibat"), blank=True)
    level = models.PositiveSmallIntegerField(_("tingkat kerawanan"), choices=Vulnerability.choices, null=True,
                                             blank=True)
    occurred_on = models.DateField(_("tanggal kejadian"), db_index=True)
    district = models.ForeignKey("regions.Region", verbose_name=_("kecamatan"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("regions.Region", verbose_name=_("kelurahan/desa"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(_("dinilai"), null=True, blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(_("dibuat"))

    class Meta:
        verbose_name = _("kejadian kerukunan")
        verbose_name_plural = _("kejadian kerukunan")
        indexes = [
            models.Index(fields=["district", "occurred_on"]),
            models.Index(fields=["village", "occurred_on"]),
        ]

    def __str__(self):
        return f"#{self.report.tracking_id} {self.get_tension_kind_display()}"


class HarmonyAssessment(models.Model):
    """Every vulnerability level an operator set, in order: the incident's own history of
    levels (the report's history gets an internal note for each as well)."""

    incident = models.ForeignKey(HarmonyIncident, on_delete=models.CASCADE, related_name="assessments")
    level = models.PositiveSmallIntegerField(_("tingkat kerawanan"), choices=Vulnerability.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("waktu"))
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("penilaian kerawanan")
        verbose_name_plural = _("penilaian kerawanan")
        ordering = ["at", "id"]


class HarmonyThreshold(models.Model):
    """"``count`` incidents of level ``min_level`` or above within ``days`` days in one
    district (or village)" raises an early warning to the office's head and leadership."""

    office = models.ForeignKey(HarmonyOffice, verbose_name=_("kantor"), on_delete=models.CASCADE,
                               related_name="thresholds")
    name = models.CharField(_("nama"), max_length=120)
    scope = models.PositiveSmallIntegerField(_("dihitung per"), choices=ThresholdScope.choices,
                                             default=ThresholdScope.DISTRICT)
    min_level = models.PositiveSmallIntegerField(_("tingkat kerawanan minimal"), choices=Vulnerability.choices,
                                                 default=Vulnerability.HIGH)
    count = models.PositiveSmallIntegerField(_("jumlah kejadian"), default=3)
    days = models.PositiveSmallIntegerField(_("dalam (hari)"), default=30)
    # Empty: the office's whole area; else only the districts/villages inside this region.
    region = models.ForeignKey("regions.Region", verbose_name=_("wilayah"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    is_active = models.BooleanField(_("aktif"), default=True)
    # Who set it last and when (the full record: HarmonyThresholdChange). Empty for rows
    # made before the back-office form existed (demo seed, Django admin).
    updated_at = models.DateTimeField(_("diubah"), null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("diubah oleh"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("ambang peringatan dini")
        verbose_name_plural = _("ambang peringatan dini")
        constraints = [
            models.CheckConstraint(condition=models.Q(count__gte=1), name="harmony_threshold_count_positive"),
            models.CheckConstraint(condition=models.Q(days__gte=1), name="harmony_threshold_days_positive"),
        ]

    def __str__(self):
        return self.name


class HarmonyThresholdChange(models.Model):
    """Append-only record of each change to a threshold made in the back office: who,
    when, and each field's value before and after (``{"count": [3, 2]}``). A threshold
    decides whether leadership is warned, so lowering or switching one off is answerable."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Dibuat")
        CHANGED = "changed", _("Diubah")
        SWITCHED_OFF = "off", _("Dinonaktifkan")
        SWITCHED_ON = "on", _("Diaktifkan")

    threshold = models.ForeignKey(HarmonyThreshold, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("perubahan"), max_length=8, choices=Kind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("oleh"), on_delete=models.PROTECT,
                           related_name="+")
    at = models.DateTimeField(_("waktu"))
    values = models.JSONField(_("nilai sebelum dan sesudah"), default=dict, blank=True)

    class Meta:
        verbose_name = _("riwayat ambang")
        verbose_name_plural = _("riwayat ambang")
        ordering = ["-at", "-id"]


class HarmonyAlert(models.Model):
    """One early warning: a threshold crossed in one region. While ``cleared_on`` is empty
    the crossing is ongoing; it clears when the count falls below the threshold (or the
    threshold is switched off), and a later crossing is a new alert, even of the same
    incidents (one reassessed down and up again). At most one ongoing alert per
    (threshold, region), so a second check of the same situation (the periodic one after
    the one run at assessment, or two workers at once) raises nothing new. The window
    start is the date of the oldest incident that made the crossing."""

    threshold = models.ForeignKey(HarmonyThreshold, on_delete=models.PROTECT, related_name="alerts")
    region = models.ForeignKey("regions.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT,
                               related_name="+")
    window_start = models.DateField(_("awal jendela"))
    window_end = models.DateField(_("akhir jendela"))
    incident_count = models.PositiveSmallIntegerField(_("jumlah kejadian"))
    max_level = models.PositiveSmallIntegerField(_("tingkat tertinggi"), choices=Vulnerability.choices)
    raised_at = models.DateTimeField(_("dibunyikan"))
    cleared_on = models.DateField(_("mereda"), null=True, blank=True)

    class Meta:
        verbose_name = _("peringatan dini")
        verbose_name_plural = _("peringatan dini")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["threshold", "region"], condition=models.Q(cleared_on__isnull=True),
                                    name="harmony_alert_one_ongoing"),
        ]

    def __str__(self):
        return f"{self.threshold} — {self.region.name} ({self.window_start:%d-%m-%Y})"


class VisitorCount(models.Model):
    """Visits to the public SILAPAT page, per day (incremented with an atomic UPDATE)."""

    day = models.DateField(_("tanggal"), unique=True)
    count = models.PositiveIntegerField(_("kunjungan"), default=0)

    class Meta:
        verbose_name = _("kunjungan halaman SILAPAT")
        verbose_name_plural = _("kunjungan halaman SILAPAT")
        ordering = ["-day"]

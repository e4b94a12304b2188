from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class TimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (UTC+7)")
    WITA = "Asia/Makassar", _("WITA (UTC+8)")
    WIT = "Asia/Jayapura", _("WIT (UTC+9)")


def _within(code: str, area: str) -> bool:
    """Whether region ``code`` is ``area`` or inside it (codes nest: 63.72.05 in 63.72)."""
    return code == area or code.startswith(area + ".")


def zone_label(zone: str) -> str:
    """The short name people write after a time: WIB, WITA or WIT (else the zone itself)."""
    return _ZONE_LABELS.get(zone, zone)


_ZONE_LABELS = {TimeZone.WIB: "WIB", TimeZone.WITA: "WITA", TimeZone.WIT: "WIT"}


class Agency(models.Model):
    """A government body or one of its work units, in a tree of any depth (SPEC §2).

    Ministries, provinces and regencies are roots or near-roots; OPDs and their sections
    are children. ``path`` is a materialised path of zero-padded ids (``000003/000011/``)
    so that "this agency and everything under it" is one indexed prefix query.
    """

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Kementerian")
        INSTITUTION = "institution", _("Lembaga")
        PROVINCE = "province", _("Pemerintah Provinsi")
        REGENCY = "regency", _("Pemerintah Kabupaten/Kota")
        UNIT = "unit", _("Perangkat Daerah / Unit Kerja")
        SUPERVISOR = "supervisor", _("Pengawas")

    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=60, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, default=Kind.UNIT)
    parent = models.ForeignKey(
        "self", verbose_name=_("induk"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("wilayah"), null=True, blank=True, on_delete=models.PROTECT
    )
    time_zone = models.CharField(_("zona waktu"), max_length=20, choices=TimeZone.choices, default=TimeZone.WIB)
    sms_keyword = models.CharField(
        _("kata kunci SMS"), max_length=20, null=True, blank=True, unique=True,
        help_text=_("Satu kata, misalnya BANJAR. SMS \"BANJAR <isi laporan>\" ditujukan ke instansi ini."),
    )
    is_inspectorate = models.BooleanField(
        _("inspektorat"), default=False, help_text=_("Laporan whistle-blowing hanya diteruskan ke unit ini.")
    )
    supervises = models.ManyToManyField(
        "self", verbose_name=_("mengawasi"), symmetrical=False, blank=True, related_name="supervised_by",
        help_text=_("Instansi yang diawasi (beserta seluruh unit di bawahnya)."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        ordering = ["path"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.sms_keyword:
            self.sms_keyword = normalize_keyword(self.sms_keyword)
            if not self.sms_keyword.isalnum():
                raise ValidationError({"sms_keyword": _("Kata kunci SMS hanya boleh huruf dan angka, tanpa spasi.")})
            if self.sms_keyword in RESERVED_SMS_KEYWORDS:
                raise ValidationError({"sms_keyword": _(
                    "Kata kunci %(word)s dipakai untuk perintah SMS (CEK, LENGKAPI, BALAS, PUAS, BUKA); "
                    "pilih kata lain.") % {"word": self.sms_keyword}})
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("Instansi tidak boleh menjadi induk dari dirinya sendiri.")})
            ancestor = ancestor.parent
        # A unit works where its government does: moved under another one (in the admin),
        # it takes a region inside the new parent's, or it would route, count and show
        # on the map as the old one's. Checked when its parent or region changes, so that
        # renaming a unit whose data was already so is not refused over a field its form
        # does not have; its own units follow it (``save``).
        before = (Agency.objects.filter(pk=self.pk).values("parent_id", "region_id", "is_active").first()
                  if self.pk else None)
        self._clean_activity(was_active=before["is_active"] if before else None)
        changed = before is None or (before["parent_id"], before["region_id"]) != (self.parent_id, self.region_id)
        above = self.parent.region_id if self.parent_id else None
        if changed and above and self.region_id and not _within(self.region_id, above):
            raise ValidationError({"region": _(
                "Wilayah %(region)s berada di luar wilayah induknya, %(parent)s (%(code)s); pilih wilayah di "
                "dalamnya.") % {"region": self.region_id, "parent": self.parent.name, "code": above}})

    def _clean_activity(self, *, was_active: bool | None) -> None:
        """A unit goes out of service only when nothing is left in it (no active unit below,
        no open report), and back only under an active parent: the same rule in
        ``/kantor/kelola/`` and the Django admin."""
        if was_active and not self.is_active:
            if self.children.filter(is_active=True).exists():
                raise ValidationError({"is_active": _("Nonaktifkan dahulu unit kerja di bawahnya.")})
            from lapor.reports.enums import Status
            from lapor.reports.models import Report

            waiting = Report.objects.filter(assigned_agency=self, status__in=Status.open()).count()
            if waiting:
                raise ValidationError({"is_active": _(
                    "Masih ada %(n)d laporan terbuka di unit ini; disposisikan atau limpahkan dahulu.")
                    % {"n": waiting}})
        if self.is_active and not was_active and self.parent_id and not self.parent.is_active:
            raise ValidationError({"is_active": _("Aktifkan dahulu unit induknya.")})

    def save(self, *args, **kwargs):
        if self.sms_keyword:
            self.sms_keyword = normalize_keyword(self.sms_keyword)
        else:
            self.sms_keyword = None
        with transaction.atomic():
            old_path = self.path
            super().save(*args, **kwargs)
            new_path = f"{self.parent.path if self.parent_id else ''}{self.pk:06d}/"
            if new_path != old_path:
                Agency.objects.filter(pk=self.pk).update(path=new_path)
                self.path = new_path
                if old_path:
                    # Moved under another parent: every descendant's path changes with it,
                    # and a descendant placed outside the unit's region now takes the
                    # unit's (a moved Dinas brings its Puskesmas along).
                    for child in Agency.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                        child.path = new_path + child.path[len(old_path):]
                        moved = {"path": child.path}
                        if self.region_id and child.region_id and not _within(child.region_id, self.region_id):
                            moved["region_id"] = self.region_id
                        Agency.objects.filter(pk=child.pk).update(**moved)

    def descendants(self, include_self: bool = True):
        qs = Agency.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)

    def ancestors(self, include_self: bool = True) -> list["Agency"]:
        ids = [int(part) for part in self.path.strip("/").split("/") if part]
        if not include_self:
            ids = ids[:-1]
        by_id = Agency.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    def is_within(self, other: "Agency") -> bool:
        """True when this agency is ``other`` or lies under it."""
        return self.path.startswith(other.path)

    @property
    def root_path(self) -> str:
        """The path of the government (the top of the tree) this agency belongs to."""
        return self.path.split("/", 1)[0] + "/"

    @property
    def root(self) -> "Agency":
        return self.ancestors()[0]

    def inspectorate(self) -> "Agency | None":
        """The inspectorate unit that takes this agency's whistle-blowing reports."""
        top = self.root
        return top.descendants().filter(is_inspectorate=True).order_by("path").first()


# Commands of the SMS channel itself (lapor/sms/inbound.py): never an agency's keyword.
RESERVED_SMS_KEYWORDS = {"CEK", "LENGKAPI", "BALAS", "PUAS", "BUKA"}


def normalize_keyword(keyword: str) -> str:
    return "".join(keyword.split()).upper()


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("Admin Nasional")
    AGENCY_ADMIN = "agency_admin", _("Admin Instansi")
    UNIT_ADMIN = "unit_admin", _("Admin Unit Kerja")
    OFFICER = "officer", _("Pejabat Penghubung")
    SUPERVISOR = "supervisor", _("Pengawas")
    IDENTITY_CUSTODIAN = "identity_custodian", _("Pemegang Identitas")


class Membership(models.Model):
    """A staff member's role in one agency or unit. One person may hold several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, verbose_name=_("instansi"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("peran"), max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = _("peran staf")
        verbose_name_plural = _("peran staf")
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.agency}"


class RoutingRule(models.Model):
    """Maps a category (and optionally a region) to the agency that usually handles it.

    The most specific rule wins: a rule for the village beats one for its district, which
    beats the regency's, the province's, and finally a rule with no region at all.
    """

    category = models.ForeignKey("categories.Category", verbose_name=_("kategori"), on_delete=models.CASCADE)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("wilayah"), null=True, blank=True, on_delete=models.CASCADE
    )
    agency = models.ForeignKey(Agency, verbose_name=_("instansi tujuan"), on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("aturan rute")
        verbose_name_plural = _("aturan rute")
        constraints = [models.UniqueConstraint(fields=["category", "region"], name="routing_rule_unique")]

    def __str__(self):
        return f"{self.category} / {self.region or '*'} → {self.agency}"

"""The words of SILAPAT (SPEC §11): Indonesian labels, English values."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Religion(models.TextChoices):
    ISLAM = "islam", _("Islam")
    KRISTEN = "kristen", _("Kristen")
    KATOLIK = "katolik", _("Katolik")
    HINDU = "hindu", _("Hindu")
    BUDDHA = "buddha", _("Buddha")
    KHONGHUCU = "khonghucu", _("Khonghucu")
    KEPERCAYAAN = "kepercayaan", _("Penghayat Kepercayaan")


class WorshipKind(models.TextChoices):
    MASJID = "masjid", _("Masjid")
    MUSALA = "musala", _("Musala/Langgar")
    GEREJA = "gereja", _("Gereja")
    KAPEL = "kapel", _("Kapel")
    PURA = "pura", _("Pura")
    VIHARA = "vihara", _("Vihara")
    KELENTENG = "kelenteng", _("Kelenteng")
    SASANA = "sasana", _("Sasana/Balai Kepercayaan")
    LAINNYA = "lainnya", _("Lainnya")


class OrganizationKind(models.TextChoices):
    ORGANIZATION = "organisasi", _("Organisasi keagamaan")
    INSTITUTION = "lembaga", _("Lembaga keagamaan")


class OrganizationLevel(models.TextChoices):
    VILLAGE = "desa", _("Desa/Kelurahan")
    DISTRICT = "kecamatan", _("Kecamatan")
    REGENCY = "kabupaten", _("Kabupaten/Kota")
    PROVINCE = "provinsi", _("Provinsi")
    NATIONAL = "nasional", _("Nasional")


class TensionKind(models.TextChoices):
    BETWEEN = "antar", _("Antarumat beragama")
    WITHIN = "intern", _("Intern umat beragama")
    WITH_GOVERNMENT = "pemerintah", _("Umat beragama dengan pemerintah")


class Vulnerability(models.IntegerChoices):
    LOW = 1, _("Rendah")
    MEDIUM = 2, _("Sedang")
    HIGH = 3, _("Tinggi")
    CRITICAL = 4, _("Kritis")


class HarmonyRoleKind(models.TextChoices):
    HEAD = "head", _("Kepala Kesbangpol")
    LEADERSHIP = "leadership", _("Pimpinan daerah")


class ThresholdScope(models.IntegerChoices):
    DISTRICT = 3, _("Kecamatan")
    VILLAGE = 4, _("Kelurahan/Desa")

"""Validation of the NIK, Indonesia's 16-digit national identity number (SPEC §6).

Layout of a NIK, ``PPKKDD DDMMYY SSSS``:

- digits 1–6: the district (kecamatan) where it was issued, as province ``PP``, regency or
  city ``KK`` and district ``DD``; ``63.72.01`` in the dotted form of the region tables;
- digits 7–12: the birth date as ``DDMMYY``, with 40 added to the day for women (a woman
  born on the 1st has ``41``);
- digits 13–16: a serial number, never ``0000``.

The NIK holds only two digits of the year. ``parse_nik`` takes the latest century that does
not put the birth date after today: on 1 June 2026 ``YY = 05`` means 2005 and ``YY = 30``
means 1930. A person over a hundred years old therefore parses a century too late; that is
why ``validate_nik`` compares the given birth date with the NIK by day, month and the last
two digits of the year only, which is all the NIK states, and never by the guessed century.
"""
from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NIK_LENGTH = 16
WOMAN_DAY_OFFSET = 40

# People copy a NIK as "6372 0141 0590 0001", "63.7201.410590.0001" or with dashes.
_SEPARATORS = re.compile(r"[\s.\-\u2010-\u2015]")
_ASCII_DIGITS = re.compile(r"[0-9]+")

MESSAGES = {
    "length": _("NIK harus 16 digit angka."),
    "digits": _("NIK hanya boleh berisi angka."),
    "region": _("Kode wilayah pada NIK (digit 1–6) bukan kode kecamatan yang dikenal."),
    "date": _("Tanggal lahir pada NIK (digit 7–12) bukan tanggal yang benar."),
    "birth_date_mismatch": _("Tanggal lahir pada NIK (digit 7–12) tidak sesuai dengan tanggal lahir yang diisi."),
    "sex_mismatch": _("Jenis kelamin pada NIK (digit 7–8) tidak sesuai dengan jenis kelamin yang dipilih."),
    "serial": _("Nomor urut pada NIK (digit 13–16) tidak boleh 0000."),
}


def _error(code: str) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code)


@dataclass(frozen=True)
class NikParts:
    district_code: str  # "63.72.01"
    birth_date: datetime.date  # century guessed, see the module docstring
    sex: str  # "M" or "F"
    serial: str  # "0001"

    @property
    def province_code(self) -> str:
        return self.district_code[:2]

    @property
    def regency_code(self) -> str:
        return self.district_code[:5]


def normalize_nik(nik: str) -> str:
    """``nik`` without the spaces, dots and dashes people type into it; not validated."""
    return _SEPARATORS.sub("", nik)


def masked_nik(nik: str) -> str:
    """The NIK with its middle digits (birth date and sex) hidden: the district code and the
    last four stay, enough to tell two people apart in a conversation."""
    nik = normalize_nik(nik or "")
    if len(nik) != 16:
        return "•" * len(nik)
    return f"{nik[:6]}••••••{nik[12:]}"


def parse_nik(nik: str, *, today: datetime.date | None = None) -> NikParts:
    """The parts of a NIK, or ``ValidationError`` (code ``digits``, ``length`` or ``date``).

    Only what stops the NIK being read is checked here; the region and the serial are
    checked by ``validate_nik``. ``today`` (the local date by default) decides the century.
    """
    digits = normalize_nik(nik)
    if not _ASCII_DIGITS.fullmatch(digits):
        raise _error("length" if digits == "" else "digits")
    if len(digits) != NIK_LENGTH:
        raise _error("length")

    day, month, yy = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    sex = "M"
    if day > WOMAN_DAY_OFFSET:
        sex, day = "F", day - WOMAN_DAY_OFFSET
    today = today or timezone.localdate()
    year = today.year - today.year % 100 + yy
    # Compared as a tuple: the date may not exist in one century but exist in the other
    # (29 February 2000 and 1900), so it must not be built before the century is known.
    if (year, month, day) > (today.year, today.month, today.day):
        year -= 100
    try:
        birth_date = datetime.date(year, month, day)
    except ValueError:
        # Day 0, day 32–40 (neither a man's nor a woman's), day over 71, month 0 or over 12,
        # 31 April, 29 February in a common year.
        raise _error("date") from None

    return NikParts(
        district_code=f"{digits[0:2]}.{digits[2:4]}.{digits[4:6]}",
        birth_date=birth_date,
        sex=sex,
        serial=digits[12:16],
    )


def district_exists(district_code: str) -> bool:
    """Whether the region tables know this district ("63.72.01")."""
    from lapor.regions.models import Region

    return Region.objects.filter(code=district_code, level=Region.Level.DISTRICT).exists()


def validate_nik(
    nik: str,
    *,
    birth_date: datetime.date | None = None,
    sex: str | None = None,
    region_exists: Callable[[str], bool] | None = None,
) -> str:
    """The normalised NIK (16 digits), or ``ValidationError`` naming the first problem found.

    Codes, in the order they are checked: ``digits``, ``length``, ``date``, ``serial``,
    ``region``, ``birth_date_mismatch``, ``sex_mismatch``. ``region_exists`` receives the
    district in dotted form ("63.72.01") and defaults to a look-up in the region tables
    (one query). ``birth_date`` is compared by day, month and the last two digits of the
    year (see the module docstring); ``sex`` is "M" or "F", or empty to skip the check.
    """
    if sex and sex not in ("M", "F"):
        raise ValueError(f"sex must be 'M' or 'F', not {sex!r}")
    parts = parse_nik(nik)
    normalised = normalize_nik(nik)

    if parts.serial == "0000":
        raise _error("serial")
    # "00" is never a province, regency or district code: no need to ask the tables.
    if "00" in parts.district_code.split("."):
        raise _error("region")
    if not (region_exists or district_exists)(parts.district_code):
        raise _error("region")

    if birth_date is not None:
        on_nik = parts.birth_date
        if (on_nik.day, on_nik.month, on_nik.year % 100) != (birth_date.day, birth_date.month, birth_date.year % 100):
            raise _error("birth_date_mismatch")
    if sex and sex != parts.sex:
        raise _error("sex_mismatch")
    return normalised

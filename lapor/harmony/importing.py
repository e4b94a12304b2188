"""Importing the SILAPAT registry from CSV (docs/silapat.md, "Format CSV").

Three kinds of file, each with a header row (column names in any case and order):

- ``rumah-ibadah``: kode_wilayah, jenis, agama, nama, alamat, lintang, bujur
- ``organisasi``: kode_wilayah, nama, jenis, agama, tingkat, narahubung, telepon, email
- ``penduduk``: kode_wilayah, tahun, agama, jumlah

Every row is checked on its own: a bad row is reported with its line number in the file
(the header is line 1) and the reason, in Indonesian, and the good rows are kept. Rows
are found again by their natural key (village + type + name; region + name; village +
year + religion), so importing the same file twice changes nothing the second time.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lapor.harmony import rules
from lapor.harmony.enums import OrganizationKind, OrganizationLevel, Religion, WorshipKind
from lapor.harmony.models import HouseOfWorship, Population, ReligiousOrganization
from lapor.regions.lookup import region_from_code
from lapor.regions.models import Region

HOUSES, ORGANIZATIONS, POPULATION = "rumah-ibadah", "organisasi", "penduduk"
COLUMNS = {
    HOUSES: ["kode_wilayah", "jenis", "agama", "nama", "alamat", "lintang", "bujur"],
    ORGANIZATIONS: ["kode_wilayah", "nama", "jenis", "agama", "tingkat", "narahubung", "telepon", "email"],
    POPULATION: ["kode_wilayah", "tahun", "agama", "jumlah"],
}
REQUIRED = {
    HOUSES: ["kode_wilayah", "jenis", "agama", "nama"],
    ORGANIZATIONS: ["kode_wilayah", "nama", "agama", "tingkat"],
    POPULATION: ["kode_wilayah", "tahun", "agama", "jumlah"],
}
KIND_LABELS = {HOUSES: gettext_lazy("Rumah ibadah"), ORGANIZATIONS: gettext_lazy("Organisasi/lembaga keagamaan"),
               POPULATION: gettext_lazy("Penduduk menurut agama")}
MAX_ROWS = 20_000
WHOLE_DIGITS = 9  # a count or a year: what an integer column holds with room to spare

RELIGION_ALIASES = {
    "protestan": Religion.KRISTEN, "kristen protestan": Religion.KRISTEN, "katholik": Religion.KATOLIK,
    "kristen katolik": Religion.KATOLIK, "budha": Religion.BUDDHA, "konghucu": Religion.KHONGHUCU,
    "kong hu cu": Religion.KHONGHUCU, "konghuchu": Religion.KHONGHUCU, "penghayat": Religion.KEPERCAYAAN,
    "penghayat kepercayaan": Religion.KEPERCAYAAN, "aliran kepercayaan": Religion.KEPERCAYAAN,
}
WORSHIP_ALIASES = {
    "mushola": WorshipKind.MUSALA, "musholla": WorshipKind.MUSALA, "mushalla": WorshipKind.MUSALA,
    "langgar": WorshipKind.MUSALA, "surau": WorshipKind.MUSALA, "wihara": WorshipKind.VIHARA,
    "klenteng": WorshipKind.KELENTENG, "litang": WorshipKind.KELENTENG, "balai": WorshipKind.SASANA,
}
LEVEL_ALIASES = {"kelurahan": OrganizationLevel.VILLAGE, "kota": OrganizationLevel.REGENCY,
                 "kabupaten/kota": OrganizationLevel.REGENCY, "desa/kelurahan": OrganizationLevel.VILLAGE}


@dataclass(frozen=True)
class RowError:
    row: int
    message: str

    def __str__(self):
        return _("Baris %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportResult:
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def kept(self) -> int:
        return self.created + self.updated + self.unchanged


class RowProblem(Exception):
    pass


def _checked(check, *args):
    """``check(*args)`` from ``lapor.harmony.rules`` (the forms' rules too), its refusal
    as this row's problem."""
    try:
        return check(*args)
    except ValidationError as error:
        raise RowProblem(error.messages[0]) from None


def _choice(raw: str, choices, aliases: dict, what: str) -> str:
    value = " ".join((raw or "").lower().split())
    for choice in choices:
        if value in (choice.value, str(choice.label).lower()):
            return choice.value
    if value in aliases:
        return aliases[value]
    allowed = ", ".join(str(c.label) for c in choices)
    raise RowProblem(_("%(what)s “%(value)s” tidak dikenal (pilihan: %(allowed)s).")
                     % {"what": what, "value": raw, "allowed": allowed})


def _region(raw: str, *, office, village_only: bool) -> Region:
    try:
        region = region_from_code(raw)
    except ValidationError as error:
        raise RowProblem(error.messages[0]) from None
    if village_only and region.level != Region.Level.VILLAGE:
        raise RowProblem(_("Kode wilayah %(code)s bukan kelurahan/desa; data ini dicatat per kelurahan/desa.")
                         % {"code": region.code})
    if office is not None and not office.covers(region):
        raise RowProblem(_("Wilayah %(name)s (%(code)s) di luar wilayah kerja %(office)s.")
                         % {"name": region.name, "code": region.code, "office": office.region.name})
    return region


def _number(raw: str, what: str) -> float | None:
    value = (raw or "").strip().replace(",", ".")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise RowProblem(_("%(what)s “%(value)s” bukan angka.") % {"what": what, "value": raw}) from None


def _whole(raw: str, what: str) -> int:
    value = (raw or "").strip().replace(" ", "")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", value):  # 1.234 as Indonesians write thousands
        value = value.replace(".", "")
    if not (value.isascii() and value.isdigit()):  # "²" is a digit to Python, no number to int()
        raise RowProblem(_("%(what)s “%(value)s” harus bilangan bulat tidak negatif.")
                         % {"what": what, "value": raw})
    if len(value) > WHOLE_DIGITS:  # past what the columns hold (and any real count or year)
        raise RowProblem(_("%(what)s paling panjang %(limit)s karakter.") % {"what": what, "limit": WHOLE_DIGITS})
    return int(value)


def _house(row: dict, office) -> tuple[dict, dict]:
    village = _region(row["kode_wilayah"], office=office, village_only=True)
    kind = _choice(row["jenis"], WorshipKind, WORSHIP_ALIASES, _("Jenis rumah ibadah"))
    religion = _choice(row["agama"], Religion, RELIGION_ALIASES, _("Agama"))
    _checked(rules.check_worship_religion, kind, religion)
    latitude, longitude = _number(row.get("lintang"), _("Lintang")), _number(row.get("bujur"), _("Bujur"))
    _checked(rules.check_location, latitude, longitude)
    name = _text(row["nama"], 200, _("Nama"))
    return ({"village": village, "kind": kind, "name": name},
            _given(religion=religion, address=_text(row.get("alamat"), 300, _("Alamat")),
                   latitude=latitude, longitude=longitude))


def _organization(row: dict, office) -> tuple[dict, dict]:
    region = _region(row["kode_wilayah"], office=office, village_only=False)
    kind = (_choice(row["jenis"], OrganizationKind, {}, _("Jenis organisasi")) if (row.get("jenis") or "").strip()
            else None)  # a new row: the model's default (organisasi)
    level = _choice(row["tingkat"], OrganizationLevel, LEVEL_ALIASES, _("Tingkat"))
    _checked(rules.check_organization_level, level, region)
    phone = _checked(rules.clean_phone, row.get("telepon"))
    email = _checked(rules.clean_email, row.get("email"))
    return ({"region": region, "name": _text(row["nama"], 200, _("Nama"))},
            _given(kind=kind, religion=_choice(row["agama"], Religion, RELIGION_ALIASES, _("Agama")),
                   level=level,
                   contact_name=_text(row.get("narahubung"), 200, _("Narahubung")), contact_phone=phone,
                   contact_email=email))


def _population(row: dict, office) -> tuple[dict, dict]:
    village = _region(row["kode_wilayah"], office=office, village_only=True)
    year = _whole(row["tahun"], _("Tahun"))
    _checked(rules.check_year, year)
    religion = _choice(row["agama"], Religion, RELIGION_ALIASES, _("Agama"))
    return ({"village": village, "year": year, "religion": religion}, {"count": _whole(row["jumlah"], _("Jumlah"))})


def _given(**values) -> dict:
    """The values a row gives: an optional column left out of the file, or left empty in
    a row, keeps what is stored (a file sent to correct addresses must not wipe the
    coordinates); a value is cleared in the form, not by an import."""
    return {f: v for f, v in values.items() if v not in (None, "")}


def _text(raw, limit: int, what: str) -> str:
    value = " ".join((raw or "").split())
    if len(value) > limit:
        raise RowProblem(_("%(what)s paling panjang %(limit)s karakter.") % {"what": what, "limit": limit})
    return value


PARSERS = {HOUSES: (_house, HouseOfWorship), ORGANIZATIONS: (_organization, ReligiousOrganization),
           POPULATION: (_population, Population)}


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows; the five bytes cp1252 leaves undefined become U+FFFD (a file that is
        # no CSV at all then fails on its columns, said per line, not on its bytes).
        return data.decode("cp1252", errors="replace")


def registry_import(*, kind: str, text: str, office=None) -> ImportResult:
    """Import one CSV file of ``kind``; ``office`` limits the rows to its area (an
    operator's upload). Returns what was created, updated and left unchanged, and every
    bad row with its line number and reason.

    Side effects: each good row is written in its own savepoint, so a failing row never
    undoes another; nothing is ever deleted."""
    if kind not in PARSERS:
        raise ValueError(f"unknown registry kind {kind!r}")
    result = ImportResult(kind=kind)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED[kind] if c not in header]
    if missing:
        result.errors.append(RowError(1, _("Kolom wajib tidak ada: %(columns)s. Kolom yang dikenal: %(known)s.")
                                      % {"columns": ", ".join(missing), "known": ", ".join(COLUMNS[kind])}))
        return result
    reader.fieldnames = header
    parse, model = PARSERS[kind]
    for count, raw in enumerate(reader, start=1):
        line = reader.line_num
        if count > MAX_ROWS:
            result.errors.append(RowError(line, _("Berkas terlalu besar: paling banyak %(n)s baris sekali impor.")
                                          % {"n": MAX_ROWS}))
            break
        if raw.get(None):
            result.errors.append(RowError(line, _("Baris ini punya lebih banyak kolom daripada judul kolom.")))
            continue
        row = {k: (v or "") for k, v in raw.items() if k}
        if not any(v.strip() for v in row.values()):
            continue  # an empty line
        if any("\x00" in v for v in row.values()):  # PostgreSQL text cannot hold it
            result.errors.append(RowError(line, _("Karakter NUL tidak diperbolehkan.")))
            continue
        empty = [c for c in REQUIRED[kind] if not row.get(c, "").strip()]
        if empty:
            result.errors.append(RowError(line, _("Kolom %(columns)s wajib diisi.") % {"columns": ", ".join(empty)}))
            continue
        try:
            key, values = parse(row, office)
        except RowProblem as problem:
            result.errors.append(RowError(line, str(problem)))
            continue
        # Encrypted contact fields cannot be compared in SQL: the row is fetched by its key
        # and compared in Python.
        with transaction.atomic():
            existing = model.objects.select_for_update().filter(**key).first()
            if existing is None:
                model.objects.create(**key, **values)
                result.created += 1
            elif all(getattr(existing, f) == v for f, v in values.items()):
                result.unchanged += 1
            else:
                for f, v in values.items():
                    setattr(existing, f, v)
                existing.save()
                result.updated += 1
    return result

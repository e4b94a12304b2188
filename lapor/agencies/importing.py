"""Importing an agency tree, and optionally its routing rules, from a file (SPEC §10, §13).

A national office onboarding a province or the country brings its own tree of agencies
and units as a spreadsheet: ``manage.py import_agencies`` and ``/kantor/kelola/impor-instansi/``
both call ``import_agencies``. Files are read by ``lapor.reports.importing.read_rows`` (CSV
in UTF-8 or Windows-1252, comma/semicolon/tab; XLSX), one row per agency:

``slug`` (required: the stable key; an agency with that slug is updated), ``name``
(required), ``short_name``, ``kind``, ``parent`` (a slug: an agency already in the system
or another row, in any order; empty: a top agency), ``region`` (code; empty: the
parent's), ``time_zone`` (empty: the zone of the row's region, else the parent's, else
WIB), ``sms_keyword``, ``is_inspectorate``, ``supervises`` (slugs separated by ``;``),
``is_active``, ``admin_email`` and ``admin_name`` (the agency's first admin: an account
with that e-mail is given the role, or one is made without a password, as in
``/kantor/kelola/staf/``; once the import commits, each new account is e-mailed an
invitation that sets its password, and an existing one a notice of its new role, one
e-mail per person: lapor/notifications/invitations.py). A column the file does not have
leaves that field of an existing agency as it is; a column it has but left empty means
the default.

Each agency is checked by the model itself (``full_clean``: region inside the parent's,
SMS keywords, deactivation), so the rules of the Django admin hold. Errors are per row,
by the row's number in the spreadsheet (the header is row 1); the other rows are kept.

One transaction for the whole file, a savepoint per row: the tree appears at once or not
at all (a process killed halfway leaves nothing, and reports are never routed into half
a tree), a row that fails leaves nothing of itself, and a dry run is the same work rolled
back at the end, so it checks exactly what a commit would do. The links between rows that
can only be made once every row is in (``supervises``), the audit entry and the admin are
done in a second step; a row that fails there (it supervises a row that failed) has the
whole file done again without it, so that no row is ever half imported.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from lapor.accounts.adapter import RESERVED_USERNAME_PREFIXES
from lapor.agencies import services
from lapor.agencies.models import Agency, Role, RoutingRule, TimeZone
from lapor.audit.models import AuditAction
from lapor.audit.services import audit_record, diff, snapshot
from lapor.categories.models import Category
from lapor.notifications.invitations import staff_roles_granted
from lapor.regions.lookup import region_from_code
from lapor.regions.zones import zone_for_region
from lapor.reports.importing import ReadNote, Unreadable, read_rows

COLUMNS = ("slug", "name", "short_name", "kind", "parent", "region", "time_zone", "sms_keyword", "is_inspectorate",
           "supervises", "is_active", "admin_email", "admin_name")
ROUTING_COLUMNS = ("category", "region", "agency")
TRUE, FALSE = {"1", "true", "ya", "yes", "y"}, {"0", "false", "tidak", "no", "n"}
ZONES = {"wib": TimeZone.WIB, "wita": TimeZone.WITA, "wit": TimeZone.WIT,
         **{zone.value.lower(): zone.value for zone in TimeZone}}
# Words an office writes for a kind besides the codes and the labels.
KIND_WORDS = {"provinsi": "province", "kabupaten": "regency", "kota": "regency", "kabupaten/kota": "regency",
              "opd": "unit", "perangkat daerah": "unit", "unit kerja": "unit", "inspektorat": "unit"}

CREATED, CHANGED, UNCHANGED, ERROR = "created", "changed", "unchanged", "error"


@dataclass
class RowResult:
    line: int  # the row's number in the spreadsheet: the header is 1
    key: str  # the slug, or "category / region" of a routing rule
    status: str = UNCHANGED
    errors: dict[str, list[str]] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)  # field names
    notes: list[str] = field(default_factory=list)  # e.g. the admin account made

    def fail(self, error: ValidationError | dict) -> None:
        messages = error if isinstance(error, dict) else _messages(error)
        for name, texts in messages.items():
            self.errors.setdefault(name, []).extend(texts)
        self.status = ERROR


@dataclass
class ImportResult:
    agencies: list[RowResult] = field(default_factory=list)
    routing: list[RowResult] = field(default_factory=list)
    committed: bool = False
    # The addresses of the new admin accounts: e-mailed an invitation once committed.
    invited: list[str] = field(default_factory=list)

    @staticmethod
    def _count(rows) -> dict[str, int]:
        counts = dict.fromkeys((CREATED, CHANGED, UNCHANGED, ERROR), 0)
        for row in rows:
            counts[row.status] += 1
        return counts

    @property
    def agency_counts(self) -> dict[str, int]:
        return self._count(self.agencies)

    @property
    def routing_counts(self) -> dict[str, int]:
        return self._count(self.routing)

    @property
    def errors(self) -> int:
        return sum(row.status == ERROR for row in self.agencies + self.routing)

    @property
    def writes(self) -> int:
        return sum(row.status in (CREATED, CHANGED) for row in self.agencies + self.routing)


def _messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {("row" if name == NON_FIELD_ERRORS else name): texts for name, texts in error.message_dict.items()}
    return {"row": error.messages}


def field_label(name: str) -> str:
    """How a column is named to a person: the model's own words ("induk" for parent)."""
    if name == "row":
        return _("baris")
    for model in (Agency, RoutingRule):
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:  # a column that is no field of it (admin_email)
            continue
    return name


# --- Reading -----------------------------------------------------------------------------------

def read_file(path: Path, note: ReadNote | None = None, *, columns=COLUMNS,
              required=("slug", "name")) -> list[tuple[int, dict]]:
    """``[(row number, {column: text})]`` from a CSV or XLSX file. Raises ``Unreadable``
    (nothing is imported) for a file that is no table, has no rows, lacks a required
    column or has a column we do not know: a misspelt ``parrent`` would otherwise drop
    every parent silently."""
    rows = read_rows(path, note, key=required[0])
    if not rows:
        raise Unreadable(_("Berkas tidak berisi baris data (baris pertama adalah judul kolom)."))
    cleaned, header = [], {}
    for number, row in enumerate(rows, start=2):
        plain = {str(name).strip().lower(): _text(value) for name, value in row.items() if name is not None}
        header.update(dict.fromkeys(plain))
        cleaned.append((number, plain))
    unknown = [name for name in header if name not in columns and name]
    if unknown:
        raise Unreadable(_("Kolom tidak dikenal: %(unknown)s. Kolom yang dikenal: %(known)s.") % {
            "unknown": ", ".join(unknown), "known": ", ".join(columns)})
    missing = [name for name in required if name not in header]
    if missing:
        raise Unreadable(_("Kolom wajib tidak ada: %(missing)s. Kolom yang dikenal: %(known)s.") % {
            "missing": ", ".join(missing), "known": ", ".join(columns)})
    return cleaned


def read_routing_file(path: Path, note: ReadNote | None = None) -> list[tuple[int, dict]]:
    return read_file(path, note, columns=ROUTING_COLUMNS, required=("category", "agency"))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # a JSON file's true/false
        return "1" if value else "0"
    # A NUL means nothing in a name or a code, and PostgreSQL refuses it in any query.
    return str(value).replace("\x00", "").strip()


def _flag(row: dict, name: str, default: bool, errors: dict) -> bool:
    value = row.get(name, "").lower()
    if not value:
        return default
    if value in TRUE | FALSE:
        return value in TRUE
    errors[name] = [_("Tulis ya atau tidak (juga true/false, 1/0), bukan “%(value)s”.") % {"value": row[name]}]
    return default


@functools.lru_cache(maxsize=8)
def _kind_words(language: str | None) -> dict[str, str]:
    """Codes, the Indonesian labels and those of the reader's language → the code."""
    known = dict(KIND_WORDS)
    for choice in Agency.Kind:
        for labelled_in in ("id", language):
            with translation.override(labelled_in):
                known[" ".join(str(choice.label).lower().split())] = choice.value
        known[choice.value] = choice.value
    return known


def _kind(value: str, errors: dict) -> str:
    if not value:
        return Agency.Kind.UNIT
    known = _kind_words(translation.get_language())
    wanted = " ".join(value.lower().split())
    if wanted in known:
        return known[wanted]
    errors["kind"] = [_("Jenis “%(value)s” tidak dikenal. Pilih: %(choices)s.") % {
        "value": value, "choices": ", ".join(Agency.Kind.values)}]
    return Agency.Kind.UNIT


def _region(value: str, errors: dict, name: str = "region"):
    if not value:
        return None
    if re.fullmatch(r"\d{2}\.\d", value):
        value += "0"  # a spreadsheet that took 63.10 for a number wrote it 63.1
    try:
        return region_from_code(value)
    except ValidationError as error:
        errors[name] = error.messages
        return None


def _parse(row: dict) -> tuple[dict, dict]:
    """The row's values, checked one by one (references to other rows come later)."""
    errors: dict[str, list[str]] = {}
    data = {"slug": row.get("slug", ""), "name": row.get("name", ""), "short_name": row.get("short_name", ""),
            "parent": row.get("parent", ""), "sms_keyword": row.get("sms_keyword", "") or None,
            "admin_name": row.get("admin_name", ""), "admin_email": row.get("admin_email", "")}
    for name in ("slug", "name"):
        if not data[name]:
            errors[name] = [_("Wajib diisi.")]
    data["kind"] = _kind(row.get("kind", ""), errors)
    data["region"] = _region(row.get("region", ""), errors)
    zone = row.get("time_zone", "")
    data["time_zone"] = ZONES.get(zone.lower()) if zone else None
    if zone and data["time_zone"] is None:
        errors["time_zone"] = [_("Zona waktu “%(value)s” tidak dikenal: tulis WIB, WITA atau WIT (atau "
                                 "Asia/Jakarta, Asia/Makassar, Asia/Jayapura).") % {"value": zone}]
    data["is_inspectorate"] = _flag(row, "is_inspectorate", False, errors)
    data["is_active"] = _flag(row, "is_active", True, errors)
    data["supervises"] = list(dict.fromkeys(s.strip() for s in row.get("supervises", "").split(";") if s.strip()))
    if data["admin_email"]:
        try:
            validate_email(data["admin_email"])
        except ValidationError:
            errors["admin_email"] = [_("Alamat e-mail “%(value)s” tidak valid.") % {"value": data["admin_email"]}]
    elif data["admin_name"]:
        errors["admin_email"] = [_("Isi juga admin_email: akun admin dibuat atau dicari dengan e-mail-nya.")]
    return data, errors


# --- Importing ---------------------------------------------------------------------------------

class _Again(Exception):
    def __init__(self, late: dict[int, dict]):
        self.late = late


class _DryRun(Exception):
    def __init__(self, result: ImportResult):
        self.result = result


def import_agencies(rows: list[tuple[int, dict]], *, by, commit: bool, routing_rows=None,
                    ip: str | None = None) -> ImportResult:
    """Create or update the agencies of ``rows`` (from ``read_file``) and then the routing
    rules of ``routing_rows`` (from ``read_routing_file``), as ``by``.

    Side effects (``commit`` only; a dry run rolls everything back): Agency rows created,
    changed or moved (the model's save moves a moved agency's units with it); their
    ``supervises``; an audit entry per agency created or changed; admin accounts and
    roles (``staff_account_create``, ``membership_grant``), and after commit one e-mail
    per person given a role (an invitation with a password link for a new account);
    routing rules created or, when one for the same category and region pointed
    elsewhere, replaced (``routing_rule_delete`` + ``routing_rule_create``), each with its
    own audit entry."""
    late: dict[int, dict] = {}
    while True:
        try:
            with transaction.atomic():
                run = _Run(rows, by=by, ip=ip, failed_before=late, commit=commit)
                result = ImportResult(agencies=run.agencies(), committed=commit)
                if run.late:
                    raise _Again(run.late)
                result.routing = _routing(routing_rows or [], by=by, ip=ip, failed=run.failed_lines)
                result.invited = run.invited
                if not commit:
                    raise _DryRun(result)
                # Sent once this transaction commits (never for a pass done again or rolled back).
                staff_roles_granted(run.granted, by=by)
            return result
        except _Again as again:  # rows that failed after others built on them: once more without them
            late.update(again.late)
        except _DryRun as dry:
            return dry.result


class _Run:
    """One pass over the file inside the import's transaction."""

    def __init__(self, rows, *, by, ip, failed_before: dict[int, dict], commit: bool = True):
        self.by, self.ip, self.commit = by, ip, commit
        self.granted: dict[int, list[int]] = {}  # user id → the memberships given: one e-mail each
        self.invited: list[str] = []
        self.present = {name for _line, row in rows for name in row}
        self.results: dict[int, RowResult] = {}
        self.data: dict[int, dict] = {}
        self.line_of: dict[str, int] = {}  # slug → the line that defines it (its first)
        self.failed: set[str] = set()
        self.late: dict[int, dict] = {}
        self.in_cycle: set[int] = set()
        for line, row in rows:
            result = self.results[line] = RowResult(line=line, key=row.get("slug", ""))
            data, errors = _parse(row)
            slug = data["slug"]
            if slug in self.line_of:
                errors = {"slug": [_("Slug %(slug)s sudah ada di baris %(line)d berkas ini; baris ini tidak "
                                     "diimpor.") % {"slug": slug, "line": self.line_of[slug]}]}
            elif slug:
                self.line_of[slug] = line
            errors.update(failed_before.get(line, {}))
            self.data[line] = data
            if errors:
                result.fail(errors)
        self._check_references()
        self._check_cycles()
        for line, result in self.results.items():
            if result.status == ERROR and self.line_of.get(result.key) == line:
                self.failed.add(result.key)

    @property
    def failed_lines(self) -> dict[str, int]:
        return {slug: self.line_of[slug] for slug in self.failed}

    def _pending(self):
        return [line for line, result in self.results.items() if result.status != ERROR]

    def _check_references(self) -> None:
        named = {d["parent"] for d in self.data.values() if d["parent"]}
        named |= {s for d in self.data.values() for s in d["supervises"]}
        existing = set(Agency.objects.filter(slug__in=named - set(self.line_of)).values_list("slug", flat=True))
        for line in self._pending():
            data, errors = self.data[line], {}
            if data["parent"] == data["slug"]:
                errors["parent"] = [_("Instansi tidak boleh menjadi induk dari dirinya sendiri.")]
            elif data["parent"] and data["parent"] not in self.line_of and data["parent"] not in existing:
                errors["parent"] = [_("Tidak ada instansi dengan slug %(slug)s, di sistem maupun di berkas ini.")
                                    % {"slug": data["parent"]}]
            unknown = [s for s in data["supervises"] if s not in self.line_of and s not in existing]
            if unknown:
                errors["supervises"] = [_("Tidak ada instansi dengan slug %(slug)s, di sistem maupun di berkas ini.")
                                        % {"slug": ", ".join(unknown)}]
            if errors:
                self.results[line].fail(errors)

    def _parent_line(self, line: int) -> int | None:
        return self.line_of.get(self.data[line]["parent"])

    def _check_cycles(self) -> None:
        """Rows that are, through their parents in the file, their own ancestors."""
        done: set[int] = set()
        for start in self._pending():
            path, line = [], start
            while line is not None and line not in done and line not in path:
                path.append(line)
                line = self._parent_line(line)
            if line is not None and line in path:
                cycle = path[path.index(line):]
                slugs = " → ".join(self.data[n]["slug"] for n in cycle + [line])
                self.in_cycle.update(cycle)
                for member in cycle:
                    self.results[member].fail({"parent": [_("Induk berputar di berkas ini: %(cycle)s.")
                                                          % {"cycle": slugs}]})
            done.update(path)

    def _depth(self, line: int) -> int:
        """How many rows of the file are above this one (a chain ends at a cycle, which failed)."""
        depth, parent = 0, self._parent_line(line)
        while parent is not None and parent not in self.in_cycle and depth <= len(self.data):
            depth, parent = depth + 1, self._parent_line(parent)
        return depth

    def _order(self) -> list[int]:
        """Parents before children; but an agency taken out of service after the rows of its
        own units (the model refuses while one of them is still active)."""
        pending = sorted(self._pending(), key=lambda line: (self._depth(line), line))
        active = dict(Agency.objects.filter(slug__in=[self.data[n]["slug"] for n in pending])
                      .values_list("slug", "is_active"))
        closing = [n for n in pending if "is_active" in self.present and not self.data[n]["is_active"]
                   and active.get(self.data[n]["slug"])]
        return [n for n in pending if n not in closing] + closing[::-1]

    def agencies(self) -> list[RowResult]:
        written = {}
        for line in self._order():
            try:
                with transaction.atomic():
                    written[line] = self._write(line)
            except ValidationError as error:
                self._failed(line, error)
            except DatabaseError as error:  # a constraint the checks did not foresee: this row only
                self._failed(line, ValidationError(_("Basis data menolak baris ini: %(error)s") % {"error": error}))
        for line, (agency, before) in written.items():
            if self.results[line].status == ERROR:
                continue
            try:
                with transaction.atomic():
                    self._finish(line, agency, before)
            except (ValidationError, DatabaseError) as error:
                # Others may stand on what this row did (its units): the file is done again without it.
                self.results[line].fail(error if isinstance(error, ValidationError) else ValidationError(
                    _("Basis data menolak baris ini: %(error)s") % {"error": error}))
                self.late[line] = self.results[line].errors
        return sorted(self.results.values(), key=lambda r: r.line)

    def _failed(self, line: int, error: ValidationError) -> None:
        self.results[line].fail(error)
        self.failed.add(self.data[line]["slug"])

    def _refuse_failed(self, slug: str, name: str) -> None:
        if slug in self.failed:
            raise ValidationError({name: _("Instansi %(slug)s (baris %(line)d) tidak diimpor, jadi baris ini juga "
                                           "tidak.") % {"slug": slug, "line": self.line_of[slug]}})

    def _write(self, line: int) -> tuple[Agency, dict | None]:
        """The agency of ``line``, created or changed and saved; (agency, snapshot before)."""
        data, present = self.data[line], self.present
        if data["parent"]:
            self._refuse_failed(data["parent"], "parent")
        for slug in data["supervises"]:
            self._refuse_failed(slug, "supervises")
        agency = Agency.objects.filter(slug=data["slug"]).select_related("parent").first()
        new = agency is None
        agency = agency or Agency(slug=data["slug"])
        before = None if new else snapshot(agency)
        agency.name = data["name"]
        if new or "parent" in present:
            agency.parent = Agency.objects.filter(slug=data["parent"]).first() if data["parent"] else None
            if data["parent"] and agency.parent is None:  # its row was not written: refused above
                raise ValidationError({"parent": _("Induk %(slug)s belum ada.") % {"slug": data["parent"]}})
        parent = agency.parent
        for name in ("short_name", "kind", "sms_keyword", "is_inspectorate", "is_active"):
            if new or name in present:
                setattr(agency, name, data[name])
        if new or "region" in present:
            agency.region = data["region"] or (parent.region if parent else None)
        if new or "time_zone" in present:
            agency.time_zone = (data["time_zone"] or zone_for_region(data["region"] and data["region"].code)
                                or (parent.time_zone if parent else None) or TimeZone.WIB)
        agency.full_clean()
        if new or _fields(before) != _fields(snapshot(agency)):
            agency.save()
        return agency, before

    def _finish(self, line: int, agency: Agency, before: dict | None) -> None:
        """What needs every row in: the supervised agencies; then the audit entry and the admin."""
        data, result = self.data[line], self.results[line]
        if "supervises" in self.present:
            for slug in data["supervises"]:
                self._refuse_failed(slug, "supervises")
            wanted = list(Agency.objects.filter(slug__in=data["supervises"]))
            if {a.pk for a in wanted} != set(agency.supervises.values_list("pk", flat=True)):
                agency.supervises.set(wanted)
        changes = diff(before, snapshot(agency))
        if before is None:
            audit_record(actor=self.by, action=AuditAction.CREATED, target=agency, changes=changes, ip=self.ip)
            result.status = CREATED
        elif changes:
            audit_record(actor=self.by, action=AuditAction.CHANGED, target=agency, changes=changes, ip=self.ip)
            result.status, result.changed = CHANGED, list(changes)
        if data["admin_email"]:
            self._admin(agency, data, result)

    def _admin(self, agency: Agency, data: dict, result: RowResult) -> None:
        User = get_user_model()
        email = data["admin_email"]
        user = User.objects.filter(email__iexact=email).first()
        new = user is None
        if new:
            user = services.staff_account_create(by=self.by, username=_free_username(email), email=email,
                                                 full_name=data["admin_name"], agency=agency, ip=self.ip)
            result.notes.append(_("akun baru %(username)s") % {"username": user.username})
        membership, granted = services.membership_grant(by=self.by, user=user, agency=agency,
                                                        role=Role.AGENCY_ADMIN, ip=self.ip, notify=False)
        if granted:
            self.granted.setdefault(user.pk, []).append(membership.pk)  # told after commit: import_agencies
            result.notes.append(_("%(username)s menjadi Admin Instansi") % {"username": user.username})
            if result.status == UNCHANGED:
                result.status = CHANGED
        if new:
            self.invited.append(email)
            result.notes.append((_("undangan dikirim ke %(email)s") if self.commit
                                 else _("undangan akan dikirim ke %(email)s")) % {"email": email})


def _fields(before: dict | None) -> dict:
    """A snapshot's stored values, without the links made later (``supervises``)."""
    return {name: raw for name, (raw, _shown) in (before or {}).items() if name != "supervises"}


def _free_username(email: str) -> str:
    """A user name from the address's local part (``admin.mataram``), numbered when taken."""
    User = get_user_model()
    base = re.sub(r"[^\w.+-]", "", email.split("@")[0])[:140] or "admin"
    if base.lower().startswith(RESERVED_USERNAME_PREFIXES):
        base = f"staf.{base}"
    name, n = base, 2
    while User.objects.filter(username__iexact=name).exists():
        name, n = f"{base}{n}", n + 1
    return name


# --- Routing rules -----------------------------------------------------------------------------

def _routing(rows, *, by, ip, failed: dict[str, int]) -> list[RowResult]:
    """Routing rules (category, region → agency), after the agencies they may name. An
    identical rule is unchanged; one for the same pair sending elsewhere is replaced."""
    results, seen = [], {}
    for line, row in rows:
        category_slug, agency_slug = row.get("category", ""), row.get("agency", "")
        result = RowResult(line=line, key=f"{category_slug} / {row.get('region', '') or '*'}")
        results.append(result)
        errors: dict[str, list[str]] = {}
        category = Category.objects.filter(slug=category_slug).first() if category_slug else None
        if category is None:
            errors["category"] = [_("Tidak ada kategori dengan slug “%(slug)s”.") % {"slug": category_slug}
                                  if category_slug else _("Wajib diisi.")]
        region = _region(row.get("region", ""), errors)
        agency = Agency.objects.filter(slug=agency_slug).first() if agency_slug else None
        if agency_slug in failed:
            errors["agency"] = [_("Instansi %(slug)s (baris %(line)d) tidak diimpor, jadi baris ini juga tidak.")
                                % {"slug": agency_slug, "line": failed[agency_slug]}]
        elif agency is None:
            errors["agency"] = [_("Tidak ada instansi dengan slug “%(slug)s”.") % {"slug": agency_slug}
                                if agency_slug else _("Wajib diisi.")]
        pair = (category and category.pk, region and region.code)
        if not errors and pair in seen:
            errors["region"] = [_("Aturan untuk kategori dan wilayah ini sudah ada di baris %(line)d berkas ini.")
                                % {"line": seen[pair]}]
        if errors:
            result.fail(errors)
            continue
        seen[pair] = line
        try:
            with transaction.atomic():
                _rule(result, by=by, ip=ip, category=category, region=region, agency=agency)
        except DatabaseError as error:
            result.fail(ValidationError(_("Basis data menolak baris ini: %(error)s") % {"error": error}))
    return results


def _rule(result: RowResult, *, by, ip, category, region, agency) -> None:
    existing = RoutingRule.objects.filter(category=category, region=region).select_related("agency").first()
    if existing is not None and existing.agency_id == agency.pk:
        return
    if existing is not None:
        services.routing_rule_delete(by=by, rule=existing, ip=ip)
        result.status, result.changed = CHANGED, ["agency"]
        result.notes.append(_("sebelumnya ke %(agency)s") % {"agency": existing.agency.name})
    else:
        result.status = CREATED
    services.routing_rule_create(by=by, category=category, region=region, agency=agency, ip=ip)

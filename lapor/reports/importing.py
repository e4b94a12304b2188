"""Bulk import of legacy reports (SPEC §7), e.g. when moving from an older system.

Every row goes through the lifecycle services with its original timestamps (``now=``),
so the history is a real event log (received, verified, answered, closed) with the
deadlines the rules give, and nothing sets a status by hand. A bad row is reported with
its line number and field messages and writes nothing; the other rows go on.

Re-runs are idempotent: each row's ``external_id`` is claimed in ``api.ExternalReference``
under the source's own account (``import-<source>``), unique, so a second run skips the
rows already imported. Without ``commit`` every row is checked by really running it and
rolling it back (a dry run that exercises the same rules).

Speed (bench: 100,000 rows): a chunk of ``CHUNK`` rows runs through the same services
with a ``writing.Batch`` writer, which keeps the new reports, events, follow-ups and
external-id claims in memory and writes them with one multi-row INSERT per table in one
transaction. A row the services refuse is dropped from the batch with its messages; if
the database refuses the chunk, it is done again row by row (a savepoint per row), which
names the row at fault. The reference data a row names (regions, topics, agencies, staff)
is looked up once per run, and history older than a few days queues no notifications
(it would tell nobody anyway).

Files (``read_rows``): CSV in UTF-8 or Windows-1252 with commas, semicolons or tabs; XLSX
(first sheet; date cells in the ``zone`` given); JSON. A file that cannot be read as rows
stops before any row is imported (``Unreadable``).

Row fields (CSV columns, or keys of the JSON objects):

- ``external_id`` (required), ``title``, ``body``, ``created_at`` (ISO 8601 with offset),
  ``kind``, ``category`` (slug), ``region`` (code), ``address``, ``latitude``,
  ``longitude``, ``incident_date``, ``agency`` (slug of the addressed agency),
  ``is_anonymous``, ``is_confidential``, ``reporter_phone`` (becomes a phone-only reporter);
- history, flat: ``verified_at`` + ``assigned_agency``; ``answered_at`` + ``answer`` +
  ``answered_by`` (username of staff of the assigned agency); ``closed_at`` +
  ``close_reason``; ``archived_at`` + ``archive_reason``;
- or, in JSON, a ``history`` list of steps in order, each ``{"action": …, "at": …}`` and:
  ``verify``: ``agency`` (slug of the assigned agency); ``answer``: ``body`` and ``by``
  (username); ``reply``: ``text`` (needs ``reporter_phone`` on the row: the reply is the
  reporter's); ``close``/``archive``: ``reason``. The flat columns' names are understood in
  a step too (``assigned_agency``, ``answer``, ``answered_by``, ``close_reason``).
"""
from __future__ import annotations

import contextlib
import contextvars
import csv
import datetime
import functools
import io
import json
import multiprocessing
import re
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DatabaseError, DataError, IntegrityError, connection, connections, transaction
from django.utils.dateparse import parse_date, parse_datetime

from lapor.accounts.models import User
from lapor.accounts.phone import normalize_phone
from lapor.agencies.models import Agency
from lapor.api.models import ExternalReference
from lapor.categories.models import Category
from lapor.regions.models import Region
from lapor.reports import services, writing
from lapor.reports.enums import Channel, Kind
from lapor.reports.errors import ActionForbidden, ReportError
from lapor.reports.models import Report

TRUE = {"1", "true", "ya", "yes", "y"}
# Rows per transaction and per multi-row INSERT.
CHUNK = 1000
EXTERNAL_ID_LENGTH = ExternalReference._meta.get_field("external_id").max_length
# Reference data found during one run: {(model, attribute, value): object}.
_found: contextvars.ContextVar[dict | None] = contextvars.ContextVar("import_lookups", default=None)


class RowError(Exception):
    def __init__(self, messages: dict[str, list[str]] | str):
        self.messages = messages if isinstance(messages, dict) else {"row": [messages]}
        super().__init__(str(self.messages))


@dataclass
class ImportResult:
    created: int = 0
    skipped: int = 0
    # (record number, 1 = the first data row; external_id; {field: [messages]})
    errors: list[tuple[int, str, dict]] = field(default_factory=list)


class _DryRun(Exception):
    pass


class Unreadable(ValueError):
    """The file cannot be read as rows: what is wrong and what to do, in the user's terms."""


@dataclass
class ReadNote:
    """How a file was read, for the summary (an office should see what was assumed)."""

    encoding: str = "UTF-8"
    delimiter: str = ","
    rows: int = 0


def read_rows(path: Path, note: ReadNote | None = None, *, zone: str | None = None,
              key: str = "external_id") -> list[dict]:
    """Rows from a .csv (a header line), .xlsx (the first sheet, a header row) or .json (a
    list of objects). A CSV may be UTF-8 (with or without BOM) or, as Excel on Indonesian
    Windows saves it, Windows-1252, separated by commas, semicolons or tabs (told by its
    header line); ``note`` records what was assumed. A spreadsheet's date cells carry no
    time zone: ``zone`` (e.g. "Asia/Makassar") is theirs. A malformed file raises
    ``Unreadable`` naming the line, or a header without the ``key`` column."""
    note = note if note is not None else ReadNote()
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _read_xlsx(path, zone)
        note.encoding, note.delimiter = "XLSX", ""
    else:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            if UTF8_SEQUENCE.search(raw):
                # UTF-8 with a broken byte: read as Windows-1252 every "é" would become "Ã©".
                line = raw[:error.start].count(b"\n") + 1
                raise Unreadable(f"Berkas ini UTF-8 tetapi rusak di baris {line} (bait 0x{raw[error.start]:02x}): "
                                 "perbaiki atau simpan ulang sebagai UTF-8. Tidak ada yang diimpor.") from None
            text, note.encoding = raw.decode("cp1252", errors="replace"), "Windows-1252"
        if suffix == ".json":
            try:
                data = json.loads(text)
            except json.JSONDecodeError as error:
                raise Unreadable(f"JSON tidak valid di baris {error.lineno}, kolom {error.colno}: {error.msg}.") from None
            if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
                raise Unreadable("Berkas JSON harus berisi satu daftar objek (satu objek per laporan).")
            rows = data
        elif suffix in (".csv", ".txt", ".tsv", ""):
            rows = _read_csv(text, note)
        else:
            raise Unreadable(f"Jenis berkas {path.suffix} tidak dikenal: gunakan .csv, .xlsx atau .json.")
    if rows and suffix != ".json" and key not in rows[0]:  # a header without the column
        found = ", ".join(str(name) for name in list(rows[0])[:8]) or "—"
        raise Unreadable(f"Kolom {key} tidak ada (judul kolom yang terbaca: {found}). Periksa baris judul"
                         f"{' dan pemisahnya' if note.delimiter else ''}.")
    note.rows = len(rows)
    return rows


def _read_csv(text: str, note: ReadNote) -> list[dict]:
    header = text.split("\n", 1)[0]
    note.delimiter = max((",", ";", "\t"), key=header.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=note.delimiter, strict=True)
    rows, last_line = [], 1  # the header's
    try:
        for row in reader:
            if None in row:  # more cells than the header has columns
                raise Unreadable(f"Baris {reader.line_num} berisi lebih banyak sel daripada judul kolom "
                                 f"({len(reader.fieldnames)}): periksa pemisah dan tanda kutip.")
            rows.append(row)
            last_line = reader.line_num
    except csv.Error as error:
        # The record that broke begins on the line after the last one read whole.
        raise Unreadable(f"CSV rusak pada baris {last_line + 1}: {error} (tanda kutip yang tidak ditutup?). "
                         "Tidak ada yang diimpor.") from None
    return rows


def _read_xlsx(path: Path, zone: str | None) -> list[dict]:
    from zoneinfo import ZoneInfo

    from openpyxl import load_workbook

    try:
        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    except Exception as error:  # a damaged or mislabelled file: openpyxl raises many kinds
        raise Unreadable(f"Berkas XLSX tidak dapat dibaca: {error}.") from None
    cells = sheet.iter_rows(values_only=True)
    header = [str(c).strip() if c is not None else "" for c in next(cells, ())]
    rows = []
    for line, values in enumerate(cells, start=2):
        if all(v in (None, "") for v in values):
            continue
        row = {}
        for name, value in zip(header, values):
            if not name:
                continue
            if isinstance(value, datetime.datetime) and name in DATE_COLUMNS:
                value = value.date()  # a spreadsheet holds every date as a date-time at midnight
            if isinstance(value, datetime.datetime) and zone is None:
                raise Unreadable(
                    f"Baris {line}, kolom {name}: sel tanggal-waktu di XLSX tidak membawa zona waktu. Jalankan lagi "
                    "dengan --zone Asia/Jakarta (WIB), Asia/Makassar (WITA) atau Asia/Jayapura (WIT), atau tulis "
                    "waktunya sebagai teks ISO 8601 dengan zona (2024-05-01T09:30:00+08:00).")
            row[name] = _cell(value, ZoneInfo(zone) if zone else None)
        rows.append(row)
    return rows


# Columns that hold a day, not a moment (``incident_date``): no time zone needed.
DATE_COLUMNS = {"incident_date"}
# A multi-byte UTF-8 sequence: a file holding some is UTF-8, however broken elsewhere.
UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


def _cell(value, tz) -> str:
    """A spreadsheet cell as the CSV would hold it: date-times in ISO 8601 in ``tz``, dates
    in ISO 8601, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return (value.replace(tzinfo=tz) if value.tzinfo is None else value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def source_account(source: str) -> User:
    """The account that stands for a legacy source: owner of its external ids."""
    username = f"import-{source}"[:150]
    user, created = User.objects.get_or_create(username=username, defaults={"full_name": f"Impor {source}"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def import_rows(rows, *, source: str, by, commit: bool, progress=None, jobs: int = 1) -> ImportResult:
    """Import ``rows`` as ``by`` (a national admin: verification and closing need a router).

    ``progress``: something with ``update(n)`` (e.g. a tqdm bar), told of each chunk done.
    ``jobs`` > 1 (PostgreSQL only) runs chunks in that many worker processes: each chunk
    is its own transaction either way, so the result is the same, in less time where
    there are cores to spare. Returns counts and per-row errors (in row order)."""
    account = source_account(source)
    result = ImportResult()
    numbered, first_seen = [], {}
    for line, row in enumerate(rows, start=1):
        external_id = str(row.get("external_id") or "").strip()
        if external_id and external_id in first_seen:
            # Not "already imported": the file holds it twice, and only the first is taken.
            result.errors.append((line, external_id, {"external_id": [
                f"external_id {external_id} sudah ada di baris {first_seen[external_id]} berkas ini; baris ini "
                "tidak diimpor."]}))
            continue
        first_seen.setdefault(external_id, line)
        numbered.append((line, row))
    chunks = [numbered[i:i + CHUNK] for i in range(0, len(numbered), CHUNK)]
    if jobs > 1 and connection.vendor == "postgresql" and len(chunks) > 1:
        done = _in_workers(chunks, account=account, by=by, commit=commit, jobs=jobs)
    else:
        done = _here(chunks, account=account, by=by, commit=commit)
    for chunk_result, size in done:
        result.created += chunk_result.created
        result.skipped += chunk_result.skipped
        result.errors += chunk_result.errors
        if progress is not None:
            progress.update(size)
    result.errors.sort(key=lambda error: error[0])
    return result


def _here(chunks, *, account, by, commit):
    token = _found.set({})
    try:
        for chunk in chunks:
            yield _import_chunk(chunk, account=account, by=by, commit=commit), len(chunk)
    finally:
        _found.reset(token)


def _in_workers(chunks, *, account, by, commit, jobs):
    """Chunks spread over ``jobs`` forked processes, each with its own connection and
    its own remembered reference data; results as they come."""
    connections.close_all()  # a forked child must not share the parent's connection
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker_start,
                             initargs=(account.pk, by.pk, commit)) as pool:
        futures = {pool.submit(_worker_chunk, chunk): len(chunk) for chunk in chunks}
        for future in as_completed(futures):
            yield future.result(), futures[future]


_worker: dict = {}


def _worker_start(account_pk: int, by_pk: int, commit: bool) -> None:
    _worker.update(account=User.objects.get(pk=account_pk), by=User.objects.get(pk=by_pk), commit=commit,
                   found={})


def _worker_chunk(chunk) -> ImportResult:
    token = _found.set(_worker["found"])
    try:
        return _import_chunk(chunk, account=_worker["account"], by=_worker["by"], commit=_worker["commit"])
    finally:
        _found.reset(token)


def _import_chunk(chunk, *, account, by, commit: bool) -> ImportResult:
    """A chunk in one go (``writing.Batch``); if writing it fails (a constraint only the
    database knows, a tracking ID taken meanwhile, another import of the same source),
    again row by row, so the row at fault is named and the others go in."""
    done = _import_chunk_at_once(chunk, account=account, by=by, commit=commit)
    if done is None:
        done = _import_chunk_row_by_row(chunk, account=account, by=by, commit=commit)
    return done


def _outcome(result: ImportResult, line: int, external_id: str, run) -> None:
    """Run one row's import and count it, or record its error in the user's terms."""
    try:
        outcome = run()
    except RowError as error:
        result.errors.append((line, external_id, error.messages))
    except ValidationError as error:
        messages = error.message_dict if hasattr(error, "error_dict") else {"row": error.messages}
        result.errors.append((line, external_id, {k: [str(m) for m in v] for k, v in messages.items()}))
    except ReportError as error:
        result.errors.append((line, external_id, {"history": [str(error.message)]}))
    else:
        if outcome == "skipped":
            result.skipped += 1
        else:
            result.created += 1


def _import_chunk_at_once(chunk, *, account, by, commit: bool) -> ImportResult | None:
    """Every row through the services into a ``writing.Batch``, then one INSERT per
    table. Returns None, having written nothing, when the database refuses the chunk."""
    result = ImportResult()
    batch = writing.Batch()
    wanted = {str(row.get("external_id") or "").strip() for _line, row in chunk}
    claimed = set(ExternalReference.objects.filter(system=account, external_id__in=wanted)
                  .values_list("external_id", flat=True))

    def run(row, external_id):
        # A phone reporter's account is created at once: a savepoint takes it back if the
        # row turns out bad, as the row-by-row path does.
        with batch.row(), (transaction.atomic() if row.get("reporter_phone") else contextlib.nullcontext()):
            return _import_row(row, external_id=external_id, account=account, by=by,
                               claim=functools.partial(_claim_later, batch, claimed))

    try:
        with transaction.atomic():
            with writing.using(batch):
                for line, row in chunk:
                    external_id = str(row.get("external_id") or "").strip()
                    _outcome(result, line, external_id, functools.partial(run, row, external_id))
            batch.flush()
            if not commit:
                raise _DryRun
    except _DryRun:
        pass
    except DatabaseError:
        return None
    return result


def _import_chunk_row_by_row(chunk, *, account, by, commit: bool) -> ImportResult:
    """Each row in its own savepoint, written at once: a bad row writes nothing."""
    result = ImportResult()

    def run(row, external_id):
        try:
            with transaction.atomic():  # a savepoint: a bad row leaves nothing behind
                outcome = _import_row(row, external_id=external_id, account=account, by=by, claim=_claim_now)
                if not commit:
                    raise _DryRun
        except _DryRun:
            outcome = "created"
        except (IntegrityError, DataError) as error:
            # Something the services do not check (an operator's own constraint, a value
            # out of range): the savepoint has taken the row back; name it and go on.
            # A lost connection or any other database error still stops the import.
            reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise RowError(f"Basis data menolak baris ini: {reason}") from None
        return outcome

    with transaction.atomic():
        for line, row in chunk:
            external_id = str(row.get("external_id") or "").strip()
            _outcome(result, line, external_id, functools.partial(run, row, external_id))
    return result


def _claim_now(*, account, external_id: str, created_at):
    """Claim the external id in the database: a keep(report) function, or None when
    another row or run has it (the row is skipped)."""
    try:
        with transaction.atomic():
            claim = ExternalReference.objects.create(system=account, external_id=external_id, created_at=created_at)
    except IntegrityError:
        return None

    def keep(report):
        claim.report = report
        claim.save(update_fields=["report"])

    return keep


def _claim_later(batch, claimed: set, *, account, external_id: str, created_at):
    """As ``_claim_now``, for a batch: ids claimed before the chunk, or by an earlier row
    of it, are skipped; the claim is written with the report."""
    if external_id in claimed:
        return None

    def keep(report):
        claimed.add(external_id)
        batch.add(writing.build(ExternalReference, system=account, external_id=external_id, created_at=created_at,
                                report=report))

    return keep


def _import_row(row: dict, *, external_id: str, account, by, claim) -> str:
    if _has_nul(row):  # PostgreSQL text cannot hold it
        raise RowError("Baris berisi karakter NUL.")
    if not external_id:
        raise RowError({"external_id": ["external_id wajib diisi."]})
    if len(external_id) > EXTERNAL_ID_LENGTH:
        raise RowError({"external_id": [f"external_id paling panjang {EXTERNAL_ID_LENGTH} karakter "
                                        f"(ini {len(external_id)})."]})
    created_at = _instant(row, "created_at", required=True)
    keep = claim(account=account, external_id=external_id, created_at=created_at)
    if keep is None:
        return "skipped"
    reporter = None
    if row.get("reporter_phone"):
        from lapor.sms.reporters import phone_reporter

        try:
            reporter = phone_reporter(normalize_phone(str(row["reporter_phone"])))
        except ValidationError as error:
            raise RowError({"reporter_phone": error.messages}) from None
    report = services.report_submit(
        reporter=reporter,
        kind=(row.get("kind") or Kind.COMPLAINT),
        title=str(row.get("title") or ""),
        body=str(row.get("body") or ""),
        incident_date=_date(row, "incident_date"),
        latitude=_float(row, "latitude"),
        longitude=_float(row, "longitude"),
        region=_lookup(Region, "code", row, "region"),
        address=str(row.get("address") or ""),
        category=_lookup(Category, "slug", row, "category"),
        addressed_agency=_lookup(Agency, "slug", row, "agency"),
        is_anonymous=str(row.get("is_anonymous") or "").lower() in TRUE,
        is_confidential=str(row.get("is_confidential") or "").lower() in TRUE,
        channel=Channel.IMPORT,
        now=created_at,
    )
    for step in _history(row):
        _apply(report, step, by=by)
    keep(report)
    return "created"


def _has_nul(row: dict) -> bool:
    """A NUL character anywhere in the row, nested history included."""
    if all(isinstance(value, str) for value in row.values()):  # a CSV row
        return any("\x00" in value for value in row.values())
    return "\\u0000" in json.dumps(row, default=str)


def _history(row: dict) -> list[dict]:
    if isinstance(row.get("history"), list):
        return row["history"]
    steps = []
    if row.get("verified_at"):
        steps.append({"action": "verify", "at": row["verified_at"], "agency": row.get("assigned_agency")})
    if row.get("answered_at") or row.get("answer"):
        steps.append({"action": "answer", "at": row.get("answered_at"), "body": row.get("answer"),
                      "by": row.get("answered_by"), "flat": True})
    if row.get("closed_at"):
        steps.append({"action": "close", "at": row["closed_at"], "reason": row.get("close_reason") or "Impor data lama"})
    if row.get("archived_at"):
        steps.append({"action": "archive", "at": row["archived_at"], "reason": row.get("archive_reason")})
    return steps


# A step of a JSON ``history`` list names its parts with these keys; the flat columns' names
# are understood too (``assigned_agency`` for ``agency``, ``answer`` for ``body``…), since a
# list is often made from the same export as the flat file.
STEP_KEYS = {"agency": ("agency", "assigned_agency"), "body": ("body", "answer"), "by": ("by", "answered_by"),
             "reason": ("reason", "close_reason", "archive_reason"), "text": ("text", "reply")}


def _step(step: dict, key: str):
    return next((step[name] for name in STEP_KEYS[key] if step.get(name) not in (None, "")), None)


def _apply(report: Report, step: dict, *, by) -> None:
    action = step.get("action")
    at = _instant(step, "at", required=True, field_name=f"{action}.at")
    if action == "verify":
        agency = _lookup(Agency, "slug", {"agency": _step(step, "agency")}, "agency", field_name="assigned_agency")
        services.report_verify(report=report, by=by, agency=agency, now=at)
    elif action == "answer":
        flat = step.get("flat", False)
        staff = _staff(_step(step, "by"), flat=flat)
        try:
            services.report_answer_imported(report=report, by=staff, body=str(_step(step, "body") or ""), now=at)
        except ActionForbidden:
            unit = report.assigned_agency.name if report.assigned_agency_id else "—"
            raise RowError({"answered_by" if flat else "history": [
                f"Pengguna {staff.username} bukan petugas atau admin unit yang menangani laporan ini ({unit})."]}
            ) from None
    elif action == "reply":
        if report.reporter_id is None:
            raise RowError({"history": ["Langkah reply (balasan pelapor) memerlukan reporter_phone pada baris ini: "
                                        "tanpanya laporan tidak punya pelapor yang membalas."]})
        services.report_reply(report=report, by=report.reporter, text=str(_step(step, "text") or ""), now=at)
    elif action == "close":
        services.report_close(report=report, by=by, reason=str(_step(step, "reason") or ""), now=at)
    elif action == "archive":
        services.report_archive(report=report, by=by, reason=str(_step(step, "reason") or ""), now=at)
    else:
        raise RowError({"history": [f"Tindakan riwayat tidak dikenal: {action!r}."]})


def _staff(username, *, flat: bool) -> User:
    # Named as the row gives it: the flat column, or the step's key in a history list.
    field = "answered_by" if flat else "history"
    if not username:
        raise RowError({field: ["Sebutkan nama pengguna petugas yang menjawab (answered_by, atau by pada "
                                "langkah answer)."]})
    found = _remembered(User, "username", username)
    if found is None:
        raise RowError({field: [f"Pengguna {username} tidak ada."]})
    return found


def _remembered(model, attr: str, value: str):
    """``model`` with ``attr == value`` or None, looked up once per run."""
    memo = _found.get()
    key = (model, attr, value)
    if memo is not None and key in memo:
        return memo[key]
    found = model.objects.filter(**{attr: value}).first()
    if memo is not None:
        memo[key] = found
    return found


def _instant(row, key, *, required=False, field_name=None) -> datetime.datetime | None:
    raw = str(row.get(key) or "").strip()
    name = field_name or key
    if not raw:
        if required:
            raise RowError({name: ["Wajib diisi (ISO 8601 dengan zona, mis. 2024-05-01T09:30:00+08:00)."]})
        return None
    try:
        moment = parse_datetime(raw)
        # PostgreSQL refuses offsets beyond ±15:59, which ISO 8601 allows.
        moment = moment.astimezone(datetime.timezone.utc) if moment and moment.tzinfo else None
    except (OverflowError, ValueError):
        moment = None
    if moment is None:
        raise RowError({name: [f"{raw!r} bukan waktu ISO 8601 dengan zona waktu."]})
    return moment


def _date(row, key):
    raw = str(row.get(key) or "").strip()
    if not raw:
        return None
    try:
        value = parse_date(raw)
    except ValueError:  # well-formed but impossible, e.g. 2024-02-30
        value = None
    if value is None:
        raise RowError({key: [f"{raw!r} bukan tanggal YYYY-MM-DD."]})
    return value


def _float(row, key):
    raw = str(row.get(key) if row.get(key) is not None else "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise RowError({key: [f"{raw!r} bukan angka."]}) from None


def _lookup(model, attr, row, key, *, field_name=None):
    raw = str(row.get(key) or "").strip()
    if not raw:
        return None
    found = _remembered(model, attr, raw)
    if found is None:
        raise RowError({field_name or key: [f"{raw!r} tidak dikenal."]})
    return found

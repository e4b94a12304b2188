"""Backups that restore: the database and the attachments, in one directory per backup.

A backup directory holds ``database.dump`` (PostgreSQL custom format from ``pg_dump``) or
``database.sqlite3`` (SQLite's online backup API: consistent while the site runs),
``media.tar.gz`` (every attachment under MEDIA_ROOT) and ``manifest.json`` (when, what,
row counts and file checksums). Restoring checks the checksums first and refuses a backup
that does not match, so a truncated copy is noticed before it replaces good data.

The row counts describe the dump itself, also while the site takes reports: on PostgreSQL
they are read in a REPEATABLE READ transaction whose snapshot ``pg_dump --snapshot``
dumps; on SQLite they are read from the copy. Attachment files are archived after the
database, so every attachment row in the dump has its file in ``media.tar.gz`` (a file is
stored before its row commits); files of later reports may be in the archive too.

A backup and the keys together name anonymous reporters: the directory is made 0700 and
every file in it 0600, for the user who runs the backup alone.

Restoring checks everything it can before it changes anything: the checksums, that the
target PostgreSQL database holds no table the dump lacks (one left by a newer release
would make the next ``migrate`` fail: restore into a new, empty database instead), and
that MEDIA_ROOT holds no files unless the caller said to replace them (a restore drill
pointed at a second database must not delete the live attachments).
"""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction

COUNTED = ["reports.Report", "reports.ReportEvent", "reports.FollowUp", "reports.Attachment", "accounts.User"]


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def row_counts() -> dict[str, int]:
    from django.apps import apps

    return {label: apps.get_model(label).objects.using("default").count() for label in COUNTED}


def _sqlite_row_counts(path: Path) -> dict[str, int]:
    from django.apps import apps

    copy = sqlite3.connect(path)
    try:
        return {label: copy.execute(f'SELECT COUNT(*) FROM "{apps.get_model(label)._meta.db_table}"').fetchone()[0]
                for label in COUNTED}
    finally:
        copy.close()


def _pg_env(db) -> tuple[list[str], dict]:
    args = ["-h", db.get("HOST") or "localhost", "-p", str(db.get("PORT") or 5432), "-U", db.get("USER") or "postgres"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _private(path: Path) -> Path:
    """``path`` created empty, readable and writable by this user alone, before anything
    is written into it (pg_dump, SQLite and tarfile keep the mode of a file they truncate)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return path


def backup(target: Path) -> dict:
    """Write a backup into ``target`` (created 0700; must not exist or be empty; its files
    0600). Returns the manifest."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} tidak kosong: pilih direktori baru untuk cadangan")
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    target.chmod(0o700)  # it may have existed, empty, with the usual 0755
    db = connections["default"].settings_dict
    if connection.vendor == "postgresql":
        args, env = _pg_env(db)
        dump = _private(target / "database.dump")
        # One snapshot for the counts and the dump: rows committed meanwhile are in neither.
        with transaction.atomic(using="default"):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
            counts = row_counts()
            done = subprocess.run(["pg_dump", *args, "-Fc", f"--snapshot={snapshot}", "-f", str(dump), db["NAME"]],
                                  env=env, capture_output=True, text=True)
            if done.returncode != 0:
                raise BackupError(f"pg_dump gagal: {done.stderr.strip()}")
    elif connection.vendor == "sqlite":
        dump = _private(target / "database.sqlite3")  # SQLite takes an empty file as an empty database
        # Through Django's own connection: works for a file and for an in-memory database.
        connection.ensure_connection()
        destination = sqlite3.connect(dump)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
        counts = _sqlite_row_counts(dump)
    else:
        raise BackupError(f"tidak ada cara mencadangkan basis data {connection.vendor}")
    media = _private(target / "media.tar.gz")
    with tarfile.open(media, "w:gz") as archive:
        root = Path(settings.MEDIA_ROOT)
        if root.exists():
            archive.add(root, arcname="media")
    manifest = {
        "created_at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "vendor": connection.vendor,
        "counts": counts,
        "files": {p.name: _sha256(p) for p in (dump, media)},
    }
    _private(target / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def restore(source: Path, *, replace_media: bool = False) -> dict:
    """Replace the database and the attachments with the backup in ``source``. Refuses,
    before changing anything, a damaged backup, a PostgreSQL database holding tables the
    dump does not have, and (unless ``replace_media``) a MEDIA_ROOT that holds files.
    Side effects: the database replaced; MEDIA_ROOT's content replaced by the backup's; the
    shared cache's kept pages, map views and calendar given a new generation."""
    source = Path(source)
    manifest = json.loads((source / "manifest.json").read_text())
    for name, digest in manifest["files"].items():
        if _sha256(source / name) != digest:
            raise BackupError(f"{name} tidak cocok dengan checksum-nya: cadangan rusak; tidak ada yang diubah")
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"cadangan dari basis data {manifest['vendor']}, basis data ini {connection.vendor}")
    media = source / "media.tar.gz"
    _check_media_archive(media)
    root = Path(settings.MEDIA_ROOT)
    if not replace_media and _holds_files(root):
        raise BackupError(
            f"MEDIA_ROOT ({root}) berisi berkas: pemulihan akan menggantinya dengan lampiran cadangan. "
            "Untuk uji pemulihan, arahkan MEDIA_ROOT ke direktori baru yang kosong; untuk mengganti "
            "lampiran yang ada, tambahkan --replace-media. Tidak ada yang diubah.")
    db = connections["default"].settings_dict
    if connection.vendor == "postgresql":
        args, env = _pg_env(db)
        dump = source / "database.dump"
        _refuse_tables_not_in(dump, db["NAME"])
        connections.close_all()
        done = subprocess.run(["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "--single-transaction",
                               "-d", db["NAME"], str(dump)], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            # One transaction: nothing was restored, nothing was lost.
            raise BackupError(f"pg_restore gagal; tidak ada yang diubah:\n{done.stderr.strip()}"
                              f"{_create_hint(db, done.stderr)}")
    else:
        connection.ensure_connection()
        backup_db = sqlite3.connect(source / "database.sqlite3")
        try:
            # The whole file is copied over: tables the backup lacks do not survive.
            backup_db.backup(connection.connection)
        finally:
            backup_db.close()
    _unpack_media(media, root)
    _forget_what_was_kept()
    return manifest


def _create_hint(db, message: str) -> str:
    """What to do when ``message`` says the target database does not exist ('' otherwise)."""
    if f'database "{db["NAME"]}" does not exist' not in message:
        return ""
    user = db.get("USER") or "postgres"
    return (f"\nBuat dulu basis data kosong yang baru, mis. `createdb -O {user} {db['NAME']}`, "
            "lalu jalankan restore lagi.")


_DUMP_RELATION = re.compile(r"^\d+; \d+ \d+ (?:TABLE|VIEW|MATERIALIZED VIEW) (\S+) (\S+) ")


def _refuse_tables_not_in(dump: Path, name: str) -> None:
    """pg_restore --clean drops and recreates only what the dump holds: a table it lacks (a
    newer release's, after an upgrade) would stay, and the next ``migrate`` would fail on it."""
    listed = subprocess.run(["pg_restore", "--list", str(dump)], capture_output=True, text=True)
    if listed.returncode != 0:
        raise BackupError(f"pg_restore tidak dapat membaca {dump.name}; tidak ada yang diubah:\n"
                          f"{listed.stderr.strip()}")
    in_dump = {match.group(2) for line in listed.stdout.splitlines() if (match := _DUMP_RELATION.match(line))}
    try:
        with connection.cursor() as cursor:
            present = set(connection.introspection.table_names(cursor, include_views=True))
    except DatabaseError as error:
        hint = _create_hint(connections["default"].settings_dict, str(error))
        raise BackupError(f"basis data {name} tidak dapat dibuka; tidak ada yang diubah:\n{error}{hint}") from None
    extra = sorted(present - in_dump)
    if extra:
        shown = ", ".join(extra[:8]) + (f" dan {len(extra) - 8} lainnya" if len(extra) > 8 else "")
        raise BackupError(
            f"basis data {name} berisi {len(extra)} tabel yang tidak ada di cadangan ({shown}), mis. dari "
            "versi yang lebih baru: setelah pemulihan `migrate` akan gagal. Pulihkan ke basis data kosong "
            "yang baru dibuat (createdb) dan arahkan DATABASE_URL ke sana. Tidak ada yang diubah.")


def _holds_files(root: Path) -> bool:
    return root.exists() and any(not path.is_dir() for path in root.rglob("*"))


def _media_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = archive.getmembers()
    for member in members:
        if not member.name.startswith("media") or ".." in Path(member.name).parts or member.issym() or member.islnk():
            raise BackupError(f"isi tak terduga {member.name} di media.tar.gz; tidak ada yang diubah")
    return members


def _check_media_archive(path: Path) -> None:
    with tarfile.open(path, "r:gz") as archive:
        _media_members(archive)


def _unpack_media(path: Path, root: Path) -> None:
    """The archive unpacked into a directory inside ``root`` first (the same file system,
    even when ``root`` is a mount point), and only then put in place of what was there:
    a failure half-way leaves the old files."""
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restoring-", dir=root))
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in _media_members(archive):
                member.name = member.name[len("media"):].lstrip("/") or "."
                archive.extract(member, staging, filter="data")
        for entry in root.iterdir():
            if entry == staging or entry.name == "lost+found":
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        for entry in staging.iterdir():
            entry.rename(root / entry.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _forget_what_was_kept() -> None:
    """The shared cache (Redis, which outlives a restart, or the embedded default's on disk,
    shared by the running processes) still holds what was made from the data before the restore: pages rendered with agency
    names, the map's views, the working-day calendar. Each is given a new generation, so
    nothing kept from before is read again; cached figures expire within their minutes.
    (The cache is not emptied: in production Celery's queues may share its database.)"""
    from lapor.core import kept
    from lapor.transparency.figures import forget_map
    from lapor.workdays.calendar import overrides_changed

    kept.changed()
    forget_map()
    overrides_changed()

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
"""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction

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


def backup(target: Path) -> dict:
    """Write a backup into ``target`` (created; must not exist or be empty). Returns the manifest."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} tidak kosong: pilih direktori baru untuk cadangan")
    target.mkdir(parents=True, exist_ok=True)
    db = connections["default"].settings_dict
    if connection.vendor == "postgresql":
        args, env = _pg_env(db)
        dump = target / "database.dump"
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
        dump = target / "database.sqlite3"
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
    media = target / "media.tar.gz"
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
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def restore(source: Path) -> dict:
    """Replace the database and the attachments with the backup in ``source``."""
    source = Path(source)
    manifest = json.loads((source / "manifest.json").read_text())
    for name, digest in manifest["files"].items():
        if _sha256(source / name) != digest:
            raise BackupError(f"{name} tidak cocok dengan checksum-nya: cadangan rusak; tidak ada yang diubah")
    if manifest["vendor"] != connection.vendor:
        raise BackupError(f"cadangan dari basis data {manifest['vendor']}, basis data ini {connection.vendor}")
    db = connections["default"].settings_dict
    if connection.vendor == "postgresql":
        args, env = _pg_env(db)
        connections.close_all()
        subprocess.run(["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "--single-transaction",
                        "-d", db["NAME"], str(source / "database.dump")], check=True, env=env, capture_output=True)
    else:
        connection.ensure_connection()
        backup_db = sqlite3.connect(source / "database.sqlite3")
        try:
            backup_db.backup(connection.connection)
        finally:
            backup_db.close()
    root = Path(settings.MEDIA_ROOT)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / "media.tar.gz", "r:gz") as archive:
        for member in archive.getmembers():
            if not member.name.startswith("media") or ".." in Path(member.name).parts or member.issym() or member.islnk():
                raise BackupError(f"isi tak terduga {member.name} di media.tar.gz")
            member.name = member.name[len("media"):].lstrip("/") or "."
            archive.extract(member, root, filter="data")
    _forget_what_was_kept()
    return manifest


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

"""The SQLite half of the audit log's append-only rule.

On PostgreSQL a trigger refuses UPDATE and DELETE of any row, and emptying the whole log
takes TRUNCATE (restores, test flushes). SQLite has no TRUNCATE: ``manage.py flush`` (and
every transactional test's teardown) deletes row by row, through the same trigger an attack
would meet. So the SQLite DELETE trigger asks ``lapor_audit_flushing()``, a function this
module gives Django's own connections, which answers 1 only while our ``flush`` command
runs. Any other connection (the sqlite3 shell, a script) has no such function: the trigger
fails, and the row stays.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager

_state = threading.local()


def _flushing() -> int:
    return 1 if getattr(_state, "flushing", 0) else 0


@contextmanager
def flushing():
    """The ``flush`` command, and only it, may empty the audit log on SQLite."""
    _state.flushing = getattr(_state, "flushing", 0) + 1
    try:
        yield
    finally:
        _state.flushing -= 1


def register_sqlite_function(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("lapor_audit_flushing", 0, _flushing)

"""Read replicas for tests: aliases the router knows (settings.DATABASES) with connections
of their own in this thread, pointing either at the test database itself or where no
database answers.

Django's test cases refuse connections to an alias of settings.DATABASES a test did not
declare, and declaring one means a test database for it. A connection made here, outside
the connection handler's own settings, is one Django lets through ("dynamically created"),
as it would a replica's.
"""
from __future__ import annotations

import contextlib
import socket
import threading

from django.db import connections
from django.db.utils import load_backend

from lapor.ops import replicas


def unreachable_database(*, hanging_at=None) -> dict:
    """Settings of a database that cannot be reached: SQLite, a file in a folder that does
    not exist; PostgreSQL, a port nothing listens on; ``hanging_at=(host, port)``, a
    PostgreSQL server there that never answers."""
    default = connections["default"].settings_dict
    broken = {**default, "OPTIONS": dict(default["OPTIONS"])}
    if hanging_at:
        broken.update(ENGINE="django.db.backends.postgresql", NAME="lapor", USER="lapor", PASSWORD="",
                      HOST=hanging_at[0], PORT=str(hanging_at[1]), OPTIONS={})
    elif default["ENGINE"].endswith("sqlite3"):
        broken["NAME"] = "/nonexistent-folder/replica.sqlite3"
    else:
        broken.update(HOST="127.0.0.1", PORT="9")
    return broken


def install(alias: str, settings_dict: dict | None) -> None:
    """Give this thread a connection for ``alias``: its own one to ``settings_dict``, or
    (None) the test database's default connection, so that it sees the test's rows."""
    if settings_dict is None:
        connections[alias] = connections["default"]
    else:
        connections[alias] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)


def uninstall(alias: str) -> None:
    with contextlib.suppress(AttributeError):
        wrapper = connections[alias]
        if wrapper.alias == alias:  # not the default connection lent to it
            wrapper.close()
        del connections[alias]


@contextlib.contextmanager
def replica_aliases(settings, *, working=(), unreachable=(), hanging_at=None):
    """``working`` replicas read the test database (up to date); ``unreachable`` ones
    cannot be reached (see ``unreachable_database``)."""
    added = {alias: None for alias in working}
    added.update({alias: unreachable_database(hanging_at=hanging_at) for alias in unreachable})
    settings.DATABASES = {**settings.DATABASES,
                          **{alias: entry or connections["default"].settings_dict for alias, entry in added.items()}}
    for alias, entry in added.items():
        install(alias, entry)
    replicas._down_until.clear()
    try:
        yield added
    finally:
        for alias in added:
            uninstall(alias)
        replicas._down_until.clear()


@contextlib.contextmanager
def silent_server():
    """A TCP port that accepts connections and never says a word (a machine that hangs):
    (host, port). Closing it lets whoever waits on it fail."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    accepted, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            with contextlib.suppress(OSError):
                accepted.append(listener.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in accepted:
            conn.close()
        listener.close()

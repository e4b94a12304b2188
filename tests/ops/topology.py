"""Building blocks of tests/ops/test_topology.py: PostgreSQL clusters the test owns (a
primary and a streaming replica), long-running processes it can SIGKILL, an SMTP server.

Nothing here touches the machine's own PostgreSQL cluster or Redis data outside the
database number the test is given.
"""
from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import glob
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import psycopg
import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
CLUSTER_OWNER = "postgres"  # initdb and postgres refuse to run as root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_bindir() -> Path | None:
    """Where initdb, pg_ctl and pg_basebackup of one PostgreSQL version live (Debian:
    /usr/lib/postgresql/<major>/bin, the newest), or LAPOR_TEST_PG_BINDIR."""
    candidates = [os.environ.get("LAPOR_TEST_PG_BINDIR", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(re.sub(r"\D", "", p) or 0),
                         reverse=True)
    if shutil.which("pg_config"):
        done = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        candidates.append(done.stdout.strip())
    for candidate in filter(None, candidates):
        if all((Path(candidate) / tool).exists() for tool in ("initdb", "pg_ctl", "postgres", "pg_basebackup")):
            return Path(candidate)
    return None


def run(args, **kwargs) -> subprocess.CompletedProcess:
    """subprocess.run that says what failed, with the command's output."""
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done


def _as_cluster_owner(args: list) -> list:
    if os.geteuid() == 0:
        return ["runuser", "-u", CLUSTER_OWNER, "--", *args]
    return args


def cluster_owner_missing() -> str | None:
    if os.geteuid() != 0:
        return None  # the clusters belong to whoever runs the tests
    try:
        pwd.getpwnam(CLUSTER_OWNER)
    except KeyError:
        return f"running as root needs the {CLUSTER_OWNER!r} OS user to own the test's clusters"
    return None if shutil.which("runuser") else "running as root needs runuser (util-linux)"


def owned_directory(path: Path) -> Path:
    """A directory the cluster owner can write (the clusters and their logs live here)."""
    path.mkdir(mode=0o700)
    if os.geteuid() == 0:
        owner = pwd.getpwnam(CLUSTER_OWNER)
        os.chown(path, owner.pw_uid, owner.pw_gid)
    return path


def needs(missing: str | None):
    """In CI (LAPOR_REQUIRE_POSTGRES=1) a missing service fails the test; elsewhere it skips."""
    if missing:
        if os.environ.get("LAPOR_REQUIRE_POSTGRES") == "1":
            pytest.fail(missing)
        pytest.skip(missing)


def needs_clusters() -> Path:
    """The PostgreSQL server binaries, and an owner for the clusters, or the test stops (see ``needs``)."""
    bindir = postgres_bindir()
    needs(None if bindir else "PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) are not installed")
    needs(cluster_owner_missing())
    return bindir


def production_env(root: Path, primary: Cluster, replica: Cluster, **more: str) -> dict:
    """The environment of production as docs/operations.md sets it, for processes on this
    machine: the primary and its replica, fresh keys, files under ``root``; nothing of the
    test run's own database, Redis, mail or Kannel settings leaks in. ``more`` on top."""
    from cryptography.fernet import Fernet

    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("AWS_", "KANNEL_", "PROMETHEUS_", "DATABASE_", "EMAIL_", "LAPOR_", "CELERY_",
                                  "REDIS_"))}
    env.update({
        "DATABASE_URL": primary.url(),
        "DATABASE_REPLICA_URLS": replica.url(),
        "DB_CONN_MAX_AGE": "60",  # kept connections, as docs/operations.md advises
        "SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "LOOKUP_HASH_KEY": secrets.token_urlsafe(32),
        "KANNEL_INBOUND_SECRET": secrets.token_urlsafe(16),
        "DEBUG": "false",
        "LAPOR_HTTPS": "false",  # plain HTTP on 127.0.0.1; TLS is nginx's (tests/ops/test_nginx_site.py)
        "ALLOWED_HOSTS": "127.0.0.1",
        "LAPOR_VAR_DIR": str(root / "var"),
        "MEDIA_ROOT": str(root / "media"),  # shared by every web process, as object storage would be
        "STATIC_ROOT": str(root / "static"),
        "LAPOR_STATS_CACHE_SECONDS": "0",  # every statistics page reads the database
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    })
    env.update(more)
    return env


def start_primary(bindir: Path, root: Path, cleanup: contextlib.ExitStack) -> tuple[Cluster, Cluster]:
    """A running primary with an empty database ``lapor``, and its replica-to-be (not yet
    cloned: the primary is seeded first), both stopped by ``cleanup``."""
    pg = owned_directory(root / "pg")
    primary = Cluster(bindir, pg / "primary", free_port())
    replica = Cluster(bindir, pg / "replica", free_port())
    primary.init_primary()
    primary.start()
    cleanup.callback(primary.stop, "immediate")
    primary.sql("CREATE DATABASE lapor", database="postgres")
    return primary, replica


def start_replica(primary: Cluster, replica: Cluster, cleanup: contextlib.ExitStack):
    """Clone ``primary`` into ``replica``, start it and wait until it streams."""
    replica.clone_as_replica_of(primary)
    replica.start()
    cleanup.callback(replica.stop, "immediate")
    deadline = time.monotonic() + 30
    while primary.sql("SELECT 1 FROM pg_stat_replication WHERE state = 'streaming'") == []:
        assert time.monotonic() < deadline, f"the replica does not stream:\n{replica.log_tail()}"
        time.sleep(0.2)


class Cluster:
    """One PostgreSQL cluster on 127.0.0.1:<port>, trust authentication, user postgres."""

    def __init__(self, bindir: Path, datadir: Path, port: int):
        self.bindir, self.datadir, self.port = bindir, datadir, port
        self.log = datadir.parent / f"{datadir.name}.log"

    def _run(self, tool: str, *args):
        return run(_as_cluster_owner([self.bindir / tool, *args]), timeout=120)

    def init_primary(self):
        self._run("initdb", "-D", self.datadir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale", "C.UTF-8",
                  "--no-sync")
        with open(self.datadir / "postgresql.conf", "a") as conf:
            conf.write(
                "\n# tests/ops/test_topology.py\n"
                "listen_addresses = '127.0.0.1'\n"
                "unix_socket_directories = ''\n"
                "wal_level = replica\n"
                "max_wal_senders = 5\n"
                "hot_standby = on\n"
                "max_connections = 150\n"
                "fsync = off\n"  # a throw-away cluster on a shared CI disk
            )
        with open(self.datadir / "pg_hba.conf", "a") as hba:
            hba.write("host replication postgres 127.0.0.1/32 trust\n")

    def clone_as_replica_of(self, primary: Cluster):
        """pg_basebackup -R: the copy starts as a standby streaming from ``primary``."""
        self._run("pg_basebackup", "-h", "127.0.0.1", "-p", primary.port, "-U", "postgres", "-D", self.datadir,
                  "-R", "-X", "stream", "-c", "fast", "--no-sync")

    def start(self):
        self._run("pg_ctl", "-D", self.datadir, "-l", self.log, "-w", "-t", "60", "-o", f"-p {self.port}", "start")

    def stop(self, mode: str = "fast"):
        subprocess.run(_as_cluster_owner([str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", mode, "-w",
                                          "-t", "30", "stop"]), capture_output=True, timeout=60)

    def url(self, database: str = "lapor") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def sql(self, query: str, params=None, database: str = "lapor") -> list[tuple]:
        with psycopg.connect(self.url(database), autocommit=True, connect_timeout=10) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def value(self, query: str, params=None, database: str = "lapor"):
        return self.sql(query, params, database)[0][0]

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


class Service:
    """A long-running child in its own process group (gunicorn master + workers, a Celery
    worker + its pool), so that killing the group kills the whole thing, as when a machine
    or a container dies."""

    def __init__(self, name: str, args: list, env: dict, log_dir: Path):
        self.name, self.args, self.env = name, [str(a) for a in args], env
        self.log_path = log_dir / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def start(self):
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(self.args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, start_new_session=True)
        return self

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self):
        """kill -9 the process group: no shutdown code runs, in-flight work is lost."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def group_pids(self) -> list[int]:
        """The processes of this service's group (gunicorn's or Celery's pool included)."""
        pids = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[2]) == self.process.pid:  # field 5: pgrp
                    pids.append(int(entry))
        return pids

    def owns_local_port(self, port: int) -> bool:
        """Does a process of this service hold the TCP socket bound to 127.0.0.1:<port>?"""
        inodes = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            with contextlib.suppress(OSError):
                for line in Path(table).read_text().splitlines()[1:]:
                    fields = line.split()
                    if int(fields[1].rsplit(":", 1)[1], 16) == port:
                        inodes.add(f"socket:[{fields[9]}]")
        for pid in self.group_pids():
            with contextlib.suppress(OSError):
                for fd in os.listdir(f"/proc/{pid}/fd"):
                    with contextlib.suppress(OSError):
                        if os.readlink(f"/proc/{pid}/fd/{fd}") in inodes:
                            return True
        return False

    def terminate(self):
        with contextlib.suppress(ProcessLookupError, AttributeError):
            os.killpg(self.process.pid, signal.SIGTERM)

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def wait_for_log(self, text: str, timeout: float = 60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log_path.read_text(errors="replace"):
                return
            if not self.alive:
                break
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not log {text!r}:\n{self.log_tail()}")

    def wait_for_http(self, url: str, timeout: float = 60):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline and self.alive:
            try:
                last = requests.get(url, timeout=5)
                if last.status_code == 200:
                    return
            except requests.RequestException as error:
                last = error
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not answer 200 at {url} ({last!r}):\n{self.log_tail()}")


def stop_all(services: list[Service], grace: float = 5):
    """SIGTERM every group at once, SIGKILL what is left after ``grace`` seconds."""
    for service in services:
        service.terminate()
    deadline = time.monotonic() + grace
    for service in services:
        if service.process is None:
            continue
        with contextlib.suppress(subprocess.TimeoutExpired):
            service.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        with contextlib.suppress(ProcessLookupError):
            os.killpg(service.process.pid, signal.SIGKILL)  # the pool may outlive its leader
        with contextlib.suppress(subprocess.TimeoutExpired):
            service.process.wait(timeout=10)


class Mailbox:
    """aiosmtpd handler: every message received, with its envelope recipients.

    ``catch_next_delivery()`` makes the server stall the next delivery at RCPT TO (before
    any of the message is sent) until ``release`` is set: the sender is then caught
    mid-send, holding its claim on the notification, and ``caught_peer`` says who it is."""

    def __init__(self):
        self.lock = threading.Lock()
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.armed = threading.Event()
        self.caught = threading.Event()
        self.release = threading.Event()
        self.caught_peer: tuple[str, int] | None = None
        self.caught_rcpt: str | None = None

    def catch_next_delivery(self):
        self.armed.set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        # One event loop thread runs every handler: nothing else runs between test and set.
        if self.armed.is_set() and not self.caught.is_set():
            self.caught_peer, self.caught_rcpt = session.peer, address
            self.caught.set()
            deadline = time.monotonic() + 120
            while not self.release.is_set() and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def received(self) -> Counter:
        """(recipient address, subject) → how many times it arrived."""
        with self.lock:
            return Counter((rcpt, " ".join(str(m["Subject"]).split())) for rcpts, m in self.messages for rcpt in rcpts)

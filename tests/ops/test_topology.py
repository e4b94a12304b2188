"""The production topology of docs/operations.md, on one machine, under load (issue #10).

PostgreSQL primary + a streaming replica (two clusters this test creates, on free ports),
two gunicorn web processes, two Celery workers and one celery beat on Redis, an SMTP
server. Citizens submit a bounded stream of reports through the API on both web ports,
each with its own Idempotency-Key, retrying on the other port with the same key when a
request fails (as a mobile app, or nginx's upstream retry, would). Mid-run one web
process (gunicorn master and workers) and the Celery worker that is sending an e-mail at
that moment are killed with SIGKILL, and a backup is taken.

What an operator would notice, checked afterwards:
- every submission that got a success answer is stored exactly once, retries included;
- every e-mail notification goes out exactly once, the one the killed worker was sending
  included (taken over when its claim runs out; the test names the one case SMTP itself
  cannot make exactly-once);
- public pages kept answering through the kills, they are read from the replica (shown by
  pausing the replica's replay), and they still answer with the primary stopped;
- the backup taken under load restores to exactly the counts it recorded.

Run alone: ``.venv/bin/pytest tests/ops/test_topology.py -q`` (needs PostgreSQL's server
binaries, pg_basebackup, and Redis on 127.0.0.1:6379; 1–2 minutes on 2 cores).
``LAPOR_TEST_KEEP_TOPOLOGY=1`` keeps the temporary directory (process logs, clusters).
"""
from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from django.contrib.auth import get_user_model

from lapor.api.models import IdempotencyKey
from lapor.notifications.models import Channel, EventFanout, Notification
from lapor.reports.enums import Action
from lapor.reports.models import Attachment, Report, ReportEvent

from .topology import (
    ROOT, Cluster, Mailbox, Service, free_port, needs, needs_clusters, production_env, run, start_primary,
    start_replica, stop_all,
)

pytestmark = pytest.mark.slow

# The load: at least this many submissions, more while the backup is still running.
SUBMISSIONS_MIN = 160
SUBMISSIONS_MAX = 400
CLIENTS = 8  # concurrent API clients
PHOTO_EVERY = 4  # every 4th submission carries a photo
BACKUP_AFTER, KILL_WEB_AFTER, KILL_WORKER_AFTER = 30, 50, 70  # successful submissions
# A delivery claimed by a worker that died is retried after this many seconds (300 in
# production); beat runs the sweep (catch-up + due deliveries) this often.
CLAIM_SECONDS = 10
SWEEP_INTERVAL = 5
WORKER_CONCURRENCY = 2
REDIS_URL = os.environ.get("LAPOR_TEST_TOPOLOGY_REDIS_URL", "redis://127.0.0.1:6379/7")

PUBLIC_PATHS = ["/laporan/", "/laporan/{published}/", "/peta/data.json?bbox=114.6,-3.7,115.1,-3.2&zoom=13",
                "/statistik/"]
T = {model: model._meta.db_table for model in (Report, ReportEvent, Attachment, IdempotencyKey, Notification,
                                                EventFanout)}


def redis_missing() -> str | None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"no Redis at {REDIS_URL}: {error}"
    return None


@dataclass
class Topology:
    root: Path
    primary: Cluster
    replica: Cluster
    env: dict
    mailbox: Mailbox
    web: list[Service]
    ports: list[int]
    workers: list[Service]
    beat: Service
    published: list[str]
    tokens: dict[str, str]
    addresses: dict[str, str]

    def url(self, port: int, path: str) -> str:
        return f"http://127.0.0.1:{port}{path}"

    def child(self, *args, **env) -> subprocess.CompletedProcess:
        return run([sys.executable, *args], cwd=ROOT, env={**self.env, **env}, timeout=300)

    def logs(self) -> str:
        parts = [f"--- {s.name} ---\n{s.log_tail(15)}" for s in [*self.web, *self.workers, self.beat]]
        return "\n".join(parts + [f"--- primary ---\n{self.primary.log_tail(10)}",
                                  f"--- replica ---\n{self.replica.log_tail(10)}"])


@pytest.fixture(scope="module")
def topology():
    bindir = needs_clusters()
    needs(redis_missing())
    from aiosmtpd.controller import Controller

    import redis

    smtp_log = logging.getLogger("mail.log")  # aiosmtpd logs every SMTP command
    smtp_log_level = smtp_log.level
    smtp_log.setLevel(logging.WARNING)
    started = time.monotonic()

    def took(what):
        print(f"[topology] {what}: {time.monotonic() - started:.1f} s", flush=True)

    cleanup = contextlib.ExitStack()
    try:
        cleanup.callback(smtp_log.setLevel, smtp_log_level)
        root = Path(tempfile.mkdtemp(prefix="lapor-topology-"))
        root.chmod(0o755)  # the cluster owner must reach its directory inside
        if os.environ.get("LAPOR_TEST_KEEP_TOPOLOGY") == "1":  # the processes' logs and the clusters, to read
            cleanup.callback(print, f"\n[topology] kept {root}")
        else:
            cleanup.callback(shutil.rmtree, root, ignore_errors=True)
        broker = redis.Redis.from_url(REDIS_URL)
        broker.flushdb()
        cleanup.callback(broker.flushdb)
        primary, replica = start_primary(bindir, root, cleanup)

        mailbox = Mailbox()
        smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
        smtp.start()
        cleanup.callback(smtp.stop)

        ports = [free_port(), free_port()]
        env = production_env(
            root, primary, replica,
            PATH=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}",  # pg_dump/pg_restore of the server's version
            REDIS_URL=REDIS_URL,
            CELERY_QUEUE=f"lapor-topology-{uuid.uuid4().hex[:8]}",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp.port),
            EMAIL_USE_TLS="false",
            LAPOR_SITE_URL=f"http://127.0.0.1:{ports[0]}",
            # Two citizens file all the load: no per-account limits (the API's throttle in
            # Redis, the quota counted in the database).
            LAPOR_API_SUBMIT_RATE="100000/hour",
            LAPOR_SUBMIT_PER_HOUR="0",
            LAPOR_SUBMIT_PER_DAY="0",
            LAPOR_NOTIFY_CLAIM_SECONDS=str(CLAIM_SECONDS),
            LAPOR_SWEEP_INTERVAL=str(SWEEP_INTERVAL),
        )
        prepared = run([sys.executable, "-m", "tests.ops.topology_tasks", "prepare"], cwd=ROOT, env=env, timeout=300)
        data = json.loads(prepared.stdout.strip().splitlines()[-1])
        took("primary created, migrated and seeded")

        start_replica(primary, replica, cleanup)
        took("replica streaming")

        logs = root / "logs"
        logs.mkdir()
        web = [Service(f"web{n + 1}", [sys.executable, "-m", "gunicorn", "lapor.wsgi:application",
                                       "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4",
                                       "--worker-class", "gthread", "--max-requests", "2000",
                                       "--max-requests-jitter", "200", "--graceful-timeout", "5",
                                       "--no-control-socket"], env, logs)
               for n, port in enumerate(ports)]
        workers = [Service(f"worker{n}", [sys.executable, "-m", "celery", "-A", "lapor", "worker",
                                          "--queues", env["CELERY_QUEUE"], "--hostname", f"worker{n}@topology",
                                          "--concurrency", str(WORKER_CONCURRENCY), "--without-gossip",
                                          "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"], env, logs)
                   for n in (1, 2)]
        beat = Service("beat", [sys.executable, "-m", "celery", "-A", "lapor", "beat", "--loglevel", "INFO",
                                "--schedule", root / "celerybeat-schedule"], env, logs)
        cleanup.callback(stop_all, [*web, *workers, beat])
        for service in [*web, *workers, beat]:
            service.start()
        for service, port in zip(web, ports):
            service.wait_for_http(f"http://127.0.0.1:{port}/readyz", timeout=120)
        for worker in workers:
            worker.wait_for_log(" ready.", timeout=120)
        took("web processes, workers and beat up")
        yield Topology(root=root, primary=primary, replica=replica, env=env, mailbox=mailbox, web=web, ports=ports,
                       workers=workers, beat=beat, published=data["published"], tokens=data["tokens"],
                       addresses=data["addresses"])
    finally:
        cleanup.close()


# --- The load --------------------------------------------------------------------------

def photo() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 40, 0)).save(out, format="PNG")
    return out.getvalue()


@dataclass
class Submission:
    index: int
    citizen: str
    key: str = field(default_factory=lambda: str(uuid.uuid4()))
    status: int | None = None
    tracking_id: str | None = None
    replayed: bool = False
    tries: list = field(default_factory=list)  # (port, HTTP status or exception name)
    error: str = ""

    @property
    def title(self) -> str:
        return f"Topologi {self.index}: lampu jalan padam"

    @property
    def with_photo(self) -> bool:
        return self.index % PHOTO_EVERY == 0

    @property
    def succeeded(self) -> bool:
        return self.status in (200, 201)

    def payload(self) -> dict:
        return {"title": self.title, "body": f"Lampu jalan ke-{self.index} padam sejak kemarin.",
                "addressed_agency": "pemkot-banjarbaru", "region": "63.72.05",
                "latitude": round(-3.40 - self.index / 10000, 6), "longitude": round(114.80 + self.index / 10000, 6)}


def send(topology: Topology, sub: Submission, port: int) -> requests.Response:
    headers = {"Authorization": f"Token {topology.tokens[sub.citizen]}", "Idempotency-Key": sub.key}
    url = topology.url(port, "/api/v1/reports/")
    if sub.with_photo:
        return requests.post(url, data=sub.payload(), files={"attachments": ("lampu.png", photo(), "image/png")},
                             headers=headers, timeout=30)
    return requests.post(url, json=sub.payload(), headers=headers, timeout=30)


def submit(topology: Topology, sub: Submission):
    """POST until answered, starting on one web port and switching to the other after a
    failure, always with the same Idempotency-Key."""
    ports = topology.ports if sub.index % 2 == 0 else topology.ports[::-1]
    deadline = time.monotonic() + 120
    attempt = 0
    while time.monotonic() < deadline:
        port = ports[attempt % 2]
        attempt += 1
        try:
            response = send(topology, sub, port)
        except requests.RequestException as error:
            sub.tries.append((port, type(error).__name__))
            time.sleep(0.05 if attempt % 2 else 0.5)
            continue
        sub.tries.append((port, response.status_code))
        if response.status_code >= 500:
            time.sleep(0.2)
            continue
        sub.status = response.status_code
        if sub.succeeded:
            sub.tracking_id = response.json()["tracking_id"]
            sub.replayed = response.headers.get("Idempotent-Replayed") == "true"
        else:
            sub.error = response.text[:500]
        return
    sub.error = f"no answer within 120 s: {sub.tries}"


class PublicReader(threading.Thread):
    """An anonymous visitor reading public pages throughout the run, going to the other
    web process when one does not answer (nginx's proxy_next_upstream)."""

    def __init__(self, topology: Topology):
        super().__init__(daemon=True)
        self.topology = topology
        self.paths = [p.format(published=topology.published[0]) for p in PUBLIC_PATHS]
        self.stopping = threading.Event()
        self.answers: list[tuple[float, int, str, int]] = []  # (time, port, path, status)
        self.unanswered: list[tuple[float, str]] = []

    def run(self):
        n = 0
        while not self.stopping.is_set():
            for path in self.paths:
                n += 1
                ports = self.topology.ports if n % 2 else self.topology.ports[::-1]
                for port in ports:
                    try:
                        response = requests.get(self.topology.url(port, path), timeout=20)
                    except requests.RequestException:
                        continue
                    self.answers.append((time.monotonic(), port, path, response.status_code))
                    break
                else:
                    self.unanswered.append((time.monotonic(), path))
                time.sleep(0.1)


@dataclass
class Backup:
    directory: Path
    process: subprocess.Popen
    reports_before: int
    reports_after: int | None = None
    output: str = ""


@dataclass
class Run:
    submissions: list[Submission]
    web_killed_at: float
    worker_killed_at: float
    killed_port: int
    surviving_port: int
    caught_rcpt: str  # whom the killed worker was sending an e-mail to
    backup: Backup
    reader: PublicReader
    replays: list[tuple[Submission, requests.Response]]
    seconds: float


@pytest.fixture(scope="module")
def load(topology):
    started = time.monotonic()
    reader = PublicReader(topology)
    reader.start()
    subs: list[Submission] = []
    backup = None
    web_killed_at = worker_killed_at = killed_worker = armed_at = None
    citizens = sorted(topology.tokens)
    with ThreadPoolExecutor(CLIENTS) as pool:
        futures = []
        while True:
            succeeded = sum(s.succeeded for s in subs)
            if backup is None and succeeded >= BACKUP_AFTER:
                before = topology.primary.value(f"SELECT count(*) FROM {T[Report]}")
                directory = topology.root / "backup"
                process = subprocess.Popen([sys.executable, "manage.py", "backup", str(directory)], cwd=ROOT,
                                           env=topology.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                           text=True)
                backup = Backup(directory, process, before)
            if backup is not None and backup.reports_after is None and backup.process.poll() is not None:
                backup.reports_after = topology.primary.value(f"SELECT count(*) FROM {T[Report]}")
                backup.output = backup.process.stdout.read()
            if web_killed_at is None and succeeded >= KILL_WEB_AFTER:
                topology.web[0].kill()
                web_killed_at = time.monotonic()
            if armed_at is None and succeeded >= KILL_WORKER_AFTER:
                # Kill the worker that is sending an e-mail right now: the SMTP server
                # stalls the next delivery, and the worker holding that connection dies.
                topology.mailbox.catch_next_delivery()
                armed_at = time.monotonic()
            if worker_killed_at is None and topology.mailbox.caught.is_set():
                port = topology.mailbox.caught_peer[1]
                killed_worker = next((w for w in topology.workers if w.owns_local_port(port)), None)
                assert killed_worker, f"no worker holds the SMTP connection from port {port}"
                killed_worker.kill()
                worker_killed_at = time.monotonic()
                topology.mailbox.release.set()
            assert armed_at is None or worker_killed_at or time.monotonic() < armed_at + 60, (
                f"no e-mail was sent for a minute\n{topology.logs()}")
            done_with_events = backup is not None and backup.reports_after is not None and worker_killed_at
            if len(subs) >= SUBMISSIONS_MAX or (len(subs) >= SUBMISSIONS_MIN and done_with_events):
                break
            failed = [s for s in subs if s.status is not None and not s.succeeded]
            if len(failed) > 5:  # something is broken; the first test shows what
                break
            if sum(not f.done() for f in futures) < CLIENTS * 2:
                sub = Submission(len(subs), citizens[len(subs) % len(citizens)])
                subs.append(sub)
                futures.append(pool.submit(submit, topology, sub))
            else:
                time.sleep(0.02)
        for future in futures:
            future.result()
    assert backup is not None and web_killed_at and worker_killed_at, (
        f"the load stopped early: {[(s.index, s.status, s.error[:200]) for s in subs if not s.succeeded][:5]}\n"
        f"{topology.logs()}")
    if backup.reports_after is None:  # the load outran it; the test on the backup says so
        backup.process.wait(timeout=120)
        backup.reports_after = topology.primary.value(f"SELECT count(*) FROM {T[Report]}")
        backup.output = backup.process.stdout.read()
    time.sleep(1)  # the reader, once more after the load
    reader.stopping.set()
    reader.join(timeout=30)
    # A client that never saw its answer retries later with the same key.
    survivor = topology.ports[1]
    replays = [(sub, send(topology, sub, survivor)) for sub in [s for s in subs if s.succeeded][::20]]
    return Run(submissions=subs, web_killed_at=web_killed_at, worker_killed_at=worker_killed_at,
               killed_port=topology.ports[0], surviving_port=survivor, caught_rcpt=topology.mailbox.caught_rcpt, backup=backup, reader=reader, replays=replays,
               seconds=time.monotonic() - started)


# --- The tests -------------------------------------------------------------------------

def test_every_accepted_submission_is_stored_exactly_once(topology, load):
    subs = load.submissions
    failed = [(s.index, s.status, s.error, s.tries) for s in subs if not s.succeeded]
    assert not failed, f"{len(failed)} of {len(subs)} submissions got no success answer: {failed[:5]}"
    # The kill happened mid-run: clients had to go to the other web process.
    retried = [s for s in subs if len(s.tries) > 1]
    assert retried, "no request failed over: the web process was not killed mid-run"
    assert any(isinstance(outcome, str) for s in retried for _port, outcome in s.tries)

    stored = topology.primary.sql(
        f"SELECT r.title, r.tracking_id, count(a.id) FROM {T[Report]} r "
        f"LEFT JOIN {T[Attachment]} a ON a.report_id = r.id WHERE r.channel = 'api' GROUP BY r.id"
    )
    titles = Counter(title for title, _tid, _n in stored)
    assert sorted(titles.values()) == [1] * len(subs), [t for t, n in titles.items() if n > 1][:5]
    assert {title: (tid, attachments) for title, tid, attachments in stored} == {
        s.title: (s.tracking_id, 1 if s.with_photo else 0) for s in subs
    }
    keys = topology.primary.sql(
        f"SELECT k.key, r.tracking_id FROM {T[IdempotencyKey]} k JOIN {T[Report]} r ON r.id = k.report_id"
    )
    assert sorted(keys) == sorted((s.key, s.tracking_id) for s in subs)
    submit_events = topology.primary.sql(
        f"SELECT e.report_id, count(*) FROM {T[ReportEvent]} e JOIN {T[Report]} r ON r.id = e.report_id "
        f"WHERE r.channel = 'api' AND e.action = %s GROUP BY e.report_id", [Action.SUBMIT.value]
    )
    assert len(submit_events) == len(subs) and {n for _r, n in submit_events} == {1}
    # Sending a request again with its key answers with the report it already made.
    for sub, response in load.replays:
        assert (response.status_code, response.json()["tracking_id"]) == (200, sub.tracking_id)
        assert response.headers["Idempotent-Replayed"] == "true"
    print(f"\n{len(subs)} submissions in {load.seconds:.0f} s, {len(retried)} failed over to the other web "
          f"process, {sum(s.replayed for s in subs)} answered as replays")


def test_public_pages_kept_answering_while_a_web_process_and_a_worker_died(topology, load):
    answers = load.reader.answers
    assert not load.reader.unanswered, f"no web process answered: {load.reader.unanswered[:5]}"
    assert [a for a in answers if a[3] != 200] == []
    after_kill = [a for a in answers if a[0] > load.web_killed_at]
    assert {path for _t, _port, path, _s in after_kill} == set(load.reader.paths)
    assert {port for _t, port, _path, _s in after_kill} == {load.surviving_port}


def test_public_pages_are_read_from_the_replica(topology, load):
    """Pausing the replica's replay freezes what anonymous visitors see: a report verified
    on the primary meanwhile stays unpublished for them, while a browser that just wrote
    (the pin cookie) reads the primary and sees it; resuming the replay publishes it."""
    port = load.surviving_port
    sub = next(s for s in load.submissions if s.succeeded)
    page = topology.url(port, f"/laporan/{sub.tracking_id}/")
    assert requests.get(page, timeout=20).status_code == 404  # not verified yet: not public
    topology.replica.sql("SELECT pg_wal_replay_pause()")
    try:
        deadline = time.monotonic() + 10
        while topology.replica.value("SELECT pg_get_wal_replay_pause_state()") != "paused":
            assert time.monotonic() < deadline
            time.sleep(0.1)
        topology.child("-m", "tests.ops.topology_tasks", "verify", sub.tracking_id)
        assert topology.primary.value(f"SELECT verified_at IS NOT NULL FROM {T[Report]} WHERE tracking_id = %s",
                                      [sub.tracking_id])
        assert requests.get(page, timeout=20).status_code == 404
        pinned = {"lapor_primary_until": str(int(time.time()) + 60)}
        assert requests.get(page, cookies=pinned, timeout=20).status_code == 200
    finally:
        topology.replica.sql("SELECT pg_wal_replay_resume()")
    deadline = time.monotonic() + 15
    while requests.get(page, timeout=20).status_code != 200:
        assert time.monotonic() < deadline, "the replica did not catch up after resuming"
        time.sleep(0.2)


def test_every_due_notification_is_sent_exactly_once(topology, load):
    # Beat's sweep fans out events whose task died with the worker (or the web process
    # that committed them) and delivers what is due, including a delivery the killed
    # worker had claimed, once its claim (LAPOR_NOTIFY_CLAIM_SECONDS) has run out.
    deadline = time.monotonic() + CLAIM_SECONDS + SWEEP_INTERVAL + 90
    quiet = 0
    while quiet < 2:
        waiting = topology.primary.value(
            f"SELECT (SELECT count(*) FROM {T[Notification]} WHERE status = 'pending' AND channel <> %s)"
            f" + (SELECT count(*) FROM {T[ReportEvent]} e WHERE NOT EXISTS"
            f" (SELECT 1 FROM {T[EventFanout]} f WHERE f.event_id = e.id))", [Channel.IN_APP.value]
        )
        quiet = quiet + 1 if waiting == 0 else 0
        assert time.monotonic() < deadline, f"{waiting} notifications/events still waiting\n{topology.logs()}"
        time.sleep(1)
    rows = topology.primary.sql(
        f"SELECT n.id, u.username, n.subject, n.status, n.attempts, n.last_error FROM {T[Notification]} n "
        f"JOIN {get_user_model()._meta.db_table} u ON u.id = n.recipient_id WHERE n.channel = %s", [Channel.EMAIL.value]
    )
    assert len(rows) >= 2 * len(load.submissions)  # the reporter's receipt and the desk's new work, at least
    assert {status for *_, status, _a, _e in rows} == {"sent"}
    expected = Counter((topology.addresses[username], " ".join(subject.split())) for _id, username, subject, *_ in rows)
    received = topology.mailbox.received()
    missing = expected - received
    assert not missing, f"never received: {list(missing)[:5]}"
    assert not set(received) - set(expected), f"unexpected mail: {list(set(received) - set(expected))[:5]}"
    # The delivery the killed worker was in the middle of (stalled by the SMTP server before
    # the message) was taken over once its claim ran out, and arrived once.
    reclaimed = {(topology.addresses[username], " ".join(subject.split()))
                 for _id, username, subject, _status, attempts, error in rows if attempts > 1 and not error}
    assert any(address == load.caught_rcpt and received[address, subject] == 1 for address, subject in reclaimed), (
        load.caught_rcpt, reclaimed)
    # Everything else exactly once, with one exception no mail system avoids: had the killed
    # worker's other process been killed after the server accepted a message but before it
    # recorded "sent", that delivery is retried when its claim runs out (attempts > 1, no
    # error stored) and arrives twice.
    extra = received - expected
    assert set(extra) <= reclaimed and sum(extra.values()) <= WORKER_CONCURRENCY - 1, dict(extra)
    print(f"\n{sum(received.values())} e-mails for {len(rows)} notifications; {len(reclaimed)} taken over "
          f"after the worker died, {sum(extra.values())} of them arrived twice")


def test_a_backup_taken_under_load_restores_to_the_counts_it_recorded(topology, load):
    backup = load.backup
    assert backup.process.returncode == 0, backup.output
    counts = json.loads((backup.directory / "manifest.json").read_text())["counts"]
    # Reports were being submitted while the backup ran; it holds one instant of them.
    assert backup.reports_before < backup.reports_after, "the load was over before the backup ran"
    assert backup.reports_before <= counts["reports.Report"] <= backup.reports_after
    assert counts["reports.Attachment"] > 0

    topology.primary.sql("CREATE DATABASE lapor_restored", database="postgres")
    restored_media = topology.root / "restored-media"
    done = topology.child("manage.py", "restore", str(backup.directory), "--yes",
                          DATABASE_URL=topology.primary.url("lapor_restored"), DATABASE_REPLICA_URLS="",
                          REDIS_URL="", MEDIA_ROOT=str(restored_media))
    assert "cocok" in done.stdout  # restore compares the restored row counts with the manifest itself
    for model, label in [(Report, "reports.Report"), (ReportEvent, "reports.ReportEvent"),
                         (Attachment, "reports.Attachment")]:
        assert topology.primary.value(f"SELECT count(*) FROM {T[model]}", database="lapor_restored") == counts[label]
    files = [name for (name,) in topology.primary.sql(f"SELECT file FROM {T[Attachment]}", database="lapor_restored")]
    assert [name for name in files if not (restored_media / name).is_file()] == []


def test_with_the_primary_down_public_pages_still_answer_and_submitting_fails(topology, load):
    port = load.surviving_port
    paths = [p.format(published=topology.published[0]) for p in PUBLIC_PATHS]
    sub = Submission(10_000, sorted(topology.tokens)[0])
    topology.primary.stop("fast")
    try:
        answers = {path: requests.get(topology.url(port, path), timeout=20).status_code for path in paths}
        assert answers == dict.fromkeys(paths, 200)
        response = send(topology, sub, port)
        # An outage, not a fault: 503 with Retry-After; the client keeps its key and tries again later.
        assert response.status_code == 503 and response.headers["Retry-After"] == "30", response.text[:300]
        ready = requests.get(topology.url(port, "/readyz"), timeout=20)
        checks = ready.json()["checks"]
        assert ready.status_code == 503
        assert not checks["database:default"]["ok"] and checks["database:replica1"]["ok"]
    finally:
        topology.primary.start()
    assert topology.primary.value(f"SELECT count(*) FROM {T[Report]} WHERE title = %s", [sub.title]) == 0

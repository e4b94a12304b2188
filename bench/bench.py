"""The benchmark of issue 9: Lapor against the framework floor and a peer, at scale.

Run it through ``bash bench/run [--quick] [--reports N]`` (which installs wrk when it is
missing). Each scenario below is one declarative entry; one whose endpoint or command does
not exist yet is reported as "not available yet" and the run goes on.

Everything runs on this machine, one server at a time: gunicorn (the production settings:
DEBUG off, SECRET_KEY set, Redis cache and broker, persistent database connections)
serves, wrk loads it from a second process, and the peak RSS of each worker is read from
/proc after every scenario (VmHWM, reset before each one through /proc/PID/clear_refs).
Results go to bench/out/results.json; bench/report.py turns them into the table in
docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import base64
import datetime
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"
LUA = BENCH / "lua" / "bench.lua"
PY = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
PEER_VENV = BENCH / ".peer-venv"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")

# The same process setup for all three servers: what docs/operations.md runs behind nginx
# (sync workers, one per core here; docs/decisions/0003-sync-workers-behind-nginx.md: with
# gthread workers one worker took every keep-alive connection and the other core idled).
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
GUNICORN_FLAGS = ["--workers", str(WORKERS), "--worker-class", "sync", "--no-control-socket", "--log-level", "warning"]
CONNECTIONS = 16
THREADS = 2  # wrk threads (bench/lua/bench.lua spreads their walks through the paths)
PORTS = {"lapor": 8091, "floor": 8092, "peer": 8093}

# --- the scenarios ----------------------------------------------------------------------------

API_SUBMIT_PATH = "/api/v1/reports/"
API_SUBMIT_BODY = ('{"title": "Jalan berlubang nomor {n}", "body": "Jalan di depan sekolah berlubang dalam '
                   'dan membahayakan pengendara motor, mohon segera diperbaiki.", "kind": "complaint", '
                   '"latitude": -3.44, "longitude": 114.83, "region": "{region}", "category": "{category}", '
                   '"addressed_agency": "{agency}", "is_anonymous": false}')


@dataclass
class Http:
    """A load of one kind of request on one server."""

    name: str
    server: str  # lapor | floor | peer
    paths: str  # a key of the fixtures' path files, or one literal path
    method: str = "GET"
    body: str | None = None
    auth: str | None = None  # staff (session cookie) | api (token) | peer (token)
    targets: list = field(default_factory=list)  # (metric, "<" or ">=", value, label)
    floor: str | None = None  # scenario to divide by: ours/floor
    peer: str | None = None  # scenario to divide by: ours/peer
    # Targets "warm" (issue 7: statistics, ranking): every path is requested once, waiting
    # as long as it takes, before the warm-up, so the load reads what a visitor after the
    # first one gets; the first request's time is reported beside it.
    warm: bool = False
    # The 3 s warm-up's own paths (a key of the fixtures' path files), where the load must
    # meet pages no request has read before.
    warmup_paths: str | None = None


@dataclass
class Command:
    """A management command timed end to end on a prepared database."""

    name: str
    kind: str  # sweep | import
    requires: str  # a file that must exist for the scenario to be available
    target_seconds: float | None = None


def scenarios(quick: bool, reports: int) -> list:
    submit_targets = [("p99_ms", "<", 50, "p99 < 50 ms"), ("errors", "<", 1, "zero errors"),
                      ("ratio_floor", ">=", 0.4, "≥ 0.4 × floor"), ("ratio_peer", ">=", 7, "≥ 7 × peer")]
    rss = ("rss_mb", "<", 200, "RSS/worker < 200 MB")
    sweep_big, sweep_small = (reports, max(20_000, reports // 10))
    return [
        Http("floor: validate 3 fields + insert", "floor", "/submit/", method="POST",
             body='{"title": "Jalan berlubang {n}", "body": "Mohon diperbaiki.", "email": "warga{n}@contoh.id"}'),
        Http("floor: latest 20 by index", "floor", "/latest/"),
        Http("peer: helpdesk ticket create (API)", "peer", "/api/tickets/", method="POST", auth="peer",
             body='{"queue": {queue}, "title": "Jalan berlubang {n}", "description": "Mohon diperbaiki.", '
                  '"submitter_email": "warga{n}@contoh.id", "priority": 3}'),
        Http("API submit (full path)", "lapor", API_SUBMIT_PATH, method="POST", body=API_SUBMIT_BODY, auth="api",
             targets=submit_targets + [rss], floor="floor: validate 3 fields + insert",
             peer="peer: helpdesk ticket create (API)"),
        Http("public report page", "lapor", "report_page", targets=[("p99_ms", "<", 50, "p99 < 50 ms"), rss],
             floor="floor: latest 20 by index"),
        # Each request a report no one read during the run: none of the public's kept page
        # parts (lapor/portal/report_page.py) helps.
        Http("public report page, each read once", "lapor", "report_page_once", warmup_paths="report_page",
             targets=[("p99_ms", "<", 50, "p99 < 50 ms"), rss], floor="floor: latest 20 by index"),
        Http("public list, filtered", "lapor", "list", targets=[("p99_ms", "<", 50, "p99 < 50 ms"), rss],
             floor="floor: latest 20 by index"),
        Http("full-text search", "lapor", "search", targets=[("p95_ms", "<", 100, "p95 < 100 ms"), rss],
             floor="floor: latest 20 by index"),
        Http("map viewport (JSON)", "lapor", "map", targets=[("p95_ms", "<", 150, "p95 < 150 ms"), rss],
             floor="floor: latest 20 by index"),
        Http("agency inbox (staff)", "lapor", "inbox", auth="staff",
             targets=[("p95_ms", "<", 100, "p95 < 100 ms"), rss], floor="floor: latest 20 by index"),
        Http("statistics page (warm)", "lapor", "stats", targets=[("p95_ms", "<", 300, "p95 < 300 ms warm"), rss],
             floor="floor: latest 20 by index", warm=True),
        Http("compliance ranking (warm)", "lapor", "ranking",
             targets=[("p95_ms", "<", 500, "p95 < 500 ms warm"), rss], floor="floor: latest 20 by index", warm=True),
        Command(f"sweep: {sweep_big:,} open, 10,000 due", "sweep:%d" % sweep_big,
                "lapor/reports/management/commands/sweep.py"),
        Command(f"sweep: {sweep_small:,} open, 10,000 due", "sweep:%d" % sweep_small,
                "lapor/reports/management/commands/sweep.py"),
        Command("bulk import of 100,000 legacy reports", "import",
                "lapor/reports/management/commands/import_reports.py", target_seconds=120),
    ]


# --- plumbing ---------------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[bench {datetime.datetime.now():%H:%M:%S}] {message}", flush=True)


def lapor_env(db: str) -> dict:
    """Production settings, on plain HTTP over loopback."""
    secret_file = OUT / "secret_key"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(50))
    # A SECRET_KEY marks production, where the other keys are not generated into var/:
    # the ones earlier runs left there, or new ones (a Fernet key is 32 random bytes, base64).
    keys = {}
    for name, make in (("FIELD_ENCRYPTION_KEY", lambda: base64.urlsafe_b64encode(os.urandom(32)).decode()),
                       ("LOOKUP_HASH_KEY", lambda: secrets.token_urlsafe(50)),
                       ("KANNEL_INBOUND_SECRET", lambda: secrets.token_urlsafe(50))):
        key_file = OUT / "var" / name.lower()
        if not key_file.exists():
            key_file.parent.mkdir(parents=True, exist_ok=True)
            key_file.write_text(make())
        keys[name] = key_file.read_text().strip()
    env = dict(os.environ)
    env.update(keys)
    env.update({
        "DATABASE_URL": f"{PG}/{db}",
        "DEBUG": "false",
        "SECRET_KEY": secret_file.read_text().strip(),
        "LAPOR_HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "REDIS_URL": REDIS,
        "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),
        "LAPOR_VAR_DIR": str(OUT / "var"),
        "STATIC_ROOT": str(OUT / "static"),
        "MEDIA_ROOT": str(OUT / "media"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
        # The API's per-account submit limit (30/hour) would turn the load into 429s after
        # 30 requests: raised, not removed, so the throttle's cache round trip stays in the path.
        "LAPOR_API_SUBMIT_RATE": "100000000/hour",
        # Likewise the per-account quota of lapor/reports/quota.py (10 an hour): the one
        # account that sends the whole load is named as a connected system would be (a
        # raised limit instead would read every report it sent today on each submit).
        "LAPOR_SUBMIT_UNLIMITED_ACCOUNTS": "warga.banjarbaru",
    })
    return env


class Server:
    """One gunicorn master with its workers, started and stopped by pid."""

    def __init__(self, name: str, argv: list[str], cwd: Path, env: dict, ready_path: str, db: str = ""):
        self.name = name
        self.db = db
        self.port = PORTS[name]
        self.log_path = OUT / f"server-{name}.log"
        self.proc = subprocess.Popen(argv + ["--bind", f"127.0.0.1:{self.port}"], cwd=cwd, env=env,
                                     stdout=self.log_path.open("w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{name} server exited: see {self.log_path}")
            if probe(f"http://127.0.0.1:{self.port}{ready_path}") is not None:
                return
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{name} server not ready after 60 s: see {self.log_path}")

    def workers(self) -> list[int]:
        try:
            text = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in text.split()]

    def reset_peaks(self) -> None:
        for pid in self.workers():
            try:
                Path(f"/proc/{pid}/clear_refs").write_text("5")
            except OSError:
                pass  # not root or an old kernel: the peak then covers the whole run so far

    def peak_rss_mb(self) -> float | None:
        peaks = []
        for pid in self.workers():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) / 1024)
            except OSError:
                continue
        return round(max(peaks), 1) if peaks else None

    def stop(self) -> None:
        workers = self.workers()
        if self.proc.poll() is None:
            # SIGINT is gunicorn's quick shutdown: requests still queued from the load are dropped.
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for pid in workers:  # never leave an orphaned worker behind
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def probe(url: str, headers: dict | None = None, method: str = "GET", body: str | None = None,
          timeout: float = 60) -> int | None:
    """The HTTP status of one request, or None if nothing answers."""
    request = urllib.request.Request(url, method=method, headers=headers or {},
                                     data=body.encode() if body is not None else None)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


urllib.request.install_opener(urllib.request.build_opener(NoRedirect))


def run_wrk(server: Server, first_path: str, env: dict, seconds: int) -> dict:
    out = OUT / "wrk.json"
    out.unlink(missing_ok=True)
    argv = ["wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "--latency", "-s", str(LUA),
            f"http://127.0.0.1:{server.port}{first_path}"]
    completed = subprocess.run(argv, env={**os.environ, **env, "BENCH_OUT": str(out), "BENCH_THREADS": str(THREADS)},
                               capture_output=True,
                               text=True, timeout=seconds + 60)
    (OUT / "wrk-last.txt").write_text(completed.stdout + completed.stderr)
    if completed.returncode != 0 or not out.exists():
        raise RuntimeError(f"wrk failed: {completed.stderr.strip() or completed.stdout.strip()}")
    return json.loads(out.read_text())


def measure(scenario: Http, server: Server, fixtures: dict, seconds: int) -> dict:
    paths_file = fixtures["paths"].get(scenario.paths)
    if paths_file:
        first = Path(paths_file).read_text().split("\n", 1)[0]
    else:
        first, paths_file = scenario.paths, ""
    headers = {}
    body = scenario.body
    if body is not None:
        headers["Content-Type"] = "application/json"
        for key, value in (("{queue}", fixtures.get("peer_queue", 1)), ("{region}", fixtures.get("api_region")),
                           ("{category}", fixtures.get("api_category")), ("{agency}", fixtures.get("api_agency"))):
            body = body.replace(key, str(value))
    if scenario.auth == "staff":
        headers["Cookie"] = fixtures["staff_cookie"]
    elif scenario.auth == "api":
        if fixtures.get("api_token"):
            headers["Authorization"] = f"Token {fixtures['api_token']}"
    elif scenario.auth == "peer":
        headers["Authorization"] = f"Token {fixtures['peer_token']}"
    url = f"http://127.0.0.1:{server.port}{first}"
    started = time.monotonic()
    status = probe(url, headers, scenario.method, body.replace("{n}", "0") if body else None)
    single_ms = round((time.monotonic() - started) * 1000, 1)
    if status is None:
        return {"available": False, "note": "server did not answer"}
    if status == 404 and scenario.server == "lapor":
        return {"available": False, "note": f"not available yet ({scenario.method} {first} → 404)"}
    env = {"BENCH_METHOD": scenario.method, "BENCH_PATHS": paths_file,
           "BENCH_HEADERS": "|".join(f"{k}: {v}" for k, v in headers.items())}
    if body is not None:
        env["BENCH_BODY"] = body
    if scenario.warm:
        for path in Path(paths_file).read_text().split():
            probe(f"http://127.0.0.1:{server.port}{path}", headers, timeout=300)
    warmup_env = env
    if scenario.warmup_paths:
        warmup_env = {**env, "BENCH_PATHS": fixtures["paths"][scenario.warmup_paths]}
    run_wrk(server, first, warmup_env, 3)  # warm-up: imports, caches, connections
    server.reset_peaks()
    result = run_wrk(server, first, env, seconds)
    seconds_run = result["duration_us"] / 1e6
    errors = result["connect"] + result["read"] + result["write"] + result["status"] + result["timeout"]
    if result["requests"] == 0:
        return {"available": True, "probe_status": status, "single_ms": single_ms, "rps": 0.0, "requests": 0,
                "errors": errors,
                "rss_mb": server.peak_rss_mb(),
                "note": f"no request completed in {seconds} s at {CONNECTIONS} connections"}
    return {
        "available": True,
        "probe_status": status,
        "single_ms": single_ms,
        "rps": round(result["requests"] / seconds_run, 1),
        "requests": result["requests"],
        "p50_ms": round(result["p50_us"] / 1000, 2),
        "p95_ms": round(result["p95_us"] / 1000, 2),
        "p99_ms": round(result["p99_us"] / 1000, 2),
        "errors": errors,
        "error_detail": {k: result[k] for k in ("connect", "read", "write", "status", "timeout") if result[k]},
        "rss_mb": server.peak_rss_mb(),
    }


# --- the three servers ------------------------------------------------------------------------


NOTES: list[str] = []


PREPARED: dict[str, dict] = {}  # server name → its environment, once prepared


def start_lapor(db: str) -> Server:
    if "lapor" in PREPARED:
        env = PREPARED["lapor"]
        return Server("lapor", [str(GUNICORN), "lapor.wsgi:application", *GUNICORN_FLAGS], ROOT, env, "/healthz", db)
    env = lapor_env(db)
    collect = [str(PY), "manage.py", "collectstatic", "--noinput", "-v0", "--clear"]
    done = subprocess.run(collect, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["?"])[-1]
        for line in done.stderr.splitlines():
            if "Error" in line:
                reason = re.sub(r" with <[^>]*>", "", line.strip())
        NOTES.append(f"`collectstatic` fails under the production settings ({reason}); the run served static "
                     "files through bench/bench_static_fallback.py (the same settings without the hashed manifest).")
        log(NOTES[-1])
        env["DJANGO_SETTINGS_MODULE"] = "bench_static_fallback"
        env["PYTHONPATH"] = f"{ROOT}:{BENCH}"
        subprocess.run(collect, cwd=ROOT, env=env, check=True)
    PREPARED["lapor"] = env
    return Server("lapor", [str(GUNICORN), "lapor.wsgi:application", *GUNICORN_FLAGS], ROOT, env, "/healthz", db)


def start_floor(rows: int) -> Server:
    db = "lapor_bench_floor"
    env = lapor_env(db)
    env["PYTHONPATH"] = str(BENCH / "floor")
    env["DJANGO_SETTINGS_MODULE"] = "floor.settings"
    if "floor" in PREPARED:
        return Server("floor", [str(GUNICORN), "floor.wsgi:application", *GUNICORN_FLAGS], BENCH / "floor", env,
                      "/latest/", db)
    admin = ["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres"]
    subprocess.run(admin + ["-c", f"DROP DATABASE IF EXISTS {db}", "-c", f"CREATE DATABASE {db}"], check=True,
                   capture_output=True)
    subprocess.run([str(PY), "manage.py", "migrate", "-v0"], cwd=BENCH / "floor", env=env, check=True)
    # As many rows as Lapor has reports: the "latest 20" read walks the same size of index.
    sql = ("INSERT INTO floor_item (title, body, email, created_at) SELECT 'Laporan ' || g, 'Isi laporan ' || g, "
           f"'warga' || g || '@contoh.id', now() - g * interval '1 minute' FROM generate_series(1, {rows}) g; "
           "ANALYZE floor_item;")
    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-c", sql], check=True,
                   capture_output=True)
    PREPARED["floor"] = env
    return Server("floor", [str(GUNICORN), "floor.wsgi:application", *GUNICORN_FLAGS], BENCH / "floor", env,
                  "/latest/", db)


def start_peer(fixtures: dict) -> Server:
    if "peer" not in PREPARED:
        setup = subprocess.run(["bash", str(BENCH / "peer" / "setup.sh")], capture_output=True, text=True)
        if setup.returncode != 0:
            raise RuntimeError(f"peer setup failed: {setup.stderr[-2000:]}")
        token, queue = setup.stdout.strip().splitlines()[-1].split()
        fixtures["peer_token"], fixtures["peer_queue"] = token, int(queue)
        PREPARED["peer"] = dict(os.environ, DB_CONN_MAX_AGE=os.environ.get("DB_CONN_MAX_AGE", "60"),
                                ALLOWED_HOSTS="127.0.0.1", SECRET_KEY=secrets.token_urlsafe(50))
    env = PREPARED["peer"]
    return Server("peer", [str(PEER_VENV / "bin" / "gunicorn"), "peer_site.wsgi:application", *GUNICORN_FLAGS],
                  BENCH / "peer", env, "/api/tickets/", os.environ.get("PEER_DB", "lapor_bench_peer"))


# --- commands ---------------------------------------------------------------------------------


def timed(argv: list[str], env: dict, log_name: str) -> tuple[float, int, str]:
    started = time.monotonic()
    completed = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    (OUT / log_name).write_text(completed.stdout + completed.stderr)
    return elapsed, completed.returncode, (completed.stdout + completed.stderr).strip()


def django_startup_seconds(env: dict) -> float:
    """What any manage.py command costs before it does anything (subtracted from nothing:
    reported beside the timings so a reader can)."""
    started = time.monotonic()
    subprocess.run([str(PY), "manage.py", "check", "-v0"], cwd=ROOT, env=env, capture_output=True)
    return round(time.monotonic() - started, 2)


def run_command(scenario: Command, args) -> dict:
    if not (ROOT / scenario.requires).exists():
        return {"available": False, "note": f"not available yet ({scenario.requires} missing)"}
    if scenario.kind.startswith("sweep:"):
        size = int(scenario.kind.split(":")[1])
        db = f"lapor_bench_sweep_{size}"
        log(f"generating {size:,} open reports for the sweep ({db})")
        subprocess.run([str(PY), str(BENCH / "generate.py"), "sweep", "--open", str(size), "--due", "10000",
                        "--db", db], cwd=ROOT, env=lapor_env(db), check=True)
        env = lapor_env(db)
        log(f"timing manage.py sweep --no-deliver on {db}")
        elapsed, code, output = timed([str(PY), "manage.py", "sweep", "--no-deliver"], env, f"sweep-{size}.log")
        drop_database(db)
        result = {"available": True, "seconds": round(elapsed, 1), "exit": code, "output": output[-300:],
                  "startup_s": django_startup_seconds(env)}
        if code != 0:
            result["errors"] = 1
        return result
    if scenario.kind == "import":
        csv_path = OUT / "legacy.csv"
        subprocess.run([str(PY), str(BENCH / "generate.py"), "csv", "--rows", str(IMPORT_ROWS), "--out", str(csv_path),
                        "--db", args.db], cwd=ROOT, env=lapor_env(args.db), check=True)
        # Into a copy of the data set, dropped afterwards: imported rows left in it would
        # add 100,000 pins around Banjarbaru to every later --reuse run's map (and leave
        # pages not yet vacuumed, which index-only scans must then read from the heap).
        target = f"{args.db}_import"
        copy_database(args.db, target)
        env = lapor_env(target)
        source = f"bench-{int(time.time())}"
        argv = [str(PY), "manage.py", "import_reports", str(csv_path), "--source", source, *IMPORT_ARGS]
        # Stopped a little after the target: beyond it the target is missed anyway, and the
        # rate so far tells how long the whole file would take.
        limit = scenario.target_seconds * 1.25 if scenario.target_seconds else None
        started = time.monotonic()
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            output, _ = proc.communicate(timeout=limit)
            elapsed = time.monotonic() - started
            (OUT / "import.log").write_text(output)
            result = {"available": True, "seconds": round(elapsed, 1), "exit": proc.returncode,
                      "output": output.strip()[-300:]}
            if proc.returncode != 0:
                result["errors"] = 1
            drop_database(target)
            return result
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            elapsed = time.monotonic() - started
            sql = ("SELECT count(*) FROM api_externalreference e JOIN accounts_user u ON u.id = e.system_id "
                   f"WHERE u.username = 'import-{source}'")
            done = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", target, "-tAc", sql],
                                  capture_output=True, text=True).stdout.strip()
            drop_database(target)
            rows = int(done or 0)
            estimate = elapsed / rows * IMPORT_ROWS if rows else None
            return {"available": True, "seconds": round(elapsed, 1), "exit": "stopped",
                    "output": f"stopped after {elapsed:.0f} s with {rows:,} of {IMPORT_ROWS:,} rows imported "
                              f"({rows / elapsed:.1f} rows/s): the whole file would take about "
                              f"{(estimate or 0) / 60:.0f} min",
                    "estimated_seconds": round(estimate, 1) if estimate else None,
                    "targets": [{"label": f"< {scenario.target_seconds:.0f} s", "met": False,
                                 "value": round(estimate, 1) if estimate else None}]}
    raise ValueError(scenario.kind)


# A real import (--commit) by the national admin, into a copy of the benchmark database, with one
# worker process per core (the documented way to run a large import on PostgreSQL).
IMPORT_ARGS = ["--by", "admin.nasional", "--commit", "--no-progress", "--jobs", str(os.cpu_count() or 1)]
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))


def settle(db: str) -> None:
    """Cancel what the killed workers left running in the benchmark's own database."""
    if not db:
        return
    sql = ("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE datname = '%s' AND state = 'active' "
           "AND pid <> pg_backend_pid()" % db)
    for _ in range(20):
        done = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-tAc", sql],
                              capture_output=True, text=True)
        if not done.stdout.strip():
            return
        time.sleep(0.5)


def copy_database(source: str, target: str) -> None:
    """``target`` as a fresh copy of ``source`` (nobody may be connected to ``source`` meanwhile)."""
    drop_database(target)
    sql = (f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{source}' "
           f"AND pid <> pg_backend_pid(); CREATE DATABASE {target} TEMPLATE {source}")
    started = time.monotonic()
    for statement in sql.split("; "):
        subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c", statement],
                       check=True, capture_output=True)
    log(f"copied {source} to {target} in {time.monotonic() - started:.0f} s")


def drop_database(db: str) -> None:
    subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-c",
                    f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"], capture_output=True)


def flush_redis() -> None:
    """The benchmark's own Redis database only (BENCH_REDIS_URL, default db 13)."""
    try:
        import redis

        redis.Redis.from_url(REDIS).flushdb()
    except Exception as error:  # noqa: BLE001 - a stale cache only makes the numbers look better
        log(f"could not empty {REDIS}: {error}")


# --- the run ----------------------------------------------------------------------------------


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown")
    pg = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "SHOW server_version"],
                        capture_output=True, text=True).stdout.strip()
    return {
        "date": subprocess.run(["date", "-Iseconds"], capture_output=True, text=True).stdout.strip(),
        "nproc": subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip(),
        "free_g": subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.strip(),
        "cpu": cpu,
        # Other work on the machine skews every figure: recorded so a reader can tell.
        "loadavg": Path("/proc/loadavg").read_text().split()[:3],
        "postgresql": pg,
        "python": sys.version.split()[0],
        "wrk": subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("\n")[0].strip(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Lapor benchmark (issue 9)")
    parser.add_argument("--quick", action="store_true", help="100,000 reports and 10 s loads")
    parser.add_argument("--reports", type=int, help="reports in the data set (default 1,000,000; --quick 100,000)")
    parser.add_argument("--seconds", type=int, help="seconds per load (default 20; --quick 10)")
    parser.add_argument("--db", default="lapor_bench")
    parser.add_argument("--reuse", action="store_true", help="keep the data set of the last run of the same size")
    parser.add_argument("--only", help="run only scenarios whose name contains one of these comma-separated words "
                        "(the others keep their rows from the last run of the same size)")
    args = parser.parse_args()
    reports = args.reports or (100_000 if args.quick else 1_000_000)
    seconds = args.seconds or (10 if args.quick else 20)
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    results: dict = {"machine": machine(), "reports": reports, "seconds": seconds, "connections": CONNECTIONS,
                     "gunicorn": " ".join(GUNICORN_FLAGS), "db_conn_max_age": os.environ.get("DB_CONN_MAX_AGE", "60"),
                     "scenarios": []}
    wanted = [w.strip().lower() for w in args.only.split(",")] if args.only else None
    chosen = [s for s in scenarios(args.quick, reports) if not wanted or any(w in s.name.lower() for w in wanted)]

    info_file = OUT / f"{args.db}.json"
    info = json.loads(info_file.read_text()) if info_file.exists() else {}
    if args.reuse and info.get("reports") == reports:
        log(f"reusing {args.db} ({reports:,} reports)")
    else:
        log(f"generating {reports:,} reports into {args.db}")
        subprocess.run([str(PY), str(BENCH / "generate.py"), "reports", "--reports", str(reports), "--db", args.db],
                       cwd=ROOT, env=lapor_env(args.db), check=True)
        info = json.loads(info_file.read_text())
    # A reused data set gets the migrations other changes added since it was made.
    subprocess.run([str(PY), "manage.py", "migrate", "-v0"], cwd=ROOT, env=lapor_env(args.db), check=True)
    results["generate_seconds"] = info.get("load_seconds")
    results["data"] = {k: info.get(k) for k in ("reports", "events", "followups", "counts")}

    fixtures = json.loads(subprocess.run([str(PY), str(BENCH / "fixtures.py"), "--db", args.db], cwd=ROOT,
                                         env=lapor_env(args.db), check=True, capture_output=True,
                                         text=True).stdout.strip().splitlines()[-1])
    by_server: dict[str, list] = {"floor": [], "peer": [], "lapor": []}
    for s in chosen:
        if isinstance(s, Http):
            by_server[s.server].append(s)

    measured: dict[str, dict] = {}
    for name, starter in (("floor", lambda: start_floor(reports)), ("peer", lambda: start_peer(fixtures)),
                          ("lapor", lambda: start_lapor(args.db))):
        if not by_server[name]:
            continue
        flush_redis()
        log(f"starting {name}")
        # A fresh server for every scenario: requests a slow scenario left queued must not
        # be served during the next one's load (and each peak RSS is that scenario's own).
        for s in by_server[name]:
            try:
                server = starter()
            except Exception as error:  # noqa: BLE001 - one broken server must not end the whole run
                log(f"{name} did not start: {error}")
                measured[s.name] = {"available": False, "note": f"server did not start: {error}"}
                continue
            try:
                log(f"loading: {s.name}")
                measured[s.name] = measure(s, server, fixtures, seconds)
            except Exception as error:  # noqa: BLE001
                measured[s.name] = {"available": False, "note": f"failed: {error}"}
            finally:
                server.stop()
                settle(server.db)
            log(f"  {json.dumps(measured[s.name])}")

    for s in chosen:
        if isinstance(s, Command):
            log(f"command: {s.name}")
            try:
                measured[s.name] = run_command(s, args)
            except Exception as error:  # noqa: BLE001
                measured[s.name] = {"available": False, "note": f"failed: {error}"}
            log(f"  {json.dumps(measured[s.name])}")

    previous_file = OUT / f"results-{reports}.json"
    # A run with --only that leaves out the floor or the peer divides by their last figures.
    earlier = ({row["name"]: row for row in json.loads(previous_file.read_text()).get("scenarios", [])}
               if wanted and previous_file.exists() else {})
    for s in chosen:
        row = {"name": s.name, "server": getattr(s, "server", "command"), **measured.get(s.name, {})}
        if isinstance(s, Http):
            for key, ref in (("ratio_floor", s.floor), ("ratio_peer", s.peer)):
                base = measured.get(ref or "") or earlier.get(ref or "", {})
                if row.get("rps") and base.get("rps"):
                    row[key] = round(row["rps"] / base["rps"], 2)
            row["targets"] = [check(row, *t) for t in s.targets] if row.get("available") else []
        elif s.target_seconds and row.get("available") and "targets" not in row:
            row["targets"] = [check(row, "seconds", "<", s.target_seconds, f"< {s.target_seconds:.0f} s")]
        results["scenarios"].append(row)
    if wanted and previous_file.exists():
        # --only re-measures some scenarios: keep the others' rows from the last run, dated.
        previous = json.loads(previous_file.read_text())
        fresh = {row["name"] for row in results["scenarios"]}
        order = [s.name for s in scenarios(args.quick, reports)]
        for row in previous.get("scenarios", []):
            if row["name"] not in fresh and row["name"] in order:
                row.setdefault("measured_at", previous["machine"]["date"])
                results["scenarios"].append(row)
        results["scenarios"].sort(key=lambda row: order.index(row["name"]) if row["name"] in order else 99)
        NOTES.extend(n for n in previous.get("notes", []) if n not in NOTES)
    results["notes"] = NOTES
    results["total_seconds"] = round(time.monotonic() - started)
    (OUT / "results.json").write_text(json.dumps(results, indent=1))
    (OUT / f"results-{reports}.json").write_text(json.dumps(results, indent=1))
    subprocess.run([str(PY), str(BENCH / "report.py"), str(OUT / "results.json")], cwd=ROOT, check=True)


def check(row: dict, metric: str, op: str, value: float, label: str) -> dict:
    got = row.get(metric)
    if "requests" in row or "rps" in row:
        # No request answered in time (all timed out): the latency columns are empty, not fast.
        if metric != "rss_mb" and (not row.get("requests") or row.get("errors", 0) >= row.get("requests", 0)):
            return {"label": label, "met": False, "value": None}
    elif row.get("exit") != 0:  # a command that failed or was stopped did not meet its time
        return {"label": label, "met": False, "value": got}
    if got is None:
        return {"label": label, "met": None}
    met = got < value if op == "<" else got >= value
    return {"label": label, "met": met, "value": got}


if __name__ == "__main__":
    main()

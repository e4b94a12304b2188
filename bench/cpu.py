"""CPU per request of one or more pages, in process, through the whole WSGI handler.

    python bench/cpu.py [--db lapor_bench] [--n 300] [--profile] PATH [PATH ...]

Calls Lapor's WSGI application directly (middleware included, no HTTP server, no test
client) with the settings the benchmark serves (DEBUG off, the Redis cache), cycling through
the paths given (or a fixtures file: ``@report_page`` reads bench/out/fixtures/report_page.txt),
and prints the process CPU time and wall time per request. With ``--profile`` it also prints
the functions that took the most time, under cProfile. For comparing one change with the
code before it on one machine, in alternation; never part of the load itself.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


def expand(paths: list[str]) -> list[str]:
    result = []
    for path in paths:
        if path.startswith("@"):
            result += (OUT / "fixtures" / f"{path[1:]}.txt").read_text().split()
        else:
            result.append(path)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="lapor_bench")
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--callees", help="print what this function (a name in the profile) called")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"{PG}/{args.db}"
    os.environ.setdefault("REDIS_URL", REDIS)
    os.environ.setdefault("LAPOR_VAR_DIR", str(OUT / "var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_static_fallback")
    os.environ.setdefault("STATIC_ROOT", str(OUT / "static"))
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
    os.environ.setdefault("LOG_LEVEL", "CRITICAL")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("LAPOR_HTTPS", "false")
    os.environ.setdefault("DB_CONN_MAX_AGE", "60")
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    if os.environ.get("BENCH_CPU_PATCH"):  # an experiment: exec a file of patches after set-up
        exec(Path(os.environ["BENCH_CPU_PATCH"]).read_text(), {})
    paths = expand(args.paths)
    cookie = ""
    if any(p.startswith("/kantor/") for p in paths):
        cookie = json.loads(subprocess.run(
            [sys.executable, str(ROOT / "bench" / "fixtures.py"), "--db", args.db], capture_output=True,
            text=True, check=True).stdout.strip().splitlines()[-1])["staff_cookie"]

    statuses: dict[int, int] = {}

    def request(path: str) -> None:
        target, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": target, "QUERY_STRING": query, "SCRIPT_NAME": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr, "wsgi.multithread": False, "wsgi.multiprocess": True,
            "wsgi.run_once": False, "wsgi.version": (1, 0), "REMOTE_ADDR": "127.0.0.1",
            "HTTP_ACCEPT_LANGUAGE": "id",
        }
        if cookie:
            environ["HTTP_COOKIE"] = cookie
        status = []
        body = application(environ, lambda s, h, exc_info=None: status.append(s))
        for _chunk in body:
            pass
        if hasattr(body, "close"):
            body.close()
        code = int(status[0].split()[0])
        statuses[code] = statuses.get(code, 0) + 1

    for path in paths[:20]:  # warm-up: kept rows, compiled templates, the cache
        request(path)
    statuses.clear()
    profiler = cProfile.Profile() if args.profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    for i in range(args.n):
        request(paths[i % len(paths)])
    if profiler:
        profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"{args.n} requests over {len(paths)} path(s), statuses {statuses}: "
          f"CPU {cpu / args.n * 1000:.2f} ms, wall {wall / args.n * 1000:.2f} ms a request")
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(args.top)
        stats.sort_stats("cumulative").print_stats(args.top)
        if args.callees:
            stats.print_callees(args.callees)


if __name__ == "__main__":
    main()

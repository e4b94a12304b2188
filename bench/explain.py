"""Where a page's time goes: queries, their count and the slowest one's plan.

    python bench/explain.py [--db lapor_bench] [PATH ...]

Renders each path once in process (Django's test client, the benchmark database, a staff
session for /kantor/) after one warm-up, and prints the number of queries, their total
time and the slowest query with EXPLAIN (ANALYZE, BUFFERS). For finding why a scenario
misses its target; never part of the load itself.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="lapor_bench")
    parser.add_argument("--staff", default="admin.banjarbaru")
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"{PG}/{args.db}"
    os.environ.setdefault("LAPOR_VAR_DIR", str(OUT / "var"))
    # Static files as the benchmark served them (bench/out/static, no hashed manifest).
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench_static_fallback")
    os.environ.setdefault("STATIC_ROOT", str(OUT / "static"))
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("LOG_LEVEL", "CRITICAL")
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    paths = args.paths
    if not paths:
        fixtures = OUT / "fixtures"
        for name in ("report_page", "list", "search", "map", "inbox", "stats"):
            file = fixtures / f"{name}.txt"
            if file.exists():
                paths += file.read_text().split()[:2]
    cookie = None
    for path in paths:
        client = Client()
        if path.startswith("/kantor/"):
            if cookie is None:
                import subprocess

                cookie = json.loads(subprocess.run(
                    [sys.executable, str(ROOT / "bench" / "fixtures.py"), "--db", args.db], capture_output=True,
                    text=True, check=True).stdout.strip().splitlines()[-1])["staff_cookie"]
            name, value = cookie.split("=", 1)
            client.cookies[name] = value
        with CaptureQueriesContext(connection) as cold:
            started = time.monotonic()
            client.get(path)  # the first request: cold caches (a fresh process, local-memory cache)
            cold_ms = (time.monotonic() - started) * 1000
        print(f"\n-- {path}: first request {cold_ms:.0f} ms, {len(cold.captured_queries)} queries taking "
              f"{sum(float(q['time']) for q in cold.captured_queries) * 1000:.0f} ms")
        for q in sorted(cold.captured_queries, key=lambda q: -float(q["time"]))[:3]:
            print(f"   {float(q['time']) * 1000:7.0f} ms  {q['sql'][:300]}")
        with CaptureQueriesContext(connection) as ctx:
            started = time.monotonic()
            response = client.get(path)
            elapsed = time.monotonic() - started
        queries = ctx.captured_queries
        total = sum(float(q["time"]) for q in queries)
        print(f"\n== {path}: HTTP {response.status_code}, {elapsed * 1000:.0f} ms, {len(queries)} queries "
              f"taking {total * 1000:.0f} ms")
        if not queries:
            continue
        slowest = max(queries, key=lambda q: float(q["time"]))
        print(f"slowest ({float(slowest['time']) * 1000:.0f} ms): {slowest['sql'][:1500]}")
        if slowest["sql"].lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
                print("\n".join(row[0] for row in cursor.fetchall()[:25]))


if __name__ == "__main__":
    main()

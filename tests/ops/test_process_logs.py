"""What a web process writes to its log, and that monitoring never takes a page down
(docs/operations.md, *Logs* and *Web processes*). Each in a process of its own, started
as an operator starts one, with the environment it names."""
import os
import re
import subprocess
import sys
from pathlib import Path

from .test_settings_refused import READ_BY_SETTINGS

ROOT = Path(__file__).resolve().parents[2]


def manage_shell(tmp_path, code, **variables):
    env = {key: value for key, value in os.environ.items() if not key.startswith(READ_BY_SETTINGS)}
    env.update({"LAPOR_VAR_DIR": str(tmp_path / "var"), **variables})
    return subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_a_log_line_says_when_which_process_how_bad_and_from_where(tmp_path):
    """A Redis that does not answer is logged by the web process; the line must say when
    (with its offset: gunicorn's own lines are in UTC, the application's in TIME_ZONE), which
    process, how bad and which part of Lapor, as gunicorn's own lines do, or an operator
    reading the journal cannot tell a warning from a note, nor when it began."""
    done = manage_shell(tmp_path, "from django.core.cache import cache; cache.get('x')",
                        REDIS_URL="redis://127.0.0.1:9/0")
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stderr.splitlines() if "cannot be reached" in line)
    assert re.match(r"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{4}\] \[\d+\] \[WARNING\] lapor\.core\.cache: "
                    r"the Redis cache at redis://127\.0\.0\.1:9/0 cannot be reached", line), line


def test_pages_are_answered_when_the_metrics_directory_is_missing(tmp_path):
    """PROMETHEUS_MULTIPROC_DIR names a directory that is not there (a reboot emptied /run,
    the unit's ExecStartPre left out): the timings cannot be written, and the pages must be
    answered anyway, not a 500 each; the log says why, once."""
    code = ("from django.test import Client; client = Client(raise_request_exception=False); "
            "print(*[client.get('/healthz').status_code for _ in range(3)])")
    done = manage_shell(tmp_path, code, PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "run" / "metrics"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-3:] == ["200", "200", "200"], done.stdout + done.stderr
    said = [line for line in done.stderr.splitlines() if "request timings cannot be kept" in line]
    assert len(said) == 1 and "PROMETHEUS_MULTIPROC_DIR" in said[0], done.stderr

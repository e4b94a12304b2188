"""gunicorn's access log, as script/start and docs/operations.md run it, keeps no secret and
none of an SMS's personal data: whoever reads a log file must not be able to file SMS
reports in anyone's name, nor learn who texted what."""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def logger_class_of_script_start() -> str:
    words = (ROOT / "script" / "start").read_text().split()
    return words[words.index("--logger-class") + 1]


def test_the_access_log_keeps_neither_kannels_secret_nor_the_senders_number(tmp_path):
    port, log = free_port(), tmp_path / "access.log"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("LAPOR_", "DATABASE_", "REDIS_"))}
    env.update(LAPOR_VAR_DIR=str(tmp_path / "var"), KANNEL_INBOUND_SECRET="rahasia-kannel-di-log")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [gunicorn, "lapor.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--no-control-socket",
         "--access-logfile", log, "--logger-class", logger_class_of_script_start()],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.2)
        # An old Kannel set-up: the secret in the query string, with the number and the text.
        requests.get(f"http://127.0.0.1:{port}/sms/kannel/?secret=rahasia-kannel-di-log&sender=%2B6281299990001"
                     f"&text=BANJAR+Jalan+rusak", timeout=10)
        requests.get(f"http://127.0.0.1:{port}/healthz?page=2&token=kunci-di-log", timeout=10)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    written = log.read_text()
    assert "GET /sms/kannel/" in written and "GET /healthz?page=2" in written  # still a useful log
    for kept_out in ("rahasia-kannel-di-log", "6281299990001", "Jalan", "kunci-di-log"):
        assert kept_out not in written

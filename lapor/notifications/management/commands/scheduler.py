"""``manage.py scheduler``: the embedded default's background loop (no Redis, no beat).

Runs ``run_background_pass`` every ``LAPOR_SWEEP_INTERVAL`` seconds until stopped
(SIGTERM/SIGINT) or until the process given by ``--parent`` is gone, so that
``script/start`` can leave it running next to gunicorn without a second terminal. A
failed pass is logged and the loop goes on; the next pass retries whatever was left.
"""
import logging
import os
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from lapor.notifications.services import run_background_pass

log = logging.getLogger("lapor.scheduler")


class Command(BaseCommand):
    help = "Run the deadline sweep and notification delivery every LAPOR_SWEEP_INTERVAL seconds."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=None, help="seconds between passes")
        parser.add_argument("--parent", type=int, default=None, help="stop when this process id is gone")
        parser.add_argument("--once", action="store_true", help="run one pass and exit")

    def handle(self, *args, interval=None, parent=None, once=False, **options):
        interval = interval or settings.LAPOR_SWEEP_INTERVAL
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        log.info("scheduler: a pass every %ss", interval)
        while not stop.is_set():
            try:
                counts = run_background_pass()
                if any(counts.values()):
                    log.info("scheduler pass: %s", counts)
            except Exception:  # noqa: BLE001 — keep the loop alive; the next pass retries
                log.exception("scheduler pass failed")
            finally:
                close_old_connections()
            if once:
                break
            # Wait for the next pass, looking every few seconds whether the web server
            # we run beside is still there.
            waited = 0.0
            while not stop.is_set() and waited < interval:
                if parent and not _alive(parent):
                    log.info("scheduler: process %s is gone; stopping", parent)
                    return
                step = min(2.0, interval - waited)
                stop.wait(step)
                waited += step


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True

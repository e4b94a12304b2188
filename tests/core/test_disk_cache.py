"""The embedded default's cache (lapor/core/cache.DiskCache, docs/decisions/0006): the web
workers and the scheduler are separate processes, and what one keeps, counts or drops,
the others see at once. Run in real separate processes, on the embedded configuration
(no REDIS_URL), whatever this test run's own cache is."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

SETUP = """
import os, sys, django
django.setup()
from django.conf import settings
from django.core.cache import cache
assert settings.CACHES["default"]["BACKEND"] == "lapor.core.cache.DiskCache", settings.CACHES
"""


def in_another_process(code: str, directory, *, wait=True):
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(DJANGO_SETTINGS_MODULE="lapor.settings", LAPOR_CACHE_DIR=str(directory))
    process = subprocess.Popen([sys.executable, "-c", SETUP + textwrap.dedent(code)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if not wait:
        return process
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return out.strip()


def test_what_one_process_keeps_or_drops_the_others_see(tmp_path):
    in_another_process("cache.set('statistik:halaman', {'laporan': 12}, 300)", tmp_path)
    assert in_another_process("print(cache.get('statistik:halaman'))", tmp_path) == "{'laporan': 12}"
    in_another_process("cache.delete('statistik:halaman')", tmp_path)
    assert in_another_process("print(cache.get('statistik:halaman', 'dibuang'))", tmp_path) == "dibuang"


def test_a_count_kept_by_several_processes_at_once_loses_no_request(tmp_path):
    """A rate limit counts the requests every worker served: two workers counting 300
    requests each at the same moment count 600."""
    in_another_process("cache.set('batas:203.0.113.7', 0, 300)", tmp_path)
    count = "for _ in range(300):\n    cache.incr('batas:203.0.113.7')"
    workers = [in_another_process(count, tmp_path, wait=False) for _ in range(2)]
    for worker in workers:
        _out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
    assert in_another_process("print(cache.get('batas:203.0.113.7'))", tmp_path) == "600"

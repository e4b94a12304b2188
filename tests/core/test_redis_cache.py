"""The Redis cache backend (lapor/core/cache.py) as the web processes use it: one client
kept per process, still right after gunicorn forks its workers from a loaded master."""
from __future__ import annotations

import os
import uuid

import pytest
from django.conf import settings
from django.core.cache import cache

# CI (LAPOR_REQUIRE_POSTGRES=1) always sets REDIS_URL: there these run, and fail without it.
pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL") and os.environ.get("LAPOR_REQUIRE_POSTGRES") != "1",
    reason="needs REDIS_URL (set in CI)",
)


def _key() -> str:
    return f"test:{uuid.uuid4().hex}"


def test_values_round_trip_through_the_kept_client():
    assert settings.CACHES["default"]["BACKEND"] == "lapor.core.cache.RedisCache"
    key, other = _key(), _key()
    assert cache.add(key, {"n": 1}, 30) is True
    assert cache.add(key, {"n": 2}, 30) is False  # already there: kept, not replaced
    assert cache.get(key) == {"n": 1}
    cache.set(other, 5, 30)
    assert cache.incr(other) == 6
    assert cache.get_many([key, other]) == {key: {"n": 1}, other: 6}
    cache.delete_many([key, other])
    assert cache.get(key) is None and cache.get(other, "gone") == "gone"


def test_a_forked_worker_uses_its_own_connections():
    """gunicorn --preload loads the app (and may touch the cache) before forking: the
    kept client's pool must open fresh connections in the child, not share the parent's
    socket (two processes reading one socket mix up their answers)."""
    key = _key()
    cache.set(key, "before fork", 30)
    assert cache.get(key) == "before fork"
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: read and write through the inherited cache object
        try:
            ok = cache.get(key) == "before fork"
            for n in range(50):
                cache.set(f"{key}:{n}", n, 30)
                ok = ok and cache.get(f"{key}:{n}") == n
            os.write(write, b"1" if ok else b"0")
        finally:
            os._exit(0)
    os.close(write)
    # The parent goes on with its own connection meanwhile.
    parent_ok = all(cache.get(key) == "before fork" for _ in range(50))
    os.waitpid(pid, 0)
    assert os.read(read, 1) == b"1"
    assert parent_ok
    assert cache.get(f"{key}:49") == 49
    cache.delete_many([key] + [f"{key}:{n}" for n in range(50)])

"""The cache backends: Django's Redis cache with one client kept per process (production),
and a cache on disk shared by the processes of one machine (the embedded default).

Redis: Django's Redis cache, with one client per server for the life of the process.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` around the shared
connection pool on every cache call, and each one fills a table of ~170 response
callbacks: about 0.15 ms of CPU per call, several calls a page (kept rows, fragments,
counts). A ``redis.Redis`` is safe to share between threads and holds no connection of
its own (it borrows one from the pool per command), so one is kept per pool. After a
fork the pool notices the new process id and opens fresh connections, as before.
"""
from __future__ import annotations

import diskcache
from django.core.cache.backends import redis as django_redis


class KeptClientRedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient


class DiskCache(diskcache.DjangoCache):
    """The embedded default's cache (docs/decisions/0006-shared-cache-on-disk.md): SQLite
    files under ``var/cache`` (diskcache), one cache for the web workers, their threads
    and the scheduler, so that a rate limit counts every process's requests and a kept
    page or figure dropped by one is dropped for all. Each thread keeps its connection
    between requests (diskcache reopens it after a fork): Django's end-of-request close,
    which would reopen the files and read their settings again on every request, does
    nothing here."""

    def close(self, **kwargs):
        pass

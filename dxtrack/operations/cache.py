"""Django's own RedisCache, made to keep the site up when Redis is down.

A cache is an aid: with Redis stopped, a page must still be served from the database alone
(only slower), not fail. Each call that cannot reach Redis is answered as a miss (a get returns
the default, a set does nothing) and logged; after a failure Redis is left alone for
`RETRY_SECONDS`, so that every request does not wait for a connection timeout. Sessions use the
`cached_db` engine, so they too live on in the database. The health page asks Redis directly
(`ping`) and says when it is down."""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("dxtrack.cache")

RETRY_SECONDS = 5.0


class TolerantRedisCache(RedisCache):
    _down_until = 0.0
    _lock = threading.Lock()

    def _guard(self, name: str, default, *args, **kwargs):
        if time.monotonic() < TolerantRedisCache._down_until:
            return default
        try:
            return getattr(super(), name)(*args, **kwargs)
        except RedisError as exc:
            with TolerantRedisCache._lock:
                if time.monotonic() >= TolerantRedisCache._down_until:
                    logger.warning("Redis unreachable (%s): serving without the cache for %ss", exc, RETRY_SECONDS)
                TolerantRedisCache._down_until = time.monotonic() + RETRY_SECONDS
            return default

    def get(self, key, default=None, version=None):
        return self._guard("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._guard("get_many", {}, keys, version)

    def set(self, key, value, timeout=None, version=None):
        self._guard("set", None, key, value, *([] if timeout is None else [timeout]), version=version)

    def set_many(self, data, timeout=None, version=None):
        return self._guard("set_many", [], data, *([] if timeout is None else [timeout]), version=version)

    def add(self, key, value, timeout=None, version=None):
        return self._guard("add", False, key, value, *([] if timeout is None else [timeout]), version=version)

    def touch(self, key, timeout=None, version=None):
        return self._guard("touch", False, key, *([] if timeout is None else [timeout]), version=version)

    def delete(self, key, version=None):
        return self._guard("delete", False, key, version)

    def delete_many(self, keys, version=None):
        return self._guard("delete_many", None, keys, version)

    def has_key(self, key, version=None):
        return self._guard("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        result = self._guard("incr", None, key, delta, version)
        if result is None:
            raise ValueError(f"Key '{key}' not found (or the cache is unreachable)")
        return result

    def clear(self):
        return self._guard("clear", False)

    def ping(self) -> None:
        """Raises when Redis cannot be reached (the health page's question); never tolerant."""
        self._cache.get_client(write=False).ping()

"""The shared cache (Redis) as pages use it: a help, never a dependency.

Every page reads its session, the reader's scope and their unread count from the cache (hruf.permissions,
hruf.notifications, SESSION_ENGINE). A field office's page must not fail because Redis is down, nor wait
on it: a cache call that cannot reach Redis answers as a miss (so the page reads the database), and for
RETRY_AFTER seconds the process does not try again. Redis's other users, the broker and the beat's lock,
keep their own connections and their own failure handling.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
RETRY_AFTER = 30.0


class ForgivingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        # Django keeps one instance per alias and thread: while Redis is unreachable, no call of this
        # worker waits for its timeout again.
        self.down_until = 0.0

    def _call(self, call, *args, miss=None, **kwargs):
        if time.monotonic() < self.down_until:
            return miss
        try:
            return call(*args, **kwargs)
        except (RedisError, OSError):
            self.down_until = time.monotonic() + RETRY_AFTER
            log.warning("cache unreachable: reading the database for %.0f s", RETRY_AFTER, exc_info=True)
            return miss

    def get(self, key, default=None, version=None):
        return self._call(super().get, key, default, version, miss=default)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, keys, version, miss={})

    def has_key(self, key, version=None):
        return self._call(super().has_key, key, version, miss=False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().add, key, value, timeout, version, miss=False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set_many, data, timeout, version, miss=list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().touch, key, timeout, version, miss=False)

    def delete(self, key, version=None):
        return self._call(super().delete, key, version, miss=False)

    def delete_many(self, keys, version=None):
        return self._call(super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        # A counter that cannot be read must not pass for zero (API throttling counts with it).
        value = self._call(super().incr, key, delta, version, miss=None)
        if value is None:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)")
        return value

"""The SMS sending rate (`SMS_RATE_PER_S`), shared by every worker process: a token bucket in
Redis. RQ forks a work horse per job, so a limiter in a process's memory limits nothing; the
bucket lives in Redis and one Lua script reserves tokens atomically, with Redis's own clock.

The bucket holds a fifth of a second's worth of messages (at least one batch's first message
goes at once) and refills at the rate. A caller reserves its messages before sending them and
waits out any debt, so over any window of t seconds at most rate x t + capacity go out.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Protocol

log = logging.getLogger(__name__)

BUCKET_KEY = "ikimina:sms:rate"

#: KEYS[1] the bucket; ARGV rate, capacity, count. Returns the seconds to wait (a string).
TAKE = """
local now = redis.call('TIME')
now = tonumber(now[1]) + tonumber(now[2]) / 1000000
local rate, capacity, count = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local held = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(held[1]) or capacity
local at = tonumber(held[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate) - count
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('EXPIRE', KEYS[1], 3600)
if tokens >= 0 then return '0' end
return tostring(-tokens / rate)
"""


class Limiter(Protocol):
    def take(self, count: int, rate: float) -> None: ...


def capacity(rate: float) -> float:
    return max(rate / 5, 1.0)


class RedisBucket:
    """One bucket for every process that sends through the same Redis."""

    def __init__(self, url: str, key: str = BUCKET_KEY) -> None:
        from redis import Redis

        self.redis = Redis.from_url(url, socket_timeout=5)
        self.key = key
        self._script = self.redis.register_script(TAKE)

    def take(self, count: int, rate: float) -> None:
        """Reserve `count` messages; sleep until they may go."""
        if rate <= 0 or count <= 0:
            return
        wait = float(self._script(keys=[self.key], args=[rate, capacity(rate), count]))
        if wait > 0:
            time.sleep(wait)


class LocalBucket:
    """The same bucket in this process (no Redis: the demo, jobs in the web process)."""

    def __init__(self) -> None:
        self.tokens: float | None = None
        self.at = time.monotonic()
        self._lock = threading.Lock()

    def take(self, count: int, rate: float) -> None:
        if rate <= 0 or count <= 0:
            return
        with self._lock:
            now = time.monotonic()
            full = capacity(rate)
            tokens = full if self.tokens is None else self.tokens
            # one process: a debt never exceeds this booking
            self.tokens = max(min(full, tokens + (now - self.at) * rate), 0.0) - count
            self.at = now
            wait = -self.tokens / rate if self.tokens < 0 else 0.0
        if wait > 0:
            time.sleep(wait)


_LOCAL = LocalBucket()
_buckets: dict[str, RedisBucket] = {}


def limiter_for(redis_url: str) -> Limiter:
    """The bucket shared through `redis_url`, or this process's when there is no Redis."""
    if not redis_url:
        return _LOCAL
    if redis_url not in _buckets:
        _buckets[redis_url] = RedisBucket(redis_url)
    return _buckets[redis_url]

"""A per-client request limit kept in the cache framework, so every app server shares it (Redis in production).

The window slides a second at a time: requests are counted in buckets of
``step`` seconds (one), and a request is allowed while the last ``window``
buckets, the current one included, hold no more than ``limit`` with it. So
a client is held to 60 requests in any 60 whole seconds, whichever servers
took them: one request a second forever is never refused, and a 61st inside
59 seconds always is. Each request reads its client's 60 buckets at once
(one MGET on Redis).

Each request first adds itself to its bucket (an atomic increment, on
Redis an INCR), then reads the buckets; a refused request takes itself out
again, so a client that keeps knocking while refused is not punished for
longer than the window. Concurrent requests on several servers each see
every increment made before their read, so together they never pass the
limit. If the cache fails, requests are let through: the limit protects the
site, and an outage of the cache must not take the API down with it.
"""

import ipaddress
import logging
import math
import time
from dataclasses import dataclass

logger = logging.getLogger(__name__)

KEY_PREFIX = "api-rate"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset: int  # seconds until the oldest counted request leaves the window
    retry_after: int = 0  # refused: seconds until a request would be allowed


def client_key(address: str | None) -> str:
    """Who is counted: an IPv4 address, or the /64 network of an IPv6 one (a host usually holds a whole /64)."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return "unknown"
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)


class RateLimiter:
    def __init__(self, cache, *, limit: int, window: int = 60, step: int = 1, clock=time.time):
        if window % step:
            raise ValueError("The window must be a whole number of steps.")
        self.cache, self.limit, self.window, self.step, self.clock = cache, limit, window, step, clock
        self.buckets = window // step  # the current bucket and those before it, `window` seconds in all

    def _key(self, client: str, bucket: int) -> str:
        return f"{KEY_PREFIX}:{client}:{bucket}"

    def hit(self, client: str) -> Decision:
        now = self.clock()
        current = int(now // self.step)
        key = self._key(client, current)
        try:
            self._increment(key)
            counted = self.cache.get_many(
                [self._key(client, b) for b in range(current - self.buckets + 1, current + 1)]
            )
        except Exception:
            logger.exception("Rate limit cache unavailable; request allowed")
            return Decision(True, self.limit, self.limit, self.window)
        by_bucket = {int(k.rsplit(":", 1)[1]): int(v) for k, v in counted.items() if v}
        total = sum(by_bucket.values())
        oldest = min(by_bucket, default=current)
        reset = self._leaves(oldest, now)
        if total <= self.limit:
            return Decision(True, self.limit, self.limit - total, reset)
        try:
            self.cache.decr(key)
        except ValueError:  # the bucket expired meanwhile: nothing to take back
            pass
        except Exception:
            logger.exception("Rate limit cache unavailable; a refused request stays counted")
        total -= 1
        # The request is allowed once enough of the oldest buckets have left that fewer than `limit` remain.
        excess = total - self.limit + 1
        for bucket in sorted(by_bucket):
            excess -= by_bucket[bucket] - (1 if bucket == current else 0)
            if excess <= 0:
                return Decision(False, self.limit, 0, reset, max(1, self._leaves(bucket, now)))
        return Decision(False, self.limit, 0, reset, self.window)

    def _leaves(self, bucket: int, now: float) -> int:
        """Seconds until a bucket is out of the counted window."""
        return max(0, math.ceil((bucket + self.buckets) * self.step - now))

    def _increment(self, key: str) -> None:
        timeout = self.window + 2 * self.step
        if self.cache.add(key, 1, timeout):
            return
        try:
            self.cache.incr(key)
        except ValueError:  # expired between add and incr
            self.cache.set(key, 1, timeout)

"""A request quota shared by every worker through Redis: N requests per period per key.

Visma allows 600 requests per minute "per client per endpoint". With many workers, each
pacing itself, the sum overshoots; this limiter keeps one sliding window per key in Redis, so
all of them together stay under the quota. The key is (client id, company, endpoint path) by
default; ``key_template`` changes it, e.g. ``"{client_id}:{path}"`` if the quota turns out to
be per app rather than per company.

Why a script rather than a limiter library: the client needs a *reservation* (how long to
sleep until my slot, with the slot counted now, as :class:`eaccounting.ratelimit.RateLimiter`
does) plus a pause that a 429 sets for every worker. pyrate-limiter and limits answer
"allowed now / not allowed" and have no shared pause, so a worker would poll and the 429's
wait would stay local. One atomic Lua script (below) does both, on the Redis server's clock.
"""

from __future__ import annotations

import math
import secrets
import threading
from typing import TYPE_CHECKING

from ..ratelimit import RateLimiter

if TYPE_CHECKING:
    import redis

__all__ = ["RedisRateLimiter"]

# KEYS[1] window (sorted set of granted slots, ms), KEYS[2] pause-until (ms).
# ARGV: limit, period_ms, margin_ms, member. Returns the wait in ms for the granted slot.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit, period, margin = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - period)
local slot = now
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > slot then slot = paused end
-- Slots are granted in order: never before the newest one already granted.
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if newest[2] and tonumber(newest[2]) > slot then slot = tonumber(newest[2]) end
local n = redis.call('ZCARD', KEYS[1])
if n >= limit then
  -- The limit-th newest slot: the new one must come a full period (plus margin) after it.
  local edge = redis.call('ZRANGE', KEYS[1], n - limit, n - limit, 'WITHSCORES')
  local earliest = tonumber(edge[2]) + period + margin
  if earliest > slot then slot = earliest end
end
redis.call('ZADD', KEYS[1], slot, ARGV[4])
redis.call('PEXPIRE', KEYS[1], slot - now + period + 1000)
return slot - now
"""

# KEYS[1] pause-until. ARGV: seconds in ms. Extends the pause, never shortens it.
_PAUSE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untl = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untl > current then
  redis.call('SET', KEYS[1], untl, 'PX', tonumber(ARGV[1]) + 1000)
end
return untl - now
"""


class RedisRateLimiter(RateLimiter):
    """A :class:`~eaccounting.ratelimit.RateLimiter` whose windows live in Redis.

    Pass it as a client's ``rate_limit=``; one instance per (client id, company) pair, e.g.::

        limiter = RedisRateLimiter(redis.Redis.from_url(url), client_id=cid, company=company)
        client = Client(..., token_store=store, rate_limit=limiter)

    A 429 seen by any worker pauses that key for every worker for the wait the 429 names
    (the client calls :meth:`pause`).
    """

    def __init__(
        self,
        client: redis.Redis,
        *,
        client_id: str,
        company: str = "",
        max_requests: int = 600,
        period: float = 60.0,
        margin: float = 0.5,
        key_template: str = "{client_id}:{company}:{path}",
        namespace: str = "eaccounting:quota",
    ) -> None:
        super().__init__(max_requests, period, margin=margin)
        try:
            key_template.format(client_id="", company="", path="")
        except (KeyError, IndexError, ValueError) as exc:
            raise ValueError(
                f"key_template={key_template!r} may use only {{client_id}}, {{company}} and "
                f"{{path}} ({type(exc).__name__}: {exc})"
            ) from None
        if "{path}" not in key_template:
            raise ValueError(
                f"key_template={key_template!r} must contain {{path}}: Visma counts per endpoint"
            )
        self._redis = client
        self.client_id = client_id
        self.company = company
        self.key_template = key_template
        self.namespace = namespace
        self._reserve = client.register_script(_RESERVE)
        self._pause = client.register_script(_PAUSE)
        self._counter = 0
        self._counter_lock = threading.Lock()
        self._instance = secrets.token_hex(6)

    def key_for(self, path: str) -> str:
        """The Redis key prefix that counts requests to ``path``."""
        name = self.key_template.format(client_id=self.client_id, company=self.company, path=path)
        return f"{self.namespace}:{name}"

    def reserve(self, key: str) -> float:
        """Reserve the next shared slot for path ``key``; seconds to wait for it."""
        base = self.key_for(key)
        with self._counter_lock:
            self._counter += 1
            member = f"{self._instance}:{self._counter}"
        wait_ms = self._reserve(
            keys=[f"{base}:window", f"{base}:pause"],
            args=[
                self.max_requests,
                math.ceil(self.period * 1000),
                math.ceil(self.margin * 1000),
                member,
            ],
        )
        return max(0.0, int(wait_ms) / 1000)

    def pause(self, key: str, seconds: float) -> None:
        """Hold every worker's requests to path ``key`` for ``seconds`` (after a 429)."""
        if seconds > 0:
            self._pause(keys=[f"{self.key_for(key)}:pause"], args=[math.ceil(seconds * 1000)])

    def __repr__(self) -> str:
        return (
            f"RedisRateLimiter(client_id={self.client_id!r}, company={self.company!r}, "
            f"max_requests={self.max_requests}, period={self.period}, margin={self.margin})"
        )

"""A token store in Redis, one pair per company, with a fenced refresh lease.

Keys (``namespace`` defaults to ``eaccounting:token``)::

    {namespace}:{company}             hash: token (JSON), generation (int), superseded (JSON)
    {namespace}:{company}:lease       the lease holder's id, expiring after lease_seconds

The lease is ``SET NX PX`` with a random owner id; it is released only by its owner (a
compare-and-delete script) and expires on the Redis server's clock, so the machines' clocks
do not matter. Saves under the lease are compare-and-set on the generation (see
:mod:`eaccounting.stores.lease`).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from .._logging import logger
from ..tokens import Token
from .lease import LeasedStore, LeaseSettings, decode_token, encode_token, new_owner

if TYPE_CHECKING:
    import redis

__all__ = ["RedisTokenStore"]

# Save under a lease: only if nobody saved since the lease began. Returns the new generation,
# or -1 when the generation moved on (the pair is then kept as `superseded`).
_FENCED_SAVE = """
local current = tonumber(redis.call('HGET', KEYS[1], 'generation') or '0')
if current ~= tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'superseded', ARGV[1])
  return -1
end
redis.call('HSET', KEYS[1], 'token', ARGV[1], 'generation', current + 1)
return current + 1
"""

_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class RedisTokenStore(LeasedStore):
    """The current token pair of one company in Redis, shared by every worker.

    ``client`` is a ``redis.Redis`` (``redis.Redis.from_url("redis://host:6379/0")``); give
    each company (each consented Visma company of your app) its own ``company`` key.
    """

    def __init__(
        self,
        client: redis.Redis,
        company: str,
        *,
        namespace: str = "eaccounting:token",
        lease: LeaseSettings | None = None,
    ) -> None:
        if not isinstance(company, str) or not company:
            raise ValueError(f"company={company!r} must be a non-empty string")
        self._redis = client
        self.company = company
        self.key = f"{namespace}:{company}"
        self.lease_key = f"{self.key}:lease"
        self.lease = lease or LeaseSettings()
        self._save_script = client.register_script(_FENCED_SAVE)
        self._release_script = client.register_script(_RELEASE)
        self._state = threading.local()
        #: Saves that lost the fencing check (this instance), for diagnostics and tests.
        self.superseded_saves = 0

    # -- the protocol's duck-typed lease (polled by TokenManager.refresh) --------------------

    def try_lock(self) -> bool:
        """Take the company's refresh lease without blocking; True if this worker holds it."""
        owner = new_owner()
        ms = max(1, int(self.lease.lease_seconds * 1000))
        if not self._redis.set(self.lease_key, owner, nx=True, px=ms):
            return False
        # The fence: the generation this holder may replace. Read after taking the lease, so
        # a save by a holder whose lease ran out just before is seen here.
        generation = self._redis.hget(self.key, "generation")
        self._state.owner = owner
        self._state.fence = int(generation or 0)
        return True

    def unlock(self) -> None:
        """Release the lease if this worker still holds it (never someone else's)."""
        owner = getattr(self._state, "owner", None)
        self._state.owner = None
        self._state.fence = None
        if owner is not None:
            self._release_script(keys=[self.lease_key], args=[owner])

    # -- TokenStore ---------------------------------------------------------------------------

    def load(self) -> Token | None:
        raw = self._redis.hget(self.key, "token")
        if raw is None:
            return None
        return decode_token(raw, f"redis key {self.key!r}")

    def save(self, token: Token) -> None:
        payload = encode_token(token)
        fence = getattr(self._state, "fence", None)
        if fence is None:
            # Outside a refresh (first authorization, an operator's import): plain write,
            # still a new generation, so a lease holder that read the old one cannot undo it.
            with self._redis.pipeline(transaction=True) as pipe:
                pipe.hset(self.key, "token", payload)
                pipe.hincrby(self.key, "generation", 1)
                pipe.execute()
            return
        result = int(self._save_script(keys=[self.key], args=[payload, fence]))
        if result < 0:
            self.superseded_saves += 1
            logger.warning(
                "eaccounting: token store %r: a newer token was saved while this worker's "
                "lease had expired; kept this pair as 'superseded' instead of overwriting",
                self,
            )
            return
        self._state.fence = result

    def clear(self) -> None:
        with self._redis.pipeline(transaction=True) as pipe:
            pipe.hdel(self.key, "token", "superseded")
            pipe.hincrby(self.key, "generation", 1)
            pipe.execute()

    def superseded(self) -> Token | None:
        """The last pair that lost the fencing check, if any (kept, never thrown away)."""
        raw = self._redis.hget(self.key, "superseded")
        return None if raw is None else decode_token(raw, f"redis key {self.key!r}")

    def __repr__(self) -> str:
        return f"RedisTokenStore(company={self.company!r}, key={self.key!r})"

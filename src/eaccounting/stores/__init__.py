"""Shared state for many workers on many machines: token stores and a quota limiter.

Each lives in its own module and imports its engine's client library only there, so the core
package stays dependency-free; install the extra you use:

- :class:`~eaccounting.stores.redis_tokens.RedisTokenStore` (``pip install
  'visma-eaccounting[redis]'``)
- :class:`~eaccounting.stores.sql_tokens.SQLTokenStore` (``pip install
  'visma-eaccounting[sql]'`` plus your database's driver, e.g. ``psycopg[binary]``)
- :class:`~eaccounting.stores.redis_quota.RedisRateLimiter` (``[redis]``)

Both token stores implement the refresh lease the client's token manager polls
(``try_lock``/``unlock``) with a fencing generation: see docs/scaling.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .lease import LeaseSettings, StoreLockTimeoutError

if TYPE_CHECKING:
    from .redis_quota import RedisRateLimiter
    from .redis_tokens import RedisTokenStore
    from .sql_tokens import SQLTokenStore

__all__ = [
    "LeaseSettings",
    "RedisRateLimiter",
    "RedisTokenStore",
    "SQLTokenStore",
    "StoreLockTimeoutError",
]

_LAZY = {
    "RedisRateLimiter": "redis_quota",
    "RedisTokenStore": "redis_tokens",
    "SQLTokenStore": "sql_tokens",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'eaccounting.stores' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{module}", __name__), name)

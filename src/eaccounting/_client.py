"""``Client`` and ``AsyncClient``: configuration, the request pipeline, raw and paged calls.

``AsyncClient`` is written in ``_async/client.py``; ``Client`` is derived from it
(``_sync/client.py``, ``scripts/unasync.py``). What both share is in ``_config``.
"""

from __future__ import annotations

from ._async.client import AsyncClient
from ._config import env_proxy as _env_proxy
from ._sync.client import Client

__all__ = ["AsyncClient", "Client", "_env_proxy"]

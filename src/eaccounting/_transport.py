"""The request pipeline as httpx transports: auth, rate limit, retries, typed errors, logging.

The decisions are in ``_pipeline``; the transports in ``_async/transport.py`` (written) and
``_sync/transport.py`` (derived).
"""

from __future__ import annotations

from ._async.transport import AsyncPipelineTransport
from ._pipeline import Pipeline
from ._sync.transport import PipelineTransport

__all__ = ["AsyncPipelineTransport", "Pipeline", "PipelineTransport"]

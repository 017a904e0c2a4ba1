"""Retry policy: which failures are retried, and how long to wait before the next attempt.

- 429: wait ``Retry-After`` if sent, else the seconds in "Try again in N seconds", else back off.
  A 429 means the request was refused before processing, so every method is retried.
- 500/502/503/504, timeouts and connection errors: exponential backoff with full jitter, for
  idempotent methods only (GET, HEAD, OPTIONS, PUT, DELETE). POST and PATCH are retried after
  such an ambiguous failure only with ``retry_non_idempotent=True`` (the first attempt may
  have been applied). A connect error (nothing was sent) is retried for every method.
"""

from __future__ import annotations

import random

import attrs

__all__ = ["IDEMPOTENT_METHODS", "RetryPolicy"]

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
# 500 is included: Visma answers transient failures with 500/ErrorCode 5000, and only
# idempotent methods are retried on it.
RETRY_STATUSES = frozenset({500, 502, 503, 504})


@attrs.frozen
class RetryPolicy:
    """Every bound of the retry behaviour. ``max_retries`` counts retries after the first try."""

    max_retries: int = attrs.field(default=2, validator=attrs.validators.ge(0))
    initial_backoff: float = attrs.field(default=0.5, validator=attrs.validators.ge(0))
    max_backoff: float = attrs.field(default=8.0, validator=attrs.validators.ge(0))
    #: The longest a 429 wait may be; longer waits raise RateLimitError instead of sleeping.
    max_rate_limit_wait: float = attrs.field(default=65.0, validator=attrs.validators.ge(0))
    retry_non_idempotent: bool = False
    retry_statuses: frozenset[int] = RETRY_STATUSES
    #: Seeded in tests for deterministic jitter.
    rng: random.Random = attrs.field(factory=random.Random, eq=False, repr=False)

    def may_retry_method(self, method: str, *, sent: bool) -> bool:
        """Whether a failure of ``method`` may be retried; ``sent`` says the request left us."""
        return not sent or method.upper() in IDEMPOTENT_METHODS or self.retry_non_idempotent

    def backoff(self, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based): full jitter, capped."""
        ceiling = min(self.max_backoff, self.initial_backoff * (2 ** (attempt - 1)))
        # Jitter in [ceiling/2, ceiling]: spreads clients without collapsing the wait to ~0.
        return float(ceiling / 2 + self.rng.random() * ceiling / 2)

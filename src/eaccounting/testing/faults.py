"""Faults on demand: latency, 5xx, 429 bursts, dropped connections, truncated bodies, early expiry.

A ``drop`` loses the request before the server acts on it; a ``commit_drop`` applies it and
then drops the connection before the response, the ambiguous failure a client cannot tell
apart from a ``drop`` (a POST must not be blindly retried after either).

``on_served`` is not drawn: it runs a callback after every request the emulator answered,
before the client sees the response, so a test can widen a race on purpose (hold writers at
a barrier between their GET and their PUT, or slip another writer's change in there).

All draws come from one seeded generator, one draw per request in arrival order, so a given
configuration and request sequence always produces the same faults.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Faults:
    """Fault configuration of one emulator app (all off by default)."""

    seed: int = 0
    latency: float = 0.0  # seconds added to every API response (via the injected sleep)
    error_rate: float = 0.0  # probability of a 500/503 with ErrorCode 5000
    burst_every: int = 0  # every Nth API request starts a 429 burst ...
    burst_length: int = 0  # ... of this many requests
    drop_rate: float = 0.0  # probability the connection drops without a response
    truncate_rate: float = 0.0  # probability the body is cut in half
    commit_drop_rate: float = 0.0  # probability the request is applied, then the connection drops
    token_lifetime: int | None = None  # access-token lifetime in seconds instead of 3600
    # Called with (method, path) once a request is answered, outside the emulator's lock;
    # the async transports await what it returns if that is awaitable.
    on_served: Callable[[str, str], object] | None = None

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Restart the fault sequence from the seed."""
        self._rng = random.Random(self.seed)
        self._count = 0
        self._burst_left = 0
        self.errors_seen = 0
        #: How many of each fault were injected since the last reset (for reports).
        self.injected: Counter[str] = Counter()

    def configure(self, **settings: object) -> None:
        """Change settings (same names as the fields) and restart the sequence."""
        for name, value in settings.items():
            if name not in self.__dataclass_fields__:
                raise ValueError(f"unknown fault setting {name!r}")
            setattr(self, name, value)
        self.reset()

    def draw(self) -> str | None:
        """The fault for the next API request: None, 'error', 'burst', 'drop', 'truncate' or
        'commit_drop'."""
        fault = self._draw()
        if fault is not None:
            self.injected[fault] += 1
        return fault

    def _draw(self) -> str | None:
        self._count += 1
        roll = self._rng.random()
        if self._burst_left > 0:
            self._burst_left -= 1
            return "burst"
        if self.burst_every and self._count % self.burst_every == 0:
            self._burst_left = max(self.burst_length - 1, 0)
            return "burst"
        if roll < self.drop_rate:
            return "drop"
        roll -= self.drop_rate
        if roll < self.error_rate:
            return "error"
        roll -= self.error_rate
        if roll < self.truncate_rate:
            return "truncate"
        roll -= self.truncate_rate
        if roll < self.commit_drop_rate:
            return "commit_drop"
        return None

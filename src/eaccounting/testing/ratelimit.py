"""The documented quota: 600 requests per minute per client and endpoint (URL path)."""

from __future__ import annotations

import math

from .clock import Clock

LIMIT = 600
WINDOW = 60.0


class QuotaTracker:
    """Fixed one-minute windows per (client, path), started by the window's first request."""

    def __init__(self, clock: Clock, limit: int = LIMIT, window: float = WINDOW) -> None:
        self.clock = clock
        self.limit = limit
        self.window = window  # seconds; benchmarks scale it down with the limit
        self._windows: dict[tuple[str, str], list[float]] = {}

    def hit(self, client_id: str, path: str) -> int | None:
        """Count one request; returns seconds to wait if over quota, else None."""
        now = self.clock.time()
        key = (client_id, path)
        window = self._windows.get(key)
        if window is None or now - window[0] >= self.window:
            self._windows[key] = [now, 1.0]
            return None
        if window[1] >= self.limit:
            return max(1, math.ceil(window[0] + self.window - now))
        window[1] += 1
        return None

    def reset(self) -> None:
        self._windows.clear()

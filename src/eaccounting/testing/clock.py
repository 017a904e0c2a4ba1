"""Injectable clocks and the seeded id generator that make the emulator deterministic."""

from __future__ import annotations

import random
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from typing import Protocol

#: The emulator's default "now": a fixed instant, so runs are reproducible byte for byte.
DEFAULT_START = datetime(2026, 1, 15, 9, 0, 0, tzinfo=timezone.utc)


class Clock(Protocol):
    """Anything that tells the emulator the current time (epoch seconds)."""

    def time(self) -> float: ...


class ManualClock:
    """A clock that moves only when told to (``advance``/``set``); the in-process default."""

    def __init__(self, start: datetime | float = DEFAULT_START) -> None:
        self._now = start.timestamp() if isinstance(start, datetime) else float(start)

    def time(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds``."""
        self._now += seconds

    def set(self, when: datetime | float) -> None:
        """Jump to ``when`` (an aware datetime or epoch seconds)."""
        self._now = when.timestamp() if isinstance(when, datetime) else float(when)


class SystemClock:
    """Wall-clock time; used by the loopback server."""

    def time(self) -> float:
        return time.time()


def utc_datetime(clock: Clock) -> datetime:
    """The clock's current instant as an aware UTC datetime."""
    return datetime.fromtimestamp(clock.time(), tz=timezone.utc)


def iso_utc(moment: datetime) -> str:
    """Format like the real API's UTC timestamps: ``2026-01-15T09:00:00Z``."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def today(clock: Clock) -> date:
    """The clock's current UTC date."""
    return utc_datetime(clock).date()


def add_days(day: str, days: int) -> str:
    """``yyyy-MM-dd`` plus ``days``."""
    return (date.fromisoformat(day[:10]) + timedelta(days=days)).isoformat()


class IdGenerator:
    """Seeded source of GUIDs and opaque secrets; the same seed gives the same sequence."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)

    def guid(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def secret(self, nbytes: int = 24) -> str:
        return self._rng.getrandbits(nbytes * 8).to_bytes(nbytes, "big").hex()

    def getstate(self) -> object:
        return self._rng.getstate()

    def setstate(self, state: object) -> None:
        self._rng.setstate(state)  # type: ignore[arg-type]

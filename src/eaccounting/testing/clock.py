"""Injectable clocks and the seeded id generator that make the emulator deterministic."""

from __future__ import annotations

import random
import re
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from typing import Protocol

#: The emulator's default "now": a fixed instant, so runs are reproducible byte for byte. It has
#: a fraction of a second, as the real API's timestamps do (evidence fact 2).
DEFAULT_START = datetime(2026, 1, 15, 9, 0, 0, 673021, tzinfo=timezone.utc)

_TICKS = 10_000_000  # .NET ticks per second: the API's timestamps have 100 ns resolution
_FRACTION = re.compile(r"(\.\d{6})\d+")


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


def iso_utc(moment: datetime | float) -> str:
    """Format like the real API's UTC timestamps (evidence fact 2).

    .NET ticks with trailing zeros trimmed, so 7, 6, 4 or no fractional digits, and ``Z``:
    ``2026-06-27T17:34:17.6730217Z``, ``2026-01-15T09:00:00Z``. A float is epoch seconds (a
    clock's reading, which keeps sub-microsecond digits); a datetime has microseconds.
    """
    if isinstance(moment, datetime):
        epoch = moment.astimezone(timezone.utc)
        seconds = int(epoch.replace(microsecond=0).timestamp())
        ticks = epoch.microsecond * 10
    else:
        seconds = int(moment // 1)
        ticks = round((moment - seconds) * _TICKS)
        if ticks == _TICKS:
            seconds, ticks = seconds + 1, 0
    whole = datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    digits = f"{ticks:07d}".rstrip("0")
    return f"{whole}.{digits}Z" if digits else f"{whole}Z"


def parse_utc(text: str) -> datetime:
    """Read a timestamp as the API writes it (``Z`` or an offset, up to 7 digits; none = UTC).

    Python 3.10 reads neither ``Z`` nor a seventh digit; the seventh is truncated here.
    """
    value = _FRACTION.sub(r"\1", text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


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

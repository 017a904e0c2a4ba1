"""An embedded, stateful emulator of the eAccounting API v2 (one sandbox company per region).

Needs the ``emulator`` extra for ``serve()`` (uvicorn); in-process use needs only httpx.

    from eaccounting.testing import Emulator

    with Emulator(region="se") as emu:
        client = emu.client()
"""

from __future__ import annotations

from .clock import ManualClock, SystemClock
from .emulator import CoverageReport, Emulator, coverage, listen, serve
from .faults import Faults
from .regions import REGIONS

__all__ = [
    "REGIONS",
    "CoverageReport",
    "Emulator",
    "Faults",
    "ManualClock",
    "SystemClock",
    "coverage",
    "listen",
    "serve",
]

"""Pausing the cyclic garbage collector while a large response body becomes objects.

Decoding a 1,000-row page and building its models allocate a few hundred thousand objects;
each allocation burst triggers collections that walk every tracked object, young and old,
for nothing: decoded JSON and parsed models hold no reference cycles. Pausing the collector
for the duration made parsing a page about a third faster. Reference counting still frees
everything as usual. Pauses nest across threads (prefetch parses pages concurrently), and the
collector is only re-enabled if it was enabled when the first pause began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]

_lock = threading.Lock()
_pauses = 0
_paused_by_us = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """The block runs with the cyclic garbage collector paused (nesting, thread-safe)."""
    global _pauses, _paused_by_us
    with _lock:
        if _pauses == 0:
            _paused_by_us = gc.isenabled()
            if _paused_by_us:
                gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _paused_by_us:
                _paused_by_us = False
                gc.enable()

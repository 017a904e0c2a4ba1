"""The seams between the sync and the async client, written by hand side by side.

Everything else of the async client (``eaccounting/_async``) is rewritten mechanically into
the sync one (``scripts/unasync.py``). What differs in substance is here: fetching pages ahead
(threads vs tasks), the single-flight lock around a token refresh (a thread lock vs a per-loop
asyncio lock that never blocks the loop), the per-object lock of ``update()``, and finishing
a refresh the caller gave up on.
Sleeping differs only by the function injected (``time.sleep`` / ``asyncio.sleep``).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
import weakref
from collections import deque
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterable,
    Iterator,
)
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from ._pages import Page

__all__ = [
    "AsyncObjectLock",
    "Coordinator",
    "ObjectLock",
    "aprefetched",
    "arefresh_lock",
    "ashielded",
    "coordinator_for",
    "prefetched",
    "refresh_lock",
    "shielded",
]

T = TypeVar("T")


# -- prefetching pages -----------------------------------------------------------------------


def prefetched(
    fetch: Callable[[int, int], Page[T]], numbers: Iterable[int], page_size: int, width: int
) -> Generator[Page[T], None, None]:
    """Pages ``numbers``, up to ``width`` fetched at once on threads, yielded in order."""
    with ThreadPoolExecutor(max_workers=width) as pool:
        pending: deque[Future[Page[T]]] = deque()
        upcoming = iter(numbers)
        try:
            for number in upcoming:
                pending.append(pool.submit(fetch, number, page_size))
                if len(pending) >= width:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


async def aprefetched(
    fetch: Callable[[int, int], Awaitable[Page[T]]],
    numbers: Iterable[int],
    page_size: int,
    width: int,
) -> AsyncGenerator[Page[T], None]:
    """Pages ``numbers``, up to ``width`` fetched at once as tasks, yielded in order."""
    pending: deque[asyncio.Future[Page[T]]] = deque()
    upcoming = iter(numbers)
    try:
        for number in upcoming:
            pending.append(asyncio.ensure_future(fetch(number, page_size)))
            if len(pending) >= width:
                yield await pending.popleft()
        while pending:
            yield await pending.popleft()
    finally:
        for task in pending:
            task.cancel()


# -- one writer per object ------------------------------------------------------------------


class _KeyedLocks:
    """A lock per key for this process, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, tuple[threading.Lock, int]] = {}

    def take(self, key: str) -> threading.Lock:
        with self._guard:
            lock, users = self._locks.get(key) or (threading.Lock(), 0)
            self._locks[key] = (lock, users + 1)
            return lock

    def give_back(self, key: str) -> None:
        with self._guard:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        with self._guard:
            return len(self._locks)


_object_locks = _KeyedLocks()


class ObjectLock:
    """Held by ``update()`` from its re-read of ``key`` (an object's path) to its PUT: two
    updates of one object in this process, from any thread or client, never interleave
    there. (Across processes nothing can: Visma has no If-Match.)"""

    def __init__(self, key: str) -> None:
        self.key = key

    def __enter__(self) -> None:
        self._lock = _object_locks.take(self.key)
        self._lock.acquire()

    def __exit__(self, *exc: object) -> None:
        self._lock.release()
        _object_locks.give_back(self.key)


class AsyncObjectLock(ObjectLock):
    """:class:`ObjectLock` for tasks: polls the thread lock so the event loop never blocks
    (the same object may be updated from a thread and from a loop at once)."""

    async def __aenter__(self) -> None:
        self._lock = _object_locks.take(self.key)
        try:
            while not self._lock.acquire(blocking=False):
                await asyncio.sleep(0.002)
        except BaseException:  # cancelled while waiting
            _object_locks.give_back(self.key)
            raise

    async def __aexit__(self, *exc: object) -> None:
        self.__exit__(*exc)


# -- single-flight token refresh -------------------------------------------------------------


class Coordinator:
    """The locks (and the unsaved pair) shared by every TokenManager of one token store."""

    def __init__(self) -> None:
        self.thread_lock = threading.Lock()
        #: A rotated pair the store refused to save: the newest this process holds. Shared so
        #: that every client of the store uses it, not the spent pair in the store.
        self.unsaved: Any = None
        #: Refresh tokens known to be used up (spent here, or replaced by a new consent).
        self.superseded: deque[str] = deque(maxlen=32)
        self._loop_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        self._guard = threading.Lock()

    def loop_lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        with self._guard:
            lock = self._loop_locks.get(loop)
            if lock is None:
                lock = self._loop_locks[loop] = asyncio.Lock()
            return lock


_coordinators: dict[int, tuple[Any, Coordinator]] = {}
_coordinators_guard = threading.Lock()


def coordinator_for(store: object) -> Coordinator:
    """The one coordinator of ``store`` in this process."""
    with _coordinators_guard:
        entry = _coordinators.get(id(store))
        if entry is not None:
            ref = entry[0]
            if (ref() if isinstance(ref, weakref.ref) else ref) is store:
                return entry[1]
        coordinator = Coordinator()
        key = id(store)
        try:
            holder: Any = weakref.ref(store, lambda _: _coordinators.pop(key, None))
        except TypeError:  # not weak-referenceable: keep it alive with its coordinator
            holder = store
        _coordinators[key] = (holder, coordinator)
        return coordinator


def _try_process_lock(store: object) -> bool:
    """Stores shared between processes (FileTokenStore) offer a non-blocking lock."""
    try_lock = getattr(store, "try_lock", None)
    return bool(try_lock()) if callable(try_lock) else True


def _process_unlock(store: object) -> None:
    unlock = getattr(store, "unlock", None)
    if callable(unlock):
        unlock()


class _Wait:
    """How long a refresh may wait for the locks: the store's ``lock_wait_seconds`` if it
    sets one, else ``fallback`` (the call's timeout). Every wait is bounded by it."""

    def __init__(self, store: object, fallback: float) -> None:
        setting = getattr(store, "lock_wait_seconds", None)
        self.store = store
        self.seconds = fallback if setting is None else float(setting)
        self.deadline = time.monotonic() + self.seconds

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def expired(self) -> bool:
        return time.monotonic() >= self.deadline

    def in_process_timeout(self) -> Exception:
        from .errors import TokenLockTimeoutError

        return TokenLockTimeoutError(
            f"gave up after {self.seconds:g} s waiting for another thread or task of this "
            f"process to finish refreshing the token of {self.store!r}; no refresh token was "
            "spent by this call",
            path=None,
            waited=self.seconds,
        )

    def process_timeout(self) -> Exception:
        """The store's own error if it has one (it names its lock), else a generic one."""
        make = getattr(self.store, "lock_timeout_error", None)
        if callable(make):
            error = make(self.seconds)
            if isinstance(error, Exception):
                return error
        if hasattr(self.store, "lease"):  # the shared stores of eaccounting.stores
            from .stores.lease import StoreLockTimeoutError

            return StoreLockTimeoutError(
                f"gave up after {self.seconds:g} s waiting for the refresh lease of "
                f"{self.store!r}: another worker holds it and neither released it nor let it "
                "expire (check lease_seconds < wait_seconds and the store's server)",
                path=None,
                waited=self.seconds,
            )
        from .errors import TokenLockTimeoutError

        return TokenLockTimeoutError(
            f"gave up after {self.seconds:g} s waiting for the refresh lock of {self.store!r} "
            "(its try_lock() kept answering False); no refresh token was spent",
            path=None,
            waited=self.seconds,
        )


@contextlib.contextmanager
def refresh_lock(coordinator: Coordinator, store: object, wait: float) -> Iterator[None]:
    """Held while refreshing: one thread of this process, and one process, at a time.

    Waits at most ``wait`` seconds in all (or the store's ``lock_wait_seconds``), then raises
    :class:`~eaccounting.TokenLockTimeoutError`.
    """
    bound = _Wait(store, wait)
    if not coordinator.thread_lock.acquire(timeout=bound.remaining()):
        raise bound.in_process_timeout()
    try:
        while not _try_process_lock(store):
            if bound.expired():
                raise bound.process_timeout()
            time.sleep(min(0.01, bound.remaining()))
        try:
            yield
        finally:
            _process_unlock(store)
    finally:
        coordinator.thread_lock.release()


@contextlib.asynccontextmanager
async def arefresh_lock(
    coordinator: Coordinator, store: object, wait: float
) -> AsyncIterator[None]:
    """Async :func:`refresh_lock`: one task per loop, then one thread, then one process."""
    bound = _Wait(store, wait)
    loop_lock = coordinator.loop_lock()
    try:
        # A cancelled Lock.acquire never leaves the lock taken, so the timeout is safe here.
        async with asyncio.timeout(bound.remaining()):
            await loop_lock.acquire()
    except TimeoutError:
        raise bound.in_process_timeout() from None
    try:
        # Never block the event loop on the thread lock: poll it.
        lock = coordinator.thread_lock
        while not lock.acquire(blocking=False):
            if bound.expired():
                raise bound.in_process_timeout()
            await asyncio.sleep(0.002)
        try:
            while not _try_process_lock(store):
                if bound.expired():
                    raise bound.process_timeout()
                await asyncio.sleep(min(0.01, bound.remaining()))
            try:
                yield
            finally:
                _process_unlock(store)
        finally:
            lock.release()
    finally:
        loop_lock.release()


def shielded(value: T) -> T:
    """The sync twin of :func:`ashielded`: a call already runs to its end."""
    return value


async def ashielded(awaitable: Awaitable[T]) -> T:
    """Await ``awaitable`` to its end even if the caller is cancelled meanwhile.

    Once a refresh request is out the old refresh token may already be spent: the rotation is
    finished and persisted before the cancellation reaches the caller.
    """
    task = asyncio.ensure_future(awaitable)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            await task
        raise

"""Serve an ASGI app (the emulator) with uvicorn on 127.0.0.1 in a background thread.

The harness, the CLI and the tests all need a real HTTP server they can start and stop inside
one process; this is that server, once.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["LoopbackServer"]


class LoopbackServer:
    """A port on 127.0.0.1, bound now, served on demand.

    The socket is bound in the constructor so that ``origin`` is known before the app exists
    (the emulator wants its own origin for redirect URIs)::

        server = LoopbackServer()
        emulator = Emulator(region="se", origin=server.origin)
        with server.serving(emulator.app):
            ...
    """

    def __init__(self, start_timeout: float = 10.0) -> None:
        # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY on accepted connections only for
        # sockets that say so, and without it every response waits ~40 ms for delayed ACKs.
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self.port: int = self._sock.getsockname()[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.start_timeout = start_timeout

    @contextmanager
    def serving(self, app: Any) -> Iterator[str]:
        """Serve ``app`` until the block ends; yields the origin. Closes the socket after."""
        import uvicorn

        config = uvicorn.Config(
            app,
            log_level="warning",
            lifespan="off",
            access_log=False,
            server_header=False,
            date_header=False,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run,
            kwargs={"sockets": [self._sock]},
            name=f"loopback:{self.port}",
            daemon=True,
        )
        thread.start()
        deadline = time.monotonic() + self.start_timeout
        try:
            while not server.started:
                if not thread.is_alive() or time.monotonic() > deadline:
                    raise RuntimeError(f"uvicorn did not start on {self.origin}")
                time.sleep(0.01)
            yield self.origin
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            self._sock.close()

"""A one-shot HTTP server on a loopback port that receives the OAuth2 redirect."""

from __future__ import annotations

import html
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qsl, urlsplit

_PAGE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>eaccounting</title></head>"
    "<body style='font-family:sans-serif;margin:3em'><h2>{title}</h2><p>{text}</p></body></html>"
)


class CallbackServer:
    """Listens on ``host:port`` and keeps the query of the first request to ``path``.

    ``port=0`` picks a free port (see :attr:`port`). Use as a context manager.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 8765, path: str = "/callback") -> None:
        self.path = path
        self.result: dict[str, str] | None = None
        self._received = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                if parts.path != outer.path:
                    self.send_error(404)
                    return
                query = dict(parse_qsl(parts.query))
                if "error" in query:
                    title = "Authorization failed"
                    text = html.escape(query.get("error_description") or query["error"])
                else:
                    title = "Signed in"
                    text = "You can close this window and return to the terminal."
                body = _PAGE.format(title=title, text=text).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                if outer.result is None:
                    outer.result = query
                    outer._received.set()

            def log_message(self, format: str, *args: object) -> None:  # keep the terminal clean
                return

        self._server = HTTPServer((host, port), Handler)
        self._server.timeout = 0.2
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def wait(self, timeout: float) -> dict[str, str] | None:
        """The callback's query parameters, or None if nothing arrived within ``timeout``."""
        self._received.wait(timeout)
        return self.result

    def __enter__(self) -> CallbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

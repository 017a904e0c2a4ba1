"""Temporary file URLs on another host, as the API hands them out (evidence fact 8).

``/customerinvoices/{id}/pdf``, ``/sie4export/{from}/{to}`` and an attachment's
``TemporaryUrl`` point at a storage host, not the API host, and the file is fetched from there
**without** the bearer token. The emulator serves those files itself, under ``/files/`` on a
second name for its own address, and refuses a request that carries an ``Authorization``
header: a client that sends the API's bearer to another host is caught in tests.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

#: Loopback names swap with each other; any other host gains this prefix.
_FILES_PREFIX = "files."


def files_origin(origin: str) -> str:
    """The storage origin that belongs with API origin ``origin`` (another host, same server)."""
    parts = urlsplit(origin)
    host = parts.hostname or ""
    swapped = {"127.0.0.1": "localhost", "localhost": "127.0.0.1"}.get(host)
    new_host = swapped or (_FILES_PREFIX + host)
    netloc = f"{new_host}:{parts.port}" if parts.port else new_host
    return urlunsplit((parts.scheme, netloc, "", "", ""))


def file_url(origin: str, kind: str, ident: str, name: str = "") -> str:
    """The temporary URL of one stored file (``kind``: attachments, invoices, sie4)."""
    tail = f"/{name}" if name else ""
    return f"{files_origin(origin)}/files/{kind}/{ident}{tail}"

"""Which hosts may see the credentials: the API origin, and only over TLS off loopback.

The bearer token goes only to the configured API origin (scheme, host and port), whatever URL
a request names or a redirect leads to. ``http://`` is refused for the API and identity URLs
unless the host is loopback (the served emulator) or the caller opts in explicitly: over plain
HTTP the client secret, the refresh token and every access token travel in clear.
"""

from __future__ import annotations

import ipaddress

import httpx

from .errors import ConfigurationError

__all__ = ["Origin", "check_transport_security", "is_loopback", "origin_of"]

Origin = tuple[str, str, int | None]

_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: httpx.URL | str) -> Origin:
    """(scheme, host, port) with the scheme's default port filled in, for comparison."""
    parsed = httpx.URL(url) if isinstance(url, str) else url
    scheme = parsed.scheme.lower()
    port = parsed.port if parsed.port is not None else _DEFAULT_PORTS.get(scheme)
    return scheme, parsed.host.lower(), port


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 and ``localhost``: traffic that never leaves the machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_transport_security(url: str, *, setting: str, allow_insecure_http: bool) -> None:
    """Refuse ``url`` if it is plain ``http://`` to a host that is not loopback."""
    parsed = httpx.URL(url)
    if parsed.scheme.lower() != "http" or allow_insecure_http or is_loopback(parsed.host):
        return
    raise ConfigurationError(
        f"{setting}={url!r} uses plain http:// to a host that is not loopback: the client "
        "secret and tokens would travel unencrypted. Use https://, or pass "
        "allow_insecure_http=True (for a test server on a private network only)"
    )

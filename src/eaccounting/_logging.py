"""The ``eaccounting`` logger, its ``EACCOUNTING_LOG`` switch, and secret redaction."""

from __future__ import annotations

import logging
import os
import re

import httpx

__all__ = ["logger", "redact", "redact_url", "setup_logging"]

logger = logging.getLogger("eaccounting")

_SECRET_PARAMS = frozenset(
    {
        "access_token",
        "refresh_token",
        "client_secret",
        "code",
        "code_verifier",
        "id_token",
        "password",
        "token",
    }
)
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9\-._~+/=]+")
_KEYVAL = re.compile(
    r"(?i)(access_token|refresh_token|client_secret|code_verifier|id_token)"
    r"(\"?\s*[:=]\s*\"?)([^\"&\s,}]+)"
)


def redact(text: str) -> str:
    """Mask bearer/basic credentials and token-like key=value pairs in free text."""
    text = _BEARER.sub(lambda m: f"{m.group(1)} ***", text)
    return _KEYVAL.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)


def redact_url(url: httpx.URL | str) -> str:
    """The URL with secret query parameters (code, tokens, secrets) masked."""
    parsed = httpx.URL(url) if isinstance(url, str) else url
    if not parsed.query:
        return str(parsed)
    params = [
        (k, "***" if k.lower() in _SECRET_PARAMS else v) for k, v in parsed.params.multi_items()
    ]
    return str(parsed.copy_with(params=params))


_configured = False


def setup_logging() -> None:
    """Apply ``EACCOUNTING_LOG`` (debug | info | warning) once per process.

    Adds a stderr handler only if the ``eaccounting`` logger has none, so applications that
    configure logging themselves keep control.
    """
    global _configured
    if _configured:
        return
    _configured = True
    level_name = os.environ.get("EACCOUNTING_LOG", "").strip().upper()
    if not level_name:
        return
    level = {"DEBUG": logging.DEBUG, "INFO": logging.INFO, "WARNING": logging.WARNING}.get(
        level_name
    )
    if level is None:
        return
    logger.setLevel(level)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)

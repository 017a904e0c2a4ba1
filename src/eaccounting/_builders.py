"""The generated operations' request builders, looked up by operation.

Every generated endpoint module (``eaccounting_api.api.<tag>.<operation>``) exposes
``build_request(...)``: the method, URL (path parameters quoted), query parameters and headers
the operation sends. The facades ask it for their requests instead of formatting paths
themselves, then send through the client's pipeline. Modules are imported on first use so that
importing ``eaccounting`` does not import all 227 operations and their models.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

from .errors import ValidationError

__all__ = ["Request", "build_request", "endpoint_module", "path_value"]

_PACKAGE = "eaccounting_api.api"

Request = dict[str, Any]
"""What a builder returns: ``method``, ``url`` and, where the operation has them, ``params``,
``headers``, ``json``."""


@cache
def endpoint_module(operation: str) -> Any:
    """The generated module of ``operation`` (``"<tag package>.<operation id>"``)."""
    return importlib.import_module(f"{_PACKAGE}.{operation}")


def build_request(operation: str, *path: str) -> Request:
    """The request ``operation`` makes for the path parameters ``path`` (already validated,
    in the order the path names them); bodies and query parameters are the facade's (the
    builder's ``params`` carry the spec's defaults, which the facades do not send)."""
    request: Request = endpoint_module(operation).build_request(*path)
    return request


def path_value(value: object, name: str, *, digits: bool = False) -> str:
    """A non-GUID path parameter (a country code, an account number …) as it goes in the
    path, or a ValidationError naming ``name``: empty text would address another resource."""
    if isinstance(value, bool) or not isinstance(value, (int, str)) or str(value) == "":
        raise ValidationError(
            f"{name}={value!r} must be {'a number' if digits else 'non-empty text'}", field=name
        )
    text = str(value)
    if digits and not text.isdigit():
        raise ValidationError(f"{name}={value!r} must be a number (digits only)", field=name)
    return text

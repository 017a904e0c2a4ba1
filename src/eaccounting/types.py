"""Every public model type in one place, like ``openai.types``.

    from eaccounting.types import CustomerApi, CustomerApiBody, Unset, UNSET

- ``<Model>`` (``CustomerApi``, ``CustomerInvoiceApi``, ...): the attrs models responses are
  read into, snake_case attributes (``eaccounting_api.models``).
- ``<Model>Body`` (``CustomerApiBody``, ...): the request bodies as TypedDicts with the API's
  PascalCase keys and no read-only fields (``eaccounting_api.bodies``); a dict literal annotated
  with one is checked key by key by mypy/pyright.
- ``Unset``/``UNSET``: the marker of a property the response did not carry.

Names resolve on first access: ``import eaccounting`` does not load the 280 generated model
modules, and ``import eaccounting.types`` alone loads nothing either.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eaccounting_api.bodies import *  # noqa: F403
    from eaccounting_api.models import *  # noqa: F403
    from eaccounting_api.types import UNSET as UNSET
    from eaccounting_api.types import Unset as Unset

_MODELS = "eaccounting_api.models"
_BODIES = "eaccounting_api.bodies"
_TYPES = "eaccounting_api.types"
_MARKERS = ("UNSET", "Unset")


def _source(name: str) -> str | None:
    """The generated module that defines ``name``, or None if none does."""
    if name in _MARKERS:
        return _TYPES
    if name.endswith("Body") and name in _exported(_BODIES):
        return _BODIES
    if name in _exported(_MODELS):
        return _MODELS
    return None


def _exported(module: str) -> tuple[str, ...]:
    return tuple(getattr(importlib.import_module(module), "__all__", ()))


def __getattr__(name: str) -> Any:
    module = _source(name) if not name.startswith("__") else None
    if module is None:
        raise AttributeError(
            f"module 'eaccounting.types' has no attribute {name!r} (expected a model name "
            "such as 'CustomerApi', its write body 'CustomerApiBody', 'Unset' or 'UNSET')"
        )
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted({*_MARKERS, *_exported(_BODIES), *_exported(_MODELS)})

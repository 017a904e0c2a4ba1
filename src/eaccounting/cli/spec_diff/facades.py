"""The hand-written resource facades (``client.customers`` …) and the models and paths they use.

Read from ``eaccounting.resources`` at run time (each facade class declares ``model`` and
``path``), so a diff also names the ``client.<resource>`` attributes a breaking change reaches.
The attribute is the class name in snake_case (``CustomerInvoices`` → ``customer_invoices``).
"""

from __future__ import annotations

import functools
import importlib

from .names import identifier

__all__ = ["Facade", "facades_for_model", "facades_for_path"]

Facade = tuple[str, str, str]
"""(client attribute, model schema name, collection path)."""


@functools.cache
def _table() -> tuple[Facade, ...]:
    try:
        module = importlib.import_module("eaccounting.resources")
    except ImportError:  # pragma: no cover - the facade ships with the package
        return ()
    found = []
    for name, cls in sorted(vars(module).items()):
        if not isinstance(cls, type) or name.startswith(("_", "Async")):
            continue
        model, path = getattr(cls, "model", None), getattr(cls, "path", None)
        if isinstance(model, str) and isinstance(path, str):
            found.append((f"client.{identifier(name)}", model, path))
    return tuple(found)


def facades_for_model(schema: str) -> tuple[str, ...]:
    return tuple(attr for attr, model, _ in _table() if model == schema)


def facades_for_path(path: str) -> tuple[str, ...]:
    return tuple(attr for attr, _, base in _table() if path == base or path.startswith(f"{base}/"))

"""The effective spec (Visma's spec after the overlays), as shipped in the generated package.

One cached copy per process serves the facade's write rules, the CLI's operation index, the
emulator and the harness; it is treated as read-only by all of them.
"""

from __future__ import annotations

import importlib.resources
import json
from functools import cache
from typing import Any

__all__ = ["SPEC_PACKAGE", "SPEC_RESOURCE", "effective_spec"]

SPEC_PACKAGE = "eaccounting_api"
SPEC_RESOURCE = "openapi.json"


@cache
def effective_spec() -> dict[str, Any]:
    """The parsed ``eaccounting_api/openapi.json`` (read once; do not mutate it)."""
    try:
        resource = importlib.resources.files(SPEC_PACKAGE).joinpath(SPEC_RESOURCE)
        data: dict[str, Any] = json.loads(resource.read_text(encoding="utf-8"))
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise RuntimeError(
            f"the effective spec {SPEC_PACKAGE}/{SPEC_RESOURCE} is missing: install the "
            "package with its generated client (in a checkout: `make generate`)"
        ) from exc
    return data

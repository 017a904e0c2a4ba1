"""Build hook: the wheel and sdist must carry the generated client, or the build stops.

``generated/`` is build output of ``make generate`` and is git-ignored, which hatchling would
honour by leaving ``eaccounting_api`` out (a wheel that imports but cannot call anything). This
hook refuses to build without it, with the command that creates it.

``EACCOUNTING_ALLOW_UNGENERATED=1`` lets only the Makefile's editable install of the tooling
through (it runs before ``make generate``, which needs that tooling).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

GENERATED = Path("generated") / "eaccounting_api"
REQUIRED = ("__init__.py", "openapi.json", "api", "models", "namespace")


class GeneratedClientHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        missing = [name for name in REQUIRED if not (root / GENERATED / name).exists()]
        if not missing:
            return
        if version == "editable" and os.environ.get("EACCOUNTING_ALLOW_UNGENERATED") == "1":
            return
        raise RuntimeError(
            f"visma-eaccounting: the generated client {GENERATED}/ is missing "
            f"({', '.join(missing)}). In a source checkout run `make generate` first (it "
            "fetches the pinned spec and generates the client), then `pip install .`; "
            "or install a built wheel (`make dist` writes one to dist/)."
        )

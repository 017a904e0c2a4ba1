"""Shared fixtures: the effective spec and the generated package are built by `make generate`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_SPEC = REPO.parent / "shared" / "spec"
EFFECTIVE_JSON = REPO / "generated" / "openapi.json"


@pytest.fixture(scope="session")
def effective_spec() -> dict[str, Any]:
    if not EFFECTIVE_JSON.exists():
        pytest.fail("generated/openapi.json is missing: run `make generate` (or `make test`)")
    return json.loads(EFFECTIVE_JSON.read_text(encoding="utf-8"))

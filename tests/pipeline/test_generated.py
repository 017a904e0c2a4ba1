"""The generated package: complete, importable, and the same bytes every time."""

from __future__ import annotations

import hashlib
import importlib
import json
import pkgutil
from pathlib import Path
from typing import Any

import eaccounting_api.api

from spec import generated_digest
from spec.decisions import Decisions
from spec.documents import dump_json, load_yaml
from spec.effective import build
from spec.generate import generate

from ..conftest import REPO, SHARED_SPEC


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def endpoint_modules() -> list[str]:
    return [
        m.name
        for m in pkgutil.walk_packages(eaccounting_api.api.__path__, "eaccounting_api.api.")
        if not m.ispkg
    ]


def test_every_operation_has_an_importable_endpoint_module(effective_spec: dict[str, Any]) -> None:
    modules = endpoint_modules()
    ids = {op["operationId"] for item in effective_spec["paths"].values() for op in item.values()}
    assert len(modules) == len(ids)
    assert {m.rsplit(".", 1)[1] for m in modules} == ids
    for name in modules:
        module = importlib.import_module(name)
        for function in ("sync_detailed", "asyncio_detailed", "sync", "asyncio"):
            assert callable(getattr(module, function)), f"{name}.{function}"


def test_modules_are_grouped_by_tag() -> None:
    assert "eaccounting_api.api.customers.list_customers" in endpoint_modules()
    assert "eaccounting_api.api.customer_invoice_drafts.convert_customer_invoice_draft" in (
        endpoint_modules()
    )


def test_the_package_ships_the_effective_spec() -> None:
    shipped = REPO / "generated" / "eaccounting_api" / "openapi.json"
    assert shipped.read_bytes() == (REPO / "generated" / "openapi.json").read_bytes()


def test_overlaying_twice_gives_identical_bytes() -> None:
    raw = load_yaml(SHARED_SPEC / "eaccounting-v2.2026-02.yaml")
    first = build(raw, Decisions.load()).rendering
    second = build(raw, Decisions.load()).rendering
    assert first is not None and second is not None
    assert dump_json(first.effective) == dump_json(second.effective)
    assert dump_json(first.effective) == (REPO / "generated" / "openapi.json").read_text(
        encoding="utf-8"
    )


def test_two_generations_from_scratch_are_byte_identical(tmp_path: Path) -> None:
    spec = REPO / "generated" / "openapi.json"
    assert generate(spec, tmp_path / "a" / "eaccounting_api") == []
    assert generate(spec, tmp_path / "b" / "eaccounting_api") == []
    first = tree_digest(tmp_path / "a" / "eaccounting_api")
    assert first == tree_digest(tmp_path / "b" / "eaccounting_api")
    assert first == tree_digest(REPO / "generated" / "eaccounting_api")
    # Both runs share the day and the machine: only the committed manifest shows a date stamp.
    assert generated_digest.check(tmp_path / "a" / "eaccounting_api") == []
    assert len([f for f in first if f.endswith(".py")]) > 500
    assert json.loads((tmp_path / "a" / "eaccounting_api" / "openapi.json").read_text())

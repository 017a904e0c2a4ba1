"""Mutations of the pinned spec, one per kind of upstream change Visma makes.

Every helper takes a parsed spec and returns a changed deep copy (the input is untouched), so
the same mutation can be fed to ``spec-check``, ``generate`` and ``spec-diff`` alike. What each
helper changed is derived from the spec it is given, never from 2026-02 literals, so the drills
keep working after a re-pin.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from typing import Any

METHODS = ("get", "put", "post", "delete", "patch")


def operations(spec: Mapping[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method in METHODS:
            if isinstance(item, dict) and method in item:
                yield path, method, item[method]


def empty_paths(spec: Mapping[str, Any]) -> list[str]:
    return [path for path, item in spec["paths"].items() if not item]


# -- the 3.0.4 JSON form -------------------------------------------------------------------------
def to_official_304(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The spec as Visma serves it: OpenAPI 3.0.4 with ``nullable: true`` instead of type arrays.

    The pinned 3.1.1 YAML is a third party's conversion of that document; this undoes it. Its
    servers (``…/v2/``), path keys (no ``/v2``), empty path items and ``\\r\\n`` descriptions are
    already those of the official form, so they are kept as they are.
    """
    doc = copy.deepcopy(dict(spec))
    doc["openapi"] = "3.0.4"
    _downgrade(doc)
    return doc


def _downgrade(node: Any) -> None:
    if isinstance(node, dict):
        kind = node.get("type")
        if isinstance(kind, list) and "null" in kind:
            others = [k for k in kind if k != "null"]
            assert len(others) == 1, f"a 3.0 schema has one type, not {kind}"
            rebuilt: dict[str, Any] = {}
            for key, value in node.items():
                rebuilt[key] = others[0] if key == "type" else value
                if key == "type":
                    rebuilt["nullable"] = True
            node.clear()
            node.update(rebuilt)
        for value in node.values():
            _downgrade(value)
    elif isinstance(node, list):
        for value in node:
            _downgrade(value)


def official_304_json(spec: Mapping[str, Any]) -> str:
    """:func:`to_official_304` serialised the way Visma serves it (JSON, ``\\r\\n`` escaped)."""
    return json.dumps(to_official_304(spec), indent=2, ensure_ascii=False) + "\n"


# -- operations ----------------------------------------------------------------------------------
def add_operation_on_empty_path(spec: Mapping[str, Any], path: str | None = None) -> dict[str, Any]:
    """Give a formerly empty path item a GET, as Visma does when an endpoint goes public."""
    doc = copy.deepcopy(dict(spec))
    path = path or empty_paths(doc)[0]
    assert not doc["paths"][path], f"{path} is not empty"
    doc["paths"][path] = {
        "get": {
            "tags": [_first_tag(doc)],
            "summary": "A new endpoint",
            "description": "Requires any of the following scopes: \r\n* ea:accounting",
            "responses": {"200": {"description": "OK"}},
        }
    }
    return doc


def remove_operation(spec: Mapping[str, Any], path: str, method: str) -> dict[str, Any]:
    doc = copy.deepcopy(dict(spec))
    del doc["paths"][path][method]
    return doc


def add_empty_paths(spec: Mapping[str, Any], paths: list[str]) -> dict[str, Any]:
    doc = copy.deepcopy(dict(spec))
    for path in paths:
        assert path not in doc["paths"], path
        doc["paths"][path] = {}
    return doc


# -- schemas -------------------------------------------------------------------------------------
def add_required_property(spec: Mapping[str, Any], schema: str, prop: str) -> dict[str, Any]:
    doc = copy.deepcopy(dict(spec))
    target = doc["components"]["schemas"][schema]
    target.setdefault("properties", {})[prop] = {"type": "string"}
    target["required"] = [*target.get("required", []), prop]
    return doc


def rename_property_case(spec: Mapping[str, Any], schema: str, prop: str) -> dict[str, Any]:
    """``DueDate`` → ``dueDate``: the 2024 camelCase / 2026 PascalCase kind of rename."""
    doc = copy.deepcopy(dict(spec))
    properties = doc["components"]["schemas"][schema]["properties"]
    new = prop[0].lower() + prop[1:] if prop[0].isupper() else prop[0].upper() + prop[1:]
    doc["components"]["schemas"][schema]["properties"] = {
        (new if k == prop else k): v for k, v in properties.items()
    }
    required = doc["components"]["schemas"][schema].get("required")
    if required and prop in required:
        doc["components"]["schemas"][schema]["required"] = [
            new if r == prop else r for r in required
        ]
    return doc


def change_format(spec: Mapping[str, Any], schema: str, prop: str, fmt: str) -> dict[str, Any]:
    doc = copy.deepcopy(dict(spec))
    doc["components"]["schemas"][schema]["properties"][prop]["format"] = fmt
    return doc


def rename_tag(spec: Mapping[str, Any], old: str, new: str) -> dict[str, Any]:
    """Rename a tag everywhere: on operations, in ``tags`` and in ``x-tagGroups``."""
    doc = copy.deepcopy(dict(spec))
    for _, _, op in operations(doc):
        op["tags"] = [new if t == old else t for t in op.get("tags", [])]
    for tag in doc.get("tags", []):
        if tag.get("name") == old:
            tag["name"] = new
    for group in doc.get("x-tagGroups", []):
        group["tags"] = [new if t == old else t for t in group.get("tags", [])]
    return doc


def _first_tag(spec: Mapping[str, Any]) -> str:
    return str(next(op["tags"][0] for _, _, op in operations(spec) if op.get("tags")))

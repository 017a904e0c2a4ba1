"""Every OpenAPI ``type: number`` property is generated as ``decimal.Decimal`` and parses as one
(spec/decimal_numbers.py and spec/templates/property_templates/float_property.py.jinja)."""

from __future__ import annotations

import importlib
import inspect
import json
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from benchmarks.synth import SPEC
from eaccounting._json_wire import loads
from spec import decimal_numbers


def _number_properties(spec: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(schema, property, python name) of every number property of a model."""
    found = []
    for name, schema in spec["components"]["schemas"].items():
        for prop, definition in (schema.get("properties") or {}).items():
            kind = definition.get("type")
            if kind == "number" or (isinstance(kind, list) and "number" in kind):
                found.append((name, prop, definition))
    return found


def test_every_number_property_is_a_decimal_annotated_and_parsed() -> None:
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    models = importlib.import_module("eaccounting_api.models")
    checked = 0
    for name, prop, _ in _number_properties(spec):
        cls = getattr(models, name)
        probe = cls.from_dict({prop: 7})
        (attribute,) = [a.name for a in cls.__attrs_attrs__ if getattr(probe, a.name) == Decimal(7)]
        hints = typing.get_type_hints(cls)
        args = typing.get_args(hints[attribute]) or (hints[attribute],)
        assert Decimal in args and float not in args, (name, prop, hints[attribute])
        for text, expected in ((b"0.1", Decimal("0.1")), (b"7", Decimal(7))):
            parsed = cls.from_dict(loads(b'{"' + prop.encode() + b'":' + text + b"}"))
            value = getattr(parsed, attribute)
            assert (type(value), value) == (Decimal, expected), (name, prop)
            assert str(value) == text.decode()
        checked += 1
    assert checked == 362


def test_no_generated_module_mentions_float() -> None:
    root = Path(importlib.import_module("eaccounting_api").__file__ or "").parent
    offenders = [
        str(path.relative_to(root))
        for path in sorted(root.rglob("*.py"))
        if ": float" in path.read_text(encoding="utf-8")
        or "float |" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def test_a_number_default_is_written_as_a_decimal(monkeypatch: pytest.MonkeyPatch) -> None:
    from openapi_python_client.parser.errors import PropertyError
    from openapi_python_client.parser.properties.float import FloatProperty

    # install() patches the generator's class for this process only: undone after the test.
    for name in ("_type_string", "_json_type_string", "get_imports", "convert_value"):
        monkeypatch.setattr(FloatProperty, name, inspect.getattr_static(FloatProperty, name))
    decimal_numbers.install()

    def code(value: Any) -> str:
        return str(FloatProperty.convert_value(value).python_code.as_unembedded_code())

    assert (code(0.25), code("12.50"), code(3)) == (
        'Decimal("0.25")',
        'Decimal("12.50")',
        'Decimal("3")',
    )
    assert FloatProperty.convert_value(None) is None
    for bad in ("twelve", True, [1]):
        assert isinstance(FloatProperty.convert_value(bad), PropertyError)
    assert FloatProperty._type_string == FloatProperty._json_type_string == "Decimal"

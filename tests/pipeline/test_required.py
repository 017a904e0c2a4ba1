"""The models type what the spec requires without ``Unset``, and everything else with it.

The API returns every property (evidence fact 4: unset ones as ``null``), so a property the
spec lists as ``required`` is always in a full response; its attribute is then ``str`` (or
``bool``, ``UUID``, ...), not ``str | Unset``, and user code needs no ``isinstance(..., Unset)``.
"""

from __future__ import annotations

from typing import Any

import attrs
import pytest

models = pytest.importorskip("eaccounting_api.models")


def _key(name: str) -> str:
    return name.replace("_", "").lower()


def annotations_by_api_name(schema_name: str, schema: dict[str, Any]) -> dict[str, str]:
    """API property name → the model attribute's annotation (as written in the source)."""
    cls = getattr(models, schema_name)
    by_key = {_key(attr): text for attr, text in cls.__annotations__.items()}
    return {name: by_key[_key(name)] for name in schema.get("properties", {})}


def test_required_properties_are_never_unset_and_the_others_may_be(
    effective_spec: dict[str, Any],
) -> None:
    schemas = effective_spec["components"]["schemas"]
    required_seen = optional_seen = 0
    for name, schema in schemas.items():
        if "properties" not in schema:
            continue  # an enum (RotReducedInvoicingType)
        annotations = annotations_by_api_name(name, schema)
        for prop in schema["properties"]:
            if prop in schema.get("required", ()):
                assert "Unset" not in annotations[prop], f"{name}.{prop}: {annotations[prop]}"
                required_seen += 1
            else:
                assert "Unset" in annotations[prop], f"{name}.{prop}: {annotations[prop]}"
                optional_seen += 1
    # Every required property of the effective spec (the overlays keep all of upstream's).
    assert required_seen == sum(len(s.get("required", ())) for s in schemas.values()) == 313
    assert optional_seen == 2008


def test_the_overlays_keep_every_required_list_of_upstream(effective_spec: dict[str, Any]) -> None:
    from spec.documents import load_yaml

    from ..conftest import REPO

    upstream = load_yaml(REPO / "generated" / "normalised.json")["components"]["schemas"]
    effective = effective_spec["components"]["schemas"]
    assert {n: s.get("required") for n, s in upstream.items()} == {
        n: effective[n].get("required") for n in upstream
    }


def test_read_only_and_required_is_required_to_read() -> None:
    # VatReportApi.Id/Name are required and read-only: always in a response, never written
    # (no request body holds a VatReportApi; test_bodies shows such a property is left out).
    assert models.VatReportApi.__annotations__["id"] == "UUID"
    assert models.VatReportApi.__annotations__["name"] == "str"
    fields = {f.name: f for f in attrs.fields(models.VatReportApi)}
    assert fields["id"].default is attrs.NOTHING  # no UNSET default: the constructor needs it

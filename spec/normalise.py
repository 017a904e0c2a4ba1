"""The normalisation stage: any accepted upstream form → one OpenAPI 3.1 document.

Visma publishes OpenAPI 3.0.4 JSON; the pinned mirror is a 3.1.1 YAML conversion of it. Both go
through here, so everything downstream (overlays, validator, generator, emulator, harness) only
ever sees 3.1. No maintained Python tool upgrades 3.0 documents to 3.1 (the PyPI tools convert
the other way or into their own object models), so the few schema differences that matter are
rewritten here:

* ``nullable: true`` → ``"null"`` added to ``type`` (and to ``enum``, which 3.1 checks too); a
  nullable schema without ``type`` (a ``$ref``/``allOf`` …) becomes ``anyOf: [it, {type: null}]``;
* ``exclusiveMinimum``/``exclusiveMaximum`` booleans → the numeric 3.1 form;
* a Schema Object's ``example`` → ``examples: [value]`` (JSON Schema's keyword; the ``example``
  of parameters, media types and headers is still valid 3.1 and is left alone).

Each document is first checked against the OpenAPI schema of the version it declares, so a 3.0
document is never judged by 3.1 rules (nor a broken one silently upgraded).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from typing import Any

TARGET_VERSION = "3.1.1"
_V30 = re.compile(r"^3\.0\.\d+(-.+)?$")
_V31 = re.compile(r"^3\.1\.\d+(-.+)?$")

# Keys of a Schema Object whose values are themselves schemas (or maps/lists of schemas).
_SCHEMA_MAPS = ("properties", "patternProperties")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_VALUES = ("items", "additionalProperties", "not")


class NormaliseError(ValueError):
    """The document is not an OpenAPI version this pipeline accepts, or not valid for its own."""


def declared_version(doc: Any) -> str:
    """The ``openapi`` version the document declares; refuse anything but 3.0.x and 3.1.x."""
    version = doc.get("openapi") if isinstance(doc, Mapping) else None
    if not isinstance(version, str) or not (_V30.match(version) or _V31.match(version)):
        found = "no 'openapi' field" if version is None else f"openapi: {version!r}"
        raise NormaliseError(
            f"not an OpenAPI 3.0.x or 3.1.x document ({found}); the pipeline accepts both forms"
        )
    return version


def own_version_errors(doc: Mapping[str, Any]) -> list[str]:
    """Errors against the OpenAPI schema of the version ``doc`` declares, one line each.

    Only the document's shape is checked here; reference resolution and path-template rules are
    checked on the effective spec, after the overlays have fixed what they fix.
    """
    from openapi_spec_validator import schemas

    v30 = bool(_V30.match(declared_version(doc)))
    fast = schemas.openapi_v30_schema_validator if v30 else schemas.openapi_v31_schema_validator
    if fast.is_valid(doc):
        return []
    # The fast (Rust) backend names only the outermost oneOf that failed; jsonschema's own
    # validator is slower but can point at the deepest failing keyword of each error.
    from jsonschema.validators import validator_for

    schema = dict(schemas.schema_v30 if v30 else schemas.schema_v31)
    errors = sorted(
        validator_for(schema)(schema).iter_errors(doc),
        key=lambda e: [str(p) for p in e.absolute_path],
    )
    lines = []
    for error in errors:
        deepest = max(_leaves(error), key=lambda e: len(e.absolute_path))
        where = "/".join(str(p) for p in deepest.absolute_path) or "<root>"
        message = deepest.message
        lines.append(f"{where}: {message if len(message) <= 200 else message[:199] + '…'}")
    return lines


def _leaves(error: Any) -> list[Any]:
    if not error.context:
        return [error]
    return [leaf for sub in error.context for leaf in _leaves(sub)]


def to_openapi_31(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``doc`` as OpenAPI 3.1 (a deep copy; ``doc`` is untouched). 3.1 comes back as is."""
    version = declared_version(doc)
    out: dict[str, Any] = copy.deepcopy(dict(doc))
    if _V31.match(version):
        return out
    out["openapi"] = TARGET_VERSION
    _walk_document(out)
    return out


def _walk_document(doc: dict[str, Any]) -> None:
    """Visit every Schema Object of the document (components, parameters, bodies, responses)."""
    components = doc.get("components") or {}
    for name in list(components.get("schemas") or {}):
        components["schemas"][name] = _schema(components["schemas"][name])
    for group in ("parameters", "headers"):
        for obj in (components.get(group) or {}).values():
            _parameter(obj)
    for body in (components.get("requestBodies") or {}).values():
        _content(body)
    for response in (components.get("responses") or {}).values():
        _response(response)
    for item in (doc.get("paths") or {}).values():
        if not isinstance(item, dict):
            continue
        for parameter in item.get("parameters") or []:
            _parameter(parameter)
        for key, op in item.items():
            if key == "parameters" or not isinstance(op, dict):
                continue
            for parameter in op.get("parameters") or []:
                _parameter(parameter)
            _content(op.get("requestBody") or {})
            for response in (op.get("responses") or {}).values():
                _response(response)


def _parameter(obj: Any) -> None:
    if isinstance(obj, dict):
        if isinstance(obj.get("schema"), dict):
            obj["schema"] = _schema(obj["schema"])
        _content(obj)


def _response(obj: Any) -> None:
    if isinstance(obj, dict):
        _content(obj)
        for header in (obj.get("headers") or {}).values():
            _parameter(header)


def _content(obj: Any) -> None:
    if not isinstance(obj, dict):
        return
    for media in (obj.get("content") or {}).values():
        if isinstance(media, dict) and isinstance(media.get("schema"), dict):
            media["schema"] = _schema(media["schema"])


def _schema(schema: Any) -> Any:
    """Rewrite one 3.0 Schema Object (and the schemas inside it) into its 3.1 form."""
    if not isinstance(schema, dict):
        return schema
    for key in _SCHEMA_MAPS:
        if isinstance(schema.get(key), dict):
            schema[key] = {name: _schema(sub) for name, sub in schema[key].items()}
    for key in _SCHEMA_LISTS:
        if isinstance(schema.get(key), list):
            schema[key] = [_schema(sub) for sub in schema[key]]
    for key in _SCHEMA_VALUES:
        if isinstance(schema.get(key), dict):
            schema[key] = _schema(schema[key])
    _exclusive_bound(schema, "exclusiveMinimum", "minimum")
    _exclusive_bound(schema, "exclusiveMaximum", "maximum")
    if "example" in schema:
        # Keep the key's position so the document stays in its reading order.
        schema = _rename_key(schema, "example", "examples", [schema["example"]])
    if "nullable" in schema:
        return _nullable(schema)
    return schema


def _exclusive_bound(schema: dict[str, Any], exclusive: str, bound: str) -> None:
    flag = schema.get(exclusive)
    if not isinstance(flag, bool):
        return
    if flag and bound in schema:
        schema[exclusive] = schema.pop(bound)
    else:
        del schema[exclusive]


def _rename_key(schema: dict[str, Any], old: str, new: str, value: Any) -> dict[str, Any]:
    return {(new if k == old else k): (value if k == old else v) for k, v in schema.items()}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    nullable = schema.pop("nullable")
    if nullable is not True:
        return schema
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]
    elif isinstance(kind, list):
        if "null" not in kind:
            schema["type"] = [*kind, "null"]
    else:
        # No type to widen ($ref, allOf …): allow null beside whatever the schema is.
        return {"anyOf": [schema, {"type": "null"}]}
    if isinstance(schema.get("enum"), list) and None not in schema["enum"]:
        schema["enum"] = [*schema["enum"], None]
    return schema

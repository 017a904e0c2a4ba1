"""The Python names the generator derives from a spec, so a diff can say which public names move.

openapi-python-client (the pinned 0.29) names things this way, and ``client.api`` (see
``eaccounting.api``) exposes them unchanged:

- a tag (an operation's first) → the package ``eaccounting_api.api.<tag>`` and ``client.api.<tag>``;
- an operationId → the module ``eaccounting_api.api.<tag>.<operation>`` and
  ``client.api.<tag>.<operation>`` (without an operationId: ``<method>_<path words>``);
- a component schema → the class ``eaccounting_api.models.<Class>``;
- a property or parameter → the attribute / keyword ``<snake_case>``.

These rules are copied (not imported) so the differ needs no generator at run time; a test
checks them against the generated package of the pinned spec.
"""

from __future__ import annotations

import builtins
import re
from keyword import iskeyword

__all__ = [
    "GENERATED",
    "class_name",
    "identifier",
    "model",
    "model_attribute",
    "operation_module",
    "operation_names",
    "parameter_keyword",
    "tag_names",
    "tag_package",
]

GENERATED = "eaccounting_api"
_DELIMITERS = r"\. _-"
_FIELD_PREFIX = "field_"  # openapi-python-client's default field_prefix
_RESERVED = (set(dir(builtins)) | {"self", "true", "false", "datetime"}) - {"id"}


def _sanitize(value: str) -> str:
    return "".join(c for c in value if c.isidentifier() or c.isdecimal() or c in _DELIMITERS)


def _words(value: str) -> list[str]:
    if any(c.isupper() for c in value):
        value = " ".join(re.split("([A-Z]?[a-z]+)", value))
    return re.findall(rf"[^{re.escape(_DELIMITERS)}]+", value)


def _fix_reserved(value: str) -> str:
    return f"{value}_" if value in _RESERVED or iskeyword(value) else value


def identifier(value: str, prefix: str = _FIELD_PREFIX) -> str:
    """snake_case identifier, as the generator's ``PythonIdentifier``."""
    safe = _sanitize(value)
    name = _fix_reserved("_".join(_words(safe)).lower())
    if not name.isidentifier() or safe.startswith("_"):
        name = f"{prefix}{name}"
    return name


def _pascal(value: str) -> str:
    return "".join(w if w.isupper() else w.capitalize() for w in _words(_sanitize(value)))


def class_name(value: str) -> str:
    """PascalCase class name, as the generator's ``ClassName``."""
    name = _fix_reserved(_pascal(value))
    if not name.isidentifier():
        name = _fix_reserved(_pascal(f"{_FIELD_PREFIX}{name}"))
    return name


def tag_package(tag: str | None) -> str:
    return identifier(tag or "default", prefix="tag")


def operation_module(method: str, path: str, operation_id: str | None) -> str:
    if operation_id:
        return identifier(operation_id)
    words = path.replace("{", "").replace("}", "").replace("/", "_").strip("_")
    return identifier(f"{method.lower()}_{words}")


def tag_names(tag: str | None) -> tuple[str, str]:
    """``client.api.<tag>`` and ``eaccounting_api.api.<tag>``."""
    package = tag_package(tag)
    return (f"client.api.{package}", f"{GENERATED}.api.{package}")


def operation_names(
    method: str, path: str, operation_id: str | None, tag: str | None
) -> tuple[str, str]:
    """``client.api.<tag>.<operation>`` and ``eaccounting_api.api.<tag>.<operation>``."""
    module = operation_module(method, path, operation_id)
    return tuple(f"{base}.{module}" for base in tag_names(tag))  # type: ignore[return-value]


def model(schema: str) -> str:
    return f"{GENERATED}.models.{class_name(schema)}"


def model_attribute(schema: str, prop: str) -> str:
    return f"{model(schema)}.{identifier(prop)}"


def parameter_keyword(name: str) -> str:
    """The keyword a generated operation takes for a parameter (``$filter`` → ``filter_``)."""
    return identifier(name)

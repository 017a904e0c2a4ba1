"""Reading a spec from a path or an http(s) URL, as JSON or YAML."""

from __future__ import annotations

import importlib
import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

__all__ = ["SpecDiffError", "load"]

_YAML_HINT = "reading YAML specs needs PyYAML: pip install 'visma-eaccounting[cli]'"


class SpecDiffError(Exception):
    """A spec could not be read or is not an OpenAPI document."""


def _yaml_load(text: str) -> Any:
    try:
        yaml = importlib.import_module("yaml")
    except ImportError as exc:
        raise SpecDiffError(_YAML_HINT) from exc
    base = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    # A safe loader that keeps timestamps as strings: the 2024-02 spec has unquoted ones in
    # its examples, which PyYAML would turn into datetime objects that JSON cannot hold.
    loader: Any = type("_StringTimestampLoader", (base,), {})
    loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise SpecDiffError(f"not valid YAML/JSON: {exc}") from exc


def load(source: str | Path) -> dict[str, Any]:
    """Read an OpenAPI document from a path or an http(s) URL (YAML or JSON)."""
    text_source = str(source)
    if text_source.startswith(("http://", "https://")):
        try:
            with urllib.request.urlopen(text_source, timeout=60) as response:
                text = response.read().decode("utf-8")
        except (urllib.error.URLError, OSError, UnicodeDecodeError) as exc:
            raise SpecDiffError(f"cannot fetch {text_source}: {exc}") from exc
    else:
        try:
            text = Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise SpecDiffError(f"cannot read {text_source}: {exc}") from exc
    doc: Any = None
    if text.lstrip().startswith("{"):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError:
            doc = None
    if doc is None:
        doc = _yaml_load(text)
    if not isinstance(doc, dict) or not isinstance(doc.get("paths", {}), dict):
        raise SpecDiffError(f"{text_source} is not an OpenAPI document (no 'paths' mapping)")
    return doc

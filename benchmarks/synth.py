"""Deterministic, fully populated JSON for any schema of the effective spec.

Every property is filled (nullable ones with a value, never null), every array holds
``ARRAY_ITEMS`` items, nested objects are followed to ``MAX_DEPTH``. Values differ from row to
row (UUIDs from a seeded generator, dates and numbers from the row index), so no cache in the
parser can make a page cheaper than a real one.
"""

from __future__ import annotations

import datetime
import json
import random
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SPEC = REPO / "generated" / "openapi.json"
ARRAY_ITEMS = 2
MAX_DEPTH = 3


class Synthesizer:
    def __init__(self, spec: dict[str, Any], seed: int = 1, *, unique: bool = False) -> None:
        self.schemas: dict[str, Any] = spec["components"]["schemas"]
        self.rng = random.Random(seed)
        self.row = 0
        # unique=True: every scalar but booleans and enums differs from every other (tests use
        # it to see that each value lands in its own attribute).
        self.unique = unique
        self.counter = 0

    def value(self, schema: dict[str, Any], depth: int = 0) -> Any:
        if "$ref" in schema:
            return self.value(self.schemas[schema["$ref"].rsplit("/", 1)[-1]], depth)
        for key in ("oneOf", "anyOf", "allOf"):
            if key in schema:
                options = [s for s in schema[key] if s.get("type") != "null"]
                return self.value(options[0], depth)
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = next((k for k in kind if k != "null"), None)
        if "enum" in schema:
            values = [v for v in schema["enum"] if v is not None]
            return values[self.row % len(values)]
        if kind == "object" or "properties" in schema:
            if depth > MAX_DEPTH:
                return {}
            return {
                name: self.value(prop, depth + 1)
                for name, prop in schema.get("properties", {}).items()
            }
        if kind == "array":
            if depth > MAX_DEPTH:
                return []
            return [self.value(schema["items"], depth + 1) for _ in range(ARRAY_ITEMS)]
        if self.unique and kind in ("string", "integer", "number"):
            self.counter += 1
            return self.unique_value(kind, schema.get("format"), self.counter)
        if kind == "string":
            fmt = schema.get("format")
            if fmt == "uuid":
                return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
            day = 1 + self.row % 28
            if fmt == "date":
                return f"2024-05-{day:02d}"
            if fmt == "date-time":
                # .NET's 7 fractional digits, no offset: what the live API sends.
                return f"2024-05-{day:02d}T14:42:56.{self.rng.getrandbits(23):07d}"
            text = f"text {self.row}"
            limit = schema.get("maxLength")
            return text[:limit] if limit else text
        if kind == "integer":
            return self.row % 100
        if kind == "number":
            return round(self.row * 1.25 + 0.5, 2)
        if kind == "boolean":
            return self.row % 2 == 0
        return None

    @staticmethod
    def unique_value(kind: str, fmt: str | None, n: int) -> Any:
        if fmt == "uuid":
            return str(uuid.UUID(int=n))
        if fmt == "date":
            return (datetime.date(2000, 1, 1) + datetime.timedelta(days=n)).isoformat()
        if fmt == "date-time":
            return (datetime.datetime(2000, 1, 1) + datetime.timedelta(hours=n)).isoformat()
        if kind == "integer":
            return n
        if kind == "number":
            return n + 0.5
        return str(n)

    def rows(self, schema_name: str, count: int) -> list[dict[str, Any]]:
        schema = {"$ref": f"#/components/schemas/{schema_name}"}
        result = []
        for row in range(count):
            self.row = row
            result.append(self.value(schema))
        return result


def page(schema_name: str = "CustomerInvoiceApi", rows: int = 1000, seed: int = 1) -> bytes:
    """A ``Meta``/``Data`` page of ``rows`` synthesized rows, as the API would send it."""
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    data = Synthesizer(spec, seed).rows(schema_name, rows)
    body = {
        "Meta": {
            "CurrentPage": 1,
            "PageSize": rows,
            "TotalNumberOfPages": 1,
            "TotalNumberOfResults": rows,
            "ServerTimeUtc": "2024-05-01T12:00:00Z",
        },
        "Data": data,
    }
    return json.dumps(body, separators=(",", ":")).encode("utf-8")

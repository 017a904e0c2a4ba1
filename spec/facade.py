"""The facade generator: ``python -m spec facade [--check]``.

From the resource table (``spec/facade_table.py``) and the effective spec
(``generated/openapi.json``) it writes ``src/eaccounting/_async/resources.py``: one class per
row, with

- the CRUD verbs the spec has for it, found by shape: ``list`` = GET on the collection path
  answering a page of the row's model, ``create`` = POST there answering the model, and on
  ``<collection>/{id}`` (a GUID) ``get`` = GET answering the model, ``update`` = PUT answering
  it (only with a get: the update is a safe read-modify-write), ``delete`` = DELETE; each
  inherited from the mixins in ``_async/mixins.py`` and performed by the operation named in
  the class's ``operations``;
- the request schema where the API takes another than the model (``write_schema``);
- a method, named after the operation id, for every other operation of the tag, typed from the
  spec (path parameters checked, the body prepared against its schema, the answer parsed as its
  model; a page of items becomes a pager);
- the hand-written mixin of the row (``extras``), for the operations it performs (``by_hand``).

Every request is made by the operation's generated request builder (``build_request``), so no
path is written by hand. Where the output lives, and why: it is committed (the sync twin is
derived from it by ``scripts/unasync.py``, which only works on committed sources) and
deterministic (sorted, ruff-formatted); ``make lint`` regenerates it and fails when the
committed file differs (``--check``), like the unasync check. ``make facade`` rewrites it and
the sync twin.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spec.facade_table import TABLE, Row

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "generated" / "openapi.json"
API_PACKAGE = ROOT / "generated" / "eaccounting_api" / "api"
TARGET = ROOT / "src" / "eaccounting" / "_async" / "resources.py"
METHODS = ("get", "put", "post", "delete", "patch")
MIXINS = {"list": "AsyncList", "get": "AsyncGet", "create": "AsyncCreate"}
MIXINS |= {"update": "AsyncUpdate", "delete": "AsyncDelete"}


class FacadeError(Exception):
    """The table and the spec disagree (named in the message)."""


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).replace("-", "_").lower()


def camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def _ref(schema: dict[str, Any] | None) -> str | None:
    ref = (schema or {}).get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


@dataclass
class Operation:
    """One operation of the effective spec, as the generator needs it."""

    id: str
    module: str  # "<tag package>.<operation id>" under eaccounting_api.api
    method: str
    path: str
    tag: str | None
    path_params: list[tuple[str, dict[str, Any]]]
    has_query: bool
    body: str | None  # request schema name (of each item, for an array body)
    body_array: bool  # the body is a JSON array of ``body`` objects
    body_required: bool
    answer: str  # "model" | "page" | "list" | "binary" | "none" | "json"
    model: str | None  # the answer's model (the item's, for a page or a list)

    @property
    def params(self) -> list[str]:
        return [name for name, _ in self.path_params]


def _answer(op: dict[str, Any], schemas: dict[str, Any]) -> tuple[str, str | None]:
    for code, response in sorted(op.get("responses", {}).items()):
        if not code.startswith("2"):
            continue
        content = response.get("content", {})
        if "application/json" not in content:
            return ("binary", None) if content else ("none", None)
        schema = content["application/json"].get("schema", {})
        name = _ref(schema)
        if name and name.startswith("PaginatedResponseOf"):
            data = schemas[name].get("properties", {}).get("Data", {})
            return "page", _ref(data.get("items"))
        if name:
            return "model", name
        if "array" in (schema.get("type") or []) and _ref(schema.get("items")):
            return "list", _ref(schema.get("items"))
        return "json", None
    return "none", None


def _modules() -> dict[str, str]:
    """operation id → "<tag package>.<operation id>" from the generated package."""
    found: dict[str, str] = {}
    for module in sorted(API_PACKAGE.glob("*/*.py")):
        if module.stem != "__init__":
            found[module.stem] = f"{module.parent.name}.{module.stem}"
    return found


def parameters_of(op: dict[str, Any]) -> list[dict[str, Any]]:
    parameters: list[dict[str, Any]] = op.get("parameters", [])
    return parameters


def operations(spec: dict[str, Any]) -> list[Operation]:
    """Every operation of ``spec`` that the generated package has a module for."""
    schemas = spec.get("components", {}).get("schemas", {})
    modules = _modules()
    found: list[Operation] = []
    for path, item in spec["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            op_id = op.get("operationId", "")
            if op_id not in modules:
                raise FacadeError(f"{method.upper()} {path}: no generated module for {op_id!r}")
            parameters = [*item.get("parameters", []), *op.get("parameters", [])]
            parameters = [p for p in parameters if "$ref" not in p]
            in_path = {p["name"]: p.get("schema", {}) for p in parameters if p["in"] == "path"}
            names = re.findall(r"\{([^}/]+)\}", path)
            body = op.get("requestBody", {})
            body_schema = body.get("content", {}).get("application/json", {}).get("schema", {})
            body_array = "array" in (body_schema.get("type") or [])
            answer, model = _answer(op, schemas)
            if answer == "page" and method != "get":
                # PUT /salespricelists/{id}/prices answers with a page: no pager can re-ask it.
                answer, model = "json", None
            found.append(
                Operation(
                    id=op_id,
                    module=modules[op_id],
                    method=method.upper(),
                    path=path,
                    tag=(op.get("tags") or [None])[0],
                    path_params=[(n, in_path.get(n, {"type": "string"})) for n in names],
                    has_query=any(p.get("in", "query") == "query" for p in parameters_of(op)),
                    body=_ref(body_schema.get("items") if body_array else body_schema),
                    body_array=body_array,
                    body_required=bool(body.get("required")),
                    answer=answer,
                    model=model,
                )
            )
    return sorted(found, key=lambda o: o.id)


@dataclass
class Facade:
    row: Row
    path: str
    verbs: dict[str, Operation] = field(default_factory=dict)
    actions: list[Operation] = field(default_factory=list)
    write_schema: str | None = None

    @property
    def cls(self) -> str:
        return f"Async{camel(self.row.name)}"


def _is_guid(schema: dict[str, Any]) -> bool:
    return schema.get("format") == "uuid"


def plan(row: Row, ops: list[Operation]) -> Facade:
    """What the facade of ``row`` gets from the tag's operations."""
    mine = [o for o in ops if row.tag is not None and o.tag == row.tag]
    by_id = {o.id for o in ops}
    for name in row.by_hand:
        if name not in by_id:
            raise FacadeError(f"{row.name}: by_hand names {name!r}, not an operation of the spec")
    mine = [o for o in mine if o.id not in row.by_hand]
    collections = {
        o.path
        for o in mine
        if not o.path_params
        and o.model == row.model
        and (o.method, o.answer) in {("GET", "page"), ("POST", "model")}
    }
    if row.path is not None:
        collections = {row.path}
    if not collections:
        collections = {"/" + o.path.strip("/").split("/")[0] for o in mine} or {"/"}
    # Several (POST /customerledgeritems/customerledgeritemswithvoucher answers the model too):
    # the shortest is the collection, the others become methods.
    facade = Facade(row, min(collections, key=lambda p: (len(p), p)))
    shapes = {
        ("list", "GET", False, "page"),
        ("create", "POST", False, "model"),
        ("get", "GET", True, "model"),
        ("update", "PUT", True, "model"),
        ("delete", "DELETE", True, None),
    }
    for op in mine:
        item = len(op.path_params) == 1 and _is_guid(op.path_params[0][1])
        at = f"{facade.path}/{{{op.params[0]}}}" if item else facade.path
        for verb, method, on_item, answer in shapes:
            fits = op.method == method and op.path == at and on_item == item
            fits = fits and not op.body_array  # POST /allocationperiods takes a list: a method
            if fits and (answer is None or (op.answer == answer and op.model == row.model)):
                facade.verbs.setdefault(verb, op)
    if "update" in facade.verbs and "get" not in facade.verbs:
        del facade.verbs["update"]  # no safe update without reading the current value
    items = {o.path for v, o in facade.verbs.items() if v in ("get", "update", "delete")}
    if len(items) > 1:
        raise FacadeError(f"{row.name}: get/update/delete on different paths {sorted(items)}")
    bodies = _bodies(facade, row)
    if len(bodies) > 1:
        # PUT /messagethreads/{id} takes a MessageStatusApi, not a thread: not an update of
        # what GET answers, so no safe update; it becomes a method of its own.
        del facade.verbs["update"]
        bodies = _bodies(facade, row)
    facade.write_schema = bodies.pop() if bodies else None
    taken = {o.id for o in facade.verbs.values()}
    facade.actions = [o for o in mine if o.id not in taken]
    return facade


def _bodies(facade: Facade, row: Row) -> set[str]:
    """The request schemas of create and update other than the model."""
    found = {o.body for v, o in facade.verbs.items() if v in ("create", "update")}
    return {b for b in found if b is not None and b != row.model}


def check_table(ops: list[Operation], spec: dict[str, Any]) -> None:
    names = [row.name for row in TABLE]
    if len(set(names)) != len(names):
        raise FacadeError("the resource table names a resource twice")
    tags = {o.tag for o in ops}
    covered = {row.tag for row in TABLE}
    for tag in sorted(t for t in tags - covered if t is not None):
        raise FacadeError(f"tag {tag!r} has operations but no row in spec/facade_table.py")
    declared = {t["name"] for t in spec.get("tags", [])}
    for row in TABLE:
        if row.tag is not None and row.tag not in declared:
            raise FacadeError(f"{row.name}: tag {row.tag!r} is not in the effective spec")


# -- rendering ---------------------------------------------------------------------------------
def _py(name: str) -> str:
    return snake(name)


def _arg(name: str, schema: dict[str, Any]) -> tuple[str, str]:
    """(annotated parameter, the expression that checks it into a path value)."""
    py = _py(name)
    if _is_guid(schema):
        return f"{py}: Id", f'check_guid({py}, "{py}")'
    if schema.get("format") == "date":
        return f"{py}: date | str", f'check_date({py}, "{py}")'
    if "integer" in (schema.get("type") or []):
        return f"{py}: int | str", f'path_value({py}, "{py}", digits=True)'
    return f"{py}: str", f'path_value({py}, "{py}")'


def _doc(text: str, indent: int) -> str:
    """A one-line docstring, or one line a part where that would be too long."""
    if indent + len(text) + 6 <= 100:
        return f'"""{text}"""'
    pad = "\n" + " " * indent
    return '"""' + pad.join(text.split(" ")) + pad + '"""'


def _action(op: Operation, models: set[str]) -> str:
    args, values = [], []
    for name, schema in op.path_params:
        arg, value = _arg(name, schema)
        args.append(arg)
        values.append(value)
    if op.body is not None:
        kind = "Sequence[Any]" if op.body_array else "Any"
        optional = f"body: {kind} | None = None" if op.body_array else "body: Any = None"
        args.append(f"body: {kind}" if op.body_required else optional)
    kw = ["params: Mapping[str, Any] | None = None"] if op.has_query or op.answer == "page" else []
    call = [f'"{op.module}"', *values]
    if op.body is not None and op.body_array:
        call += ["items=body", f'body_schema="{op.body}"']
    elif op.body is not None:
        call += ["body=body", f'body_schema="{op.body}"']
    if kw:
        call.append("params=params")
    doc = _doc(f"``{op.method} {op.path}``.", 8)
    if op.answer == "page":
        assert op.model is not None
        models.add(op.model)
        kw += ["page_size: int | None = None", "prefetch: int = 0"]
        call += [f'model="{op.model}"', "page_size=page_size", "prefetch=prefetch"]
        sig = ", ".join(["self", *args, "*", *kw])
        returns = f"AsyncPager[{op.model}]"
        return (
            f"    def {op.id}({sig}) -> {returns}:\n        {doc}\n"
            f"        pager: {returns} = self._operation_pages({', '.join(call)})\n"
            "        return pager\n"
        )
    sig = ", ".join(["self", *args, *(["*", *kw] if kw else [])])
    if op.answer in ("binary", "none"):
        if op.answer == "binary" or op.method == "GET":
            return (
                f"    async def {op.id}({sig}) -> bytes:\n        {doc}\n"
                f"        response = await self._perform({', '.join(call)})\n"
                "        return response.content\n"
            )
        return (
            f"    async def {op.id}({sig}) -> None:\n        {doc}\n"
            f"        await self._perform({', '.join(call)})\n"
        )
    if op.answer in ("model", "list"):
        assert op.model is not None
        models.add(op.model)
        returns = op.model if op.answer == "model" else f"list[{op.model}]"
        call.append(f'model="{op.model}"')
        if op.answer == "list":
            call.append("many=True")
    else:
        returns = "Any"
        call.append("model=None")
    return (
        f"    async def {op.id}({sig}) -> {returns}:\n        {doc}\n"
        f"        result: {returns} = await self._operation_result({', '.join(call)})\n"
        "        return result\n"
    )


def render(facades: list[Facade]) -> str:
    models: set[str] = set()
    bodies: set[str] = set()
    classes: list[str] = []
    mixins_used: set[str] = {"AsyncResource"}
    for f in facades:
        row = f.row
        models.add(row.model)
        bases = [f"Async{row.extras}"] if row.extras else []
        for verb in ("list", "get", "create", "update", "delete"):
            if verb == "create" and verb in f.verbs:
                # create() takes the model or the create operation's TypedDict body.
                body = f"{f.verbs[verb].body or row.model}Body"
                bodies.add(body)
                bases.append(f'{MIXINS[verb]}["{row.model}", "{body}"]')
                mixins_used.add(MIXINS[verb])
            elif verb in f.verbs:
                bases.append(f'{MIXINS[verb]}["{row.model}"]')
                mixins_used.add(MIXINS[verb])
        if len(bases) == (1 if row.extras else 0):
            bases.append(f'AsyncResource["{row.model}"]')
        has = ", ".join(v for v in ("list", "get", "create", "update", "delete") if v in f.verbs)
        tag = f"tag ``{row.tag}``" if row.tag else "no tag of its own"
        lines = [
            f"class {f.cls}({', '.join(bases)}):",
            "    " + _doc(f"``{f.path}`` ({tag}){': ' + has if has else ''}.", 4),
            "",
            f'    path: ClassVar[str] = "{f.path}"',
            f'    model: ClassVar[str] = "{row.model}"',
        ]
        if f.write_schema:
            lines.append(f'    write_schema: ClassVar[str | None] = "{f.write_schema}"')
        if row.id != "id":
            lines.append(f'    id_name: ClassVar[str] = "{row.id}"')
        if row.modified:
            lines.append(f'    modified_field: ClassVar[str | None] = "{row.modified}"')
        if f.verbs:
            ops = ", ".join(
                f'"{v}": "{o.module}"'
                for v, o in sorted(f.verbs.items(), key=lambda kv: list(MIXINS).index(kv[0]))
            )
            lines.append(f"    operations: ClassVar[Mapping[str, str]] = {{{ops}}}")
        body = "\n".join(lines) + "\n"
        for op in f.actions:
            body += "\n" + _action(op, models)
        classes.append(body)
    extras = sorted(f"Async{f.row.extras}" for f in facades if f.row.extras)
    names = sorted([f.cls for f in facades] + ["AsyncResources"])
    attributes = "\n".join(f"    {f.row.name} = facade({f.cls})" for f in facades)
    text = "\n\n".join(classes)
    imports = "\n".join(
        f"    from eaccounting_api.models.{snake(m)} import {m}"
        # A model named only in the strings of a base class is a use mypy sees, ruff does not.
        + ("" if re.search(rf"(?<![\w\"]){m}(?![\w\"])", text) else "  # noqa: F401")
        for m in sorted(models)
    )
    # Named only in the strings of the create bases (a use mypy sees, ruff does not).
    imports += "".join(
        f"\n    from eaccounting_api.bodies import {b}  # noqa: F401" for b in sorted(bodies)
    )
    return "\n".join(
        [
            "# Generated by `python -m spec facade` from spec/facade_table.py and the effective",
            "# spec: do not edit. Change the table (or _async/extras.py); run `make facade`.",
            '"""The typed resource facades: ``client.customers.get(id)``, one per tag of the spec.',
            "",
            "Generated (see ``spec/facade.py``): each class has the CRUD verbs the spec has for it",
            "(inherited from ``mixins.py``), a method per other operation of its tag, and the",
            "hand-written extras of ``extras.py``. Every request is built by the generated",
            "operation's request builder and sent through the owning client's pipeline.",
            '"""',
            "",
            "from __future__ import annotations",
            "",
            "from collections.abc import Mapping, Sequence",
            "from datetime import date",
            "from typing import TYPE_CHECKING, Any, ClassVar",
            "",
            "from .._accessor import facade",
            "from .._bodies import check_date, check_guid",
            "from .._builders import path_value",
            f"from .extras import {', '.join(extras)}",
            f"from .mixins import {', '.join(sorted(mixins_used))}, Id",
            "from .paging import AsyncPager",
            "",
            "if TYPE_CHECKING:",
            imports,
            "",
            f"__all__ = {names!r}",
            "",
            "",
            text,
            "",
            "class AsyncResources:",
            '    """The facades as attributes of a client, each built on first use."""',
            "",
            attributes,
            "",
        ]
    )


def _format(text: str) -> str:
    ruff = Path(sys.executable).parent / "ruff"
    for args in (
        ["check", "--fix", "--quiet", "--select", "F401,I001,RUF022", "--exit-zero"],
        ["format", "--quiet"],
    ):
        command = [str(ruff), *args, "--stdin-filename", str(TARGET), "-"]
        result = subprocess.run(
            command, input=text, capture_output=True, text=True, check=False, cwd=ROOT
        )
        if result.returncode != 0:
            raise FacadeError(f"{' '.join(command[:3])} failed: {result.stderr}")
        text = result.stdout
    return text


def generate(spec_path: Path = SPEC) -> str:
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    ops = operations(spec)
    check_table(ops, spec)
    return _format(render([plan(row, ops) for row in TABLE]))


def main(argv: list[str]) -> int:
    try:
        text = generate()
    except (FacadeError, FileNotFoundError) as error:
        print(f"facade: {error}", file=sys.stderr)
        return 1
    shown = TARGET.relative_to(ROOT)
    if "--check" in argv:
        if not TARGET.exists() or TARGET.read_text() != text:
            print(f"facade: {shown} differs from what the table and the spec give")
            print("facade: run `make facade` and commit the result")
            return 1
        print(f"facade: {shown} matches the table and the spec ({len(TABLE)} resources)")
        return 0
    if not TARGET.exists() or TARGET.read_text() != text:
        TARGET.write_text(text)
        print(f"facade: wrote {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Write ``eaccounting_api/namespace``: the typed ``client.api`` (a post-step of ``generate``).

openapi-python-client writes one module per operation (``api/<tag>/<operation>.py``) whose
``sync``/``asyncio`` functions take a ``client=`` argument. ``client.api`` binds that argument
to the facade's pipeline; this step gives the binding real types, so mypy knows every tag and
operation, each parameter and each result:

- ``namespace/__init__.py``: ``ApiOperations`` and ``AsyncApiOperations``, one lazily imported
  property per tag (``client.api.customers``);
- ``namespace/<tag>.py``: ``CustomersOperations`` / ``AsyncCustomersOperations`` with one
  property per operation, and per operation a sync class (``__call__``, ``sync``,
  ``sync_detailed``, and ``iterate`` for paged lists) and an async one (``__call__``,
  ``asyncio``, ``asyncio_detailed``, ``aiterate``).

Signatures are copied from the generated functions' source (AST), not re-derived from the
spec, so whatever the templates make of a parameter or body type is what ``client.api`` takes.
The bound classes subclass ``eaccounting.api``'s runtime bases (the client and the pager live
there): this layer binds the generated code to the facade, the rest of the package does not
know it.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = "eaccounting_api"
NAMESPACE = "namespace"
_FACADE_BASES = "eaccounting.api"


@dataclass
class _Param:
    name: str
    source: str  # ``name: annotation = default`` as written in the generated function
    keyword_only: bool


@dataclass
class _Operation:
    name: str  # module name == client.api attribute
    summary: str
    method: str
    url: str
    params: list[_Param]
    returns: str
    returns_detailed: str
    item_type: str | None  # the Data[] item of a paged list, else None
    imports: dict[str, str] = field(default_factory=dict)  # bound name -> import line
    type_imports: dict[str, str] = field(default_factory=dict)  # for annotations only

    @property
    def class_name(self) -> str:
        return _pascal(self.name) + "Operation"

    @property
    def paged(self) -> bool:
        names = {p.name for p in self.params}
        return self.item_type is not None and {"page", "pagesize"} <= names


def _pascal(snake: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_") if part)


def _absolute(module: str | None, level: int, here: str) -> str:
    """``from ...models.x import Y`` in ``here`` → ``eaccounting_api.models.x``."""
    if level == 0:
        return module or ""
    base = here.split(".")[: -level or None]
    return ".".join(base + ([module] if module else []))


def _imports(tree: ast.Module, here: str, *, only_type_checking: bool) -> dict[str, str]:
    """Every top-level import of a module (optionally only those under ``TYPE_CHECKING``)."""
    found: dict[str, str] = {}
    nodes: list[ast.stmt] = []
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            nodes.extend(node.body)
        elif not only_type_checking:
            nodes.append(node)
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            source = _absolute(node.module, node.level, here)
            if source == "__future__":
                continue
            for alias in node.names:
                bound = alias.asname or alias.name
                line = f"from {source} import {alias.name}"
                found[bound] = line + (f" as {alias.asname}" if alias.asname else "")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                suffix = f" as {alias.asname}" if alias.asname else ""
                found[bound] = f"import {alias.name}{suffix}"
    return found


def _function(tree: ast.Module, name: str) -> ast.FunctionDef | ast.AsyncFunctionDef:
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            return node
    raise ValueError(f"no function {name}")


def _params(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[_Param]:
    args = function.args
    params: list[_Param] = []
    positional = args.posonlyargs + args.args
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    defaults += list(args.defaults)
    for arg, default in zip(positional, defaults, strict=True):
        params.append(_Param(arg.arg, _param_source(arg, default), keyword_only=False))
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        if arg.arg != "client":
            params.append(_Param(arg.arg, _param_source(arg, kw_default), keyword_only=True))
    return params


def _param_source(arg: ast.arg, default: ast.expr | None) -> str:
    text = arg.arg
    if arg.annotation is not None:
        text += f": {ast.unparse(arg.annotation)}"
    if default is not None:
        text += f" = {ast.unparse(default)}"
    return text


def _names(annotation: ast.expr) -> list[str]:
    return [node.id for node in ast.walk(annotation) if isinstance(node, ast.Name)]


def _union(expr: ast.expr) -> list[ast.expr]:
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
        return _union(expr.left) + _union(expr.right)
    return [expr]


def _error_only_names(tree: ast.Module) -> set[str]:
    """Names ``_parse_response`` uses only for 4xx/5xx answers (the error model)."""
    success: set[str] = set()
    error: set[str] = set()
    for node in ast.walk(_function(tree, "_parse_response")):
        test = node.test if isinstance(node, ast.If) else None
        if not (isinstance(test, ast.Compare) and ast.unparse(test.left) == "response.status_code"):
            continue
        code = test.comparators[0]
        if isinstance(node, ast.If) and isinstance(code, ast.Constant):
            names = {n.id for stmt in node.body for n in ast.walk(stmt) if isinstance(n, ast.Name)}
            (error if int(str(code.value)) >= 400 else success).update(names)
    return error - success


def _narrow(annotation: ast.expr, drop: set[str]) -> str:
    """``annotation`` without the union members that name only error models.

    The pipeline raises a typed error for every 4xx/5xx answer, so the generated functions'
    error models (``CommonExtendedBadRequest``) never reach a ``client.api`` caller.
    """
    if isinstance(annotation, ast.Subscript) and ast.unparse(annotation.value) == "Response":
        return f"Response[{_narrow(annotation.slice, drop)}]"
    kept = [m for m in _union(annotation) if not (set(_names(m)) and set(_names(m)) <= drop)]
    return " | ".join(ast.unparse(m) for m in kept or [annotation])


def _item_type(
    returns: ast.expr, imports: dict[str, str], package_dir: Path
) -> tuple[str, dict[str, str]] | None:
    """The ``Data`` item class of a paged response model named in ``returns``."""
    for name in _names(returns):
        line = imports.get(name, "")
        if not line.startswith(f"from {PACKAGE}.models."):
            continue
        module = line.split()[1]
        # Relative to package_dir: during `make generate` it is a staging folder whose name is
        # not the package's (reading package_dir.parent would find the previous generation).
        path = package_dir.joinpath(*module.split(".")[1:]).with_suffix(".py")
        if not path.is_file():
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        fields: dict[str, ast.expr] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name == name:
                for stmt in node.body:
                    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                        fields[stmt.target.id] = stmt.annotation
        if "meta" not in fields or "data" not in fields:
            continue
        for node in ast.walk(fields["data"]):
            if (
                isinstance(node, ast.Subscript)
                and isinstance(node.value, ast.Name)
                and node.value.id == "list"
            ):
                item = ast.unparse(node.slice)
                model_imports = _imports(tree, module, only_type_checking=False)
                needed = {n: model_imports[n] for n in _names(node.slice) if n in model_imports}
                return item, needed
    return None


def _request(tree: ast.Module) -> tuple[str, str]:
    """The HTTP method and URL template ``_get_kwargs`` builds."""
    method = url = ""
    for node in ast.walk(_function(tree, "_get_kwargs")):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "method":
                    method = str(ast.literal_eval(value)).upper()
                if isinstance(key, ast.Constant) and key.value == "url":
                    # "/customers/{customer_id}".format(...): the template is the first string
                    url = next(
                        (
                            str(c.value)
                            for c in ast.walk(value)
                            if isinstance(c, ast.Constant) and isinstance(c.value, str)
                        ),
                        "",
                    )
    return method, url


def read_operation(
    path: Path, package_dir: Path, shapes: dict[str, tuple[str, str]] | None = None
) -> _Operation:
    tag = path.parent.name
    here = f"{PACKAGE}.api.{tag}.{path.stem}"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imports = _imports(tree, here, only_type_checking=False)
    sync = _function(tree, "sync")
    detailed = _function(tree, "sync_detailed")
    if sync.returns is None or detailed.returns is None:
        raise ValueError(f"{here}: sync/sync_detailed without a return annotation")
    doc = (ast.get_docstring(sync) or "").strip().splitlines()
    # The spec's own method and path (``{customerId}``) where the shipped spec names the
    # operation; else what the generated request builder sends.
    method, url = (shapes or {}).get(path.stem) or _request(tree)
    drop = _error_only_names(tree)
    operation = _Operation(
        name=path.stem,
        summary=doc[0].strip() if doc else "",
        method=method,
        url=url,
        params=_params(sync),
        returns=_narrow(sync.returns, drop),
        returns_detailed=_narrow(detailed.returns, drop),
        item_type=None,
        imports=imports,
    )
    found = _item_type(sync.returns, imports, package_dir)
    if found is not None:
        operation.item_type, operation.type_imports = found
    return operation


def _signature(params: list[_Param], *, extra: list[str] | None = None) -> str:
    positional = [p.source for p in params if not p.keyword_only]
    keyword = [p.source for p in params if p.keyword_only] + (extra or [])
    parts = ["self", *positional]
    if keyword:
        parts += ["*", *keyword]
    return ", ".join(parts)


def _forward(params: list[_Param], skip: frozenset[str] = frozenset()) -> str:
    return "".join(f", {p.name}={p.name}" for p in params if p.name not in skip)


def _docstring(op: _Operation) -> str:
    title = f"{op.method} {op.url}".strip()
    text = f"{title}: {op.summary}" if op.summary else title
    return '"""' + text.replace("\\", "/").replace('"', "'") + '"""'


def _operation_classes(op: _Operation) -> list[str]:
    module = f"_{op.name}"
    sig = _signature(op.params)
    call = _forward(op.params)
    plain = _forward(op.params).removeprefix(", ")
    doc = _docstring(op)
    lines = [
        f"class {op.class_name}(SyncOperation):",
        f"    {doc}",
        f"    module = {module}",
        "",
        f"    def __call__({sig}) -> {op.returns}:",
        f"        return self.sync({plain})",
        "",
        f"    def sync({sig}) -> {op.returns}:",
        f"        return cast({op.returns!r}, {module}.sync(client=self._client(){call}))",
        "",
        f"    def sync_detailed({sig}) -> {op.returns_detailed}:",
        f"        return cast({op.returns_detailed!r}, "
        f"{module}.sync_detailed(client=self._client(){call}))",
    ]
    async_lines = [
        f"class Async{op.class_name}(AsyncOperation):",
        f"    {doc}",
        f"    module = {module}",
        "",
        f"    async def __call__({sig}) -> {op.returns}:",
        f"        return await self.asyncio({plain})",
        "",
        f"    async def asyncio({sig}) -> {op.returns}:",
        f"        return cast({op.returns!r}, await {module}.asyncio(client=self._client(){call}))",
        "",
        f"    async def asyncio_detailed({sig}) -> {op.returns_detailed}:",
        f"        return cast({op.returns_detailed!r}, "
        f"await {module}.asyncio_detailed(client=self._client(){call}))",
    ]
    if op.paged:
        rest = [p for p in op.params if p.name not in ("page", "pagesize")]
        extra = ["page_size: int | None = None", "prefetch: int = 0"]
        isig = _signature(rest, extra=extra)
        params = "{" + ", ".join(f"{p.name!r}: {p.name}" for p in rest) + "}"
        lines[0] = f"class {op.class_name}(SyncPagedOperation[{op.item_type!r}]):"
        async_lines[0] = f"class Async{op.class_name}(AsyncPagedOperation[{op.item_type!r}]):"
        lines += [
            "",
            f"    def iterate({isig}) -> SyncPager[{op.item_type}]:",
            '        """Every item, page after page (``.pages()`` for the pages)."""',
            f"        return self._pager(page_size, prefetch, {params})",
        ]
        async_lines += [
            "",
            f"    def aiterate({isig}) -> AsyncPager[{op.item_type}]:",
            '        """Every item, page after page (``.pages()`` for the pages)."""',
            f"        return self._pager(page_size, prefetch, {params})",
        ]
    return [*lines, "", "", *async_lines]


def _tag_classes(tag: str, ops: list[_Operation]) -> list[str]:
    out: list[str] = []
    for prefix in ("", "Async"):
        name = f"{prefix}{_pascal(tag)}Operations"
        out += [
            f"class {name}(TagOperations):",
            f'    """``client.api.{tag}``: its operations bound to the client."""',
            "",
        ]
        for op in ops:
            out += [
                "    @cached_property",
                f"    def {op.name}(self) -> {prefix}{op.class_name}:",
                f"        return {prefix}{op.class_name}(self._get_client)",
                "",
            ]
        out.append("")
    return out


def render_tag(tag: str, ops: list[_Operation]) -> str:
    runtime: dict[str, str] = {
        "cached_property": "from functools import cached_property",
        "cast": "from typing import cast",
        "SyncOperation": f"from {_FACADE_BASES} import SyncOperation",
        "AsyncOperation": f"from {_FACADE_BASES} import AsyncOperation",
        "SyncPagedOperation": f"from {_FACADE_BASES} import SyncPagedOperation",
        "AsyncPagedOperation": f"from {_FACADE_BASES} import AsyncPagedOperation",
        "TagOperations": f"from {_FACADE_BASES} import TagOperations",
    }
    typing_only: dict[str, str] = {
        "SyncPager": "from eaccounting.paging import SyncPager",
        "AsyncPager": "from eaccounting.paging import AsyncPager",
    }
    own = {f"_{op.name}" for op in ops} | {op.class_name for op in ops}
    own |= {f"Async{op.class_name}" for op in ops} | {f"{_pascal(tag)}Operations"}
    for op in ops:
        runtime[f"_{op.name}"] = f"from {PACKAGE}.api.{tag} import {op.name} as _{op.name}"
        for table, extra in ((runtime, op.imports), (typing_only, op.type_imports)):
            for bound, line in extra.items():
                if bound in own:
                    raise ValueError(f"{tag}: imported name {bound!r} clashes with a class")
                known = runtime.get(bound) or typing_only.get(bound)
                if known is not None and known != line:
                    raise ValueError(f"{tag}: {bound!r} is both {known!r} and {line!r}")
                if known is None:
                    table[bound] = line
    lines = [
        f'"""``client.api.{tag}``: generated by spec/namespace.py, do not edit."""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import TYPE_CHECKING",
        "",
        *sorted(set(runtime.values())),
        "",
        "if TYPE_CHECKING:",
        *[f"    {line}" for line in sorted(set(typing_only.values()))],
        "",
        f"__all__ = [{', '.join(repr(n) for n in sorted(own) if not n.startswith('_'))}]",
        "",
        "",
    ]
    for op in ops:
        lines += [*_operation_classes(op), "", ""]
    lines += _tag_classes(tag, ops)
    return "\n".join(lines).rstrip() + "\n"


def render_index(tags: list[str], operations: dict[str, str]) -> str:
    lines = [
        '"""``client.api``: one property per tag, imported on first use.',
        "",
        "Generated by spec/namespace.py, do not edit.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from collections.abc import Callable",
        "from functools import cached_property",
        "from typing import TYPE_CHECKING, Any",
        "",
        "if TYPE_CHECKING:",
    ]
    for tag in tags:
        name = f"{_pascal(tag)}Operations"
        lines.append(f"    from .{tag} import Async{name}, {name}")
    lines += [
        "",
        '__all__ = ["OPERATIONS", "TAGS", "ApiOperations", "AsyncApiOperations"]',
        "",
        "#: Every tag package (``client.api.<tag>``).",
        f"TAGS = ({''.join(f'{t!r}, ' for t in tags)})",
        "#: operationId (module name) → its tag package: ``client.api.<tag>.<operationId>``.",
        "OPERATIONS: dict[str, str] = {",
        *[f"    {op!r}: {tag!r}," for op, tag in sorted(operations.items())],
        "}",
        "",
    ]
    for prefix in ("", "Async"):
        who = "an AsyncClient" if prefix else "a Client"
        lines += [
            "",
            f"class {prefix}ApiOperations:",
            f'    """Every generated operation, bound to {who}."""',
            "",
            "    def __init__(self, get_client: Callable[[], Any]) -> None:",
            "        self._get_client = get_client",
            "",
        ]
        for tag in tags:
            name = f"{prefix}{_pascal(tag)}Operations"
            lines += [
                "    @cached_property",
                f"    def {tag}(self) -> {name}:",
                f"        from .{tag} import {name}",
                "",
                f"        return {name}(self._get_client)",
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"


def write_namespace(package_dir: Path) -> int:
    """Write ``package_dir/namespace``; return the number of operations bound."""
    target = package_dir / NAMESPACE
    target.mkdir()
    tags: list[str] = []
    operations: dict[str, str] = {}
    shapes = _shapes(package_dir / "openapi.json")
    for tag_dir in sorted((package_dir / "api").iterdir()):
        if not (tag_dir / "__init__.py").is_file():
            continue
        ops = [
            read_operation(path, package_dir, shapes)
            for path in sorted(tag_dir.glob("*.py"))
            if path.name != "__init__.py"
        ]
        if not ops:
            continue
        tags.append(tag_dir.name)
        operations.update((op.name, tag_dir.name) for op in ops)
        (target / f"{tag_dir.name}.py").write_text(render_tag(tag_dir.name, ops), encoding="utf-8")
    (target / "__init__.py").write_text(render_index(tags, operations), encoding="utf-8")
    _format(target)
    return len(operations)


def _shapes(spec_file: Path) -> dict[str, tuple[str, str]]:
    """operationId → (METHOD, path) of the spec the package was generated from."""
    if not spec_file.is_file():
        return {}
    spec = json.loads(spec_file.read_text(encoding="utf-8"))
    return {
        str(op["operationId"]): (method.upper(), str(path))
        for path, item in (spec.get("paths") or {}).items()
        for method, op in (item or {}).items()
        if isinstance(op, dict) and "operationId" in op
    }


def _format(target: Path) -> None:
    # Readable output for users who open it from their editor; --isolated as the generator's hooks.
    ruff = Path(sys.executable).parent / "ruff"
    subprocess.run(
        [str(ruff), "format", "--quiet", "--no-cache", "--isolated", str(target)], check=True
    )

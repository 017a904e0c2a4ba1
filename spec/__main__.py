"""The spec pipeline: ``python -m spec <command>`` (the Makefile calls these).

fetch      copy the pinned upstream spec to generated/upstream.yaml, refusing a hash mismatch
normalise  check it against its own OpenAPI version, normalise 3.0 → 3.1 → generated/normalised.json
overlay    render the overlays from overlays/decisions.toml, apply them strictly and validate
           → generated/openapi.yaml (+ .json, the rendered generated/overlays/ and their report);
           on failure these are removed, never left stale
validate   openapi-spec-validator on the effective spec
generate   openapi-python-client → generated/eaccounting_api (swapped in only when clean)
update     re-pin to the spec at EACCOUNTING_SPEC: file, sha256, source and provenance
check      run every stage on any spec (path or URL) and report what would stop the build

Each stage writes its output only once it has succeeded, so a failed run leaves nothing that a
later run would take for done.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from spec import generate, pin
from spec.decisions import DECISIONS_FILE, Decisions, DecisionsError
from spec.documents import dump_json, dump_yaml, load_yaml
from spec.effective import Build, build
from spec.normalise import NormaliseError, declared_version, own_version_errors, to_openapi_31

GENERATED = pin.REPO / "generated"
UPSTREAM = GENERATED / "upstream.yaml"  # the pinned bytes as published (YAML or JSON)
NORMALISED = GENERATED / "normalised.json"
EFFECTIVE = GENERATED / "openapi.yaml"


def _show(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(pin.REPO))
    except ValueError:
        return str(path)


def _remove(*paths: Path) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def cmd_fetch(args: argparse.Namespace) -> int:
    digest = pin.fetch(UPSTREAM)
    print(f"spec: {_show(UPSTREAM)} sha256 {digest} (pinned)")
    return 0


def cmd_normalise(args: argparse.Namespace) -> int:
    upstream = load_yaml(args.spec)
    version = declared_version(upstream)
    errors = own_version_errors(upstream)
    if errors:
        _remove(args.out)
        for error in errors:
            print(f"invalid for OpenAPI {version}: {error}", file=sys.stderr)
        print(f"normalise: {len(errors)} error(s) against OpenAPI {version}", file=sys.stderr)
        return 1
    normalised = to_openapi_31(upstream)
    pin.write_atomically(args.out, dump_json(normalised).encode("utf-8"))
    form = "already 3.1" if version == normalised["openapi"] else f"→ {normalised['openapi']}"
    print(f"normalise: {_show(args.out)} (OpenAPI {version}, {form})")
    return 0


def cmd_overlay(args: argparse.Namespace) -> int:
    rendered, report = args.out.parent / "overlays", args.out.parent / "overlay-report.txt"
    outputs = (args.out, args.out.with_suffix(".json"), rendered, report)
    result = build(load_yaml(args.spec), Decisions.load(args.decisions))
    if not result.ok:
        _remove(*outputs)  # a stale effective spec must not survive a failed run
        for line in result.lines():
            print(line, file=sys.stderr)
        print(f"overlay: {_summary(result)}", file=sys.stderr)
        return 1
    assert result.rendering is not None
    print(result.rendering.report.render())
    _remove(rendered)
    for name, doc in result.rendering.overlays.items():
        pin.write_atomically(rendered / name, dump_yaml(doc).encode("utf-8"))
    report.write_text(result.rendering.report.render() + "\n", encoding="utf-8")
    effective = result.rendering.effective
    pin.write_atomically(args.out, dump_yaml(effective).encode("utf-8"))
    # The JSON is the Makefile's target: written last, so it exists only after a full success.
    pin.write_atomically(args.out.with_suffix(".json"), dump_json(effective).encode("utf-8"))
    print(f"overlay: wrote {_show(args.out)} (+ .json), 0 validation error(s)")
    return 0


def _summary(result: Build) -> str:
    rendering = result.rendering
    parts = [f"{len(result.own_version_errors)} error(s) against OpenAPI {result.declared}"]
    if rendering is not None:
        parts += [
            f"{len(rendering.report.unmatched)} unmatched action(s)",
            f"{len(rendering.undecided)} undecided operation(s)",
        ]
    parts.append(f"{len(result.validation_errors)} validation error(s)")
    return ", ".join(parts)


def cmd_validate(args: argparse.Namespace) -> int:
    errors = generate.validation_errors(load_yaml(args.spec))
    for error in errors:
        print(f"invalid: {error}", file=sys.stderr)
    print(f"validate: {len(errors)} error(s) in {args.spec.name}")
    return 1 if errors else 0


def cmd_generate(args: argparse.Namespace) -> int:
    staging = args.out.with_name(f".{args.out.name}.staging")
    _remove(staging)
    try:
        warnings = generate.generate(args.spec, staging)
    except RuntimeError as exc:  # the generator itself failed: its output says why
        _remove(staging, args.out)
        print(f"generate: {exc}", file=sys.stderr)
        return 1
    if warnings:
        _remove(staging, args.out)
        for warning in warnings:
            print(f"generator: {warning}", file=sys.stderr)
        print(f"generate: {len(warnings)} warning(s); nothing generated", file=sys.stderr)
        return 1
    _remove(args.out)
    staging.rename(args.out)
    print(f"generate: {_show(args.out)} (0 warning(s))")
    return 0


def cmd_update(args: argparse.Namespace) -> int:
    source = pin.Pin.load().source()
    old, new = pin.update(source)
    repinned = pin.Pin.load()
    print(f"spec-update: {old} -> {new} ({repinned.file})")
    print(f"spec-update: provenance: {repinned.provenance}")
    print("spec-update: now run `make generate` (then `make test` and `make contract`)")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    source = str(args.spec)
    upstream = pin.parse_spec(pin.read_source(source), source)
    result = build(upstream, Decisions.load(args.decisions), provisional=True)
    form = f"OpenAPI {result.declared}"
    if result.rendering is not None and result.declared.startswith("3.0."):
        form += f", normalised to {result.rendering.effective['openapi']}"
    print(f"check: {source} ({form})")
    for line in result.lines():
        print(line)
    removed = result.removed_empty_paths
    print(f"check: {len(removed)} empty path item(s) removed")
    print(f"check: {_summary(result)}")
    if args.generate_into and result.rendering is not None:
        path = args.generate_into / "openapi.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_json(result.rendering.effective), encoding="utf-8")
        warnings = generate.generate(path, args.generate_into / "eaccounting_api")
        for warning in warnings:
            print(f"generator: {warning}")
        print(f"check: generated with {len(warnings)} warning(s)")
    return 0 if result.ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spec", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("fetch").set_defaults(func=cmd_fetch)
    p = sub.add_parser("normalise")
    p.add_argument("--spec", type=Path, default=UPSTREAM)
    p.add_argument("--out", type=Path, default=NORMALISED)
    p.set_defaults(func=cmd_normalise)
    p = sub.add_parser("overlay")
    p.add_argument("--spec", type=Path, default=NORMALISED)
    p.add_argument("--out", type=Path, default=EFFECTIVE)
    p.add_argument("--decisions", type=Path, default=DECISIONS_FILE)
    p.set_defaults(func=cmd_overlay)
    p = sub.add_parser("validate")
    p.add_argument("--spec", type=Path, default=EFFECTIVE)
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("generate")
    p.add_argument("--spec", type=Path, default=EFFECTIVE.with_suffix(".json"))
    p.add_argument("--out", type=Path, default=GENERATED / "eaccounting_api")
    p.set_defaults(func=cmd_generate)
    sub.add_parser("update").set_defaults(func=cmd_update)
    p = sub.add_parser("check")
    p.add_argument("--spec", required=True, help="path or http(s) URL of a spec (YAML or JSON)")
    p.add_argument("--generate-into", type=Path, help="also generate a client into this folder")
    p.add_argument("--decisions", type=Path, default=DECISIONS_FILE)
    p.set_defaults(func=cmd_check)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except (pin.PinError, NormaliseError, DecisionsError) as exc:
        print(f"spec {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

"""The spec pipeline: ``python -m spec <command>`` (the Makefile calls these).

fetch      copy the pinned upstream spec to generated/upstream.yaml, refusing a hash mismatch
overlay    apply overlays/ strictly → generated/openapi.yaml (+ .json); unmatched actions fail
validate   openapi-spec-validator on the effective spec
generate   openapi-python-client → generated/eaccounting_api
update     re-pin to the spec at EACCOUNTING_SPEC (after reviewing its diff)
check      apply overlays to any spec and report what no longer applies (no pin, no failure)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from spec import generate, pin
from spec.documents import dump_json, dump_yaml, load_yaml
from spec.overlays import apply_overlays

GENERATED = pin.REPO / "generated"
UPSTREAM = GENERATED / "upstream.yaml"
EFFECTIVE = GENERATED / "openapi.yaml"
REPORT = GENERATED / "overlay-report.txt"


def cmd_fetch(args: argparse.Namespace) -> int:
    digest = pin.fetch(UPSTREAM)
    print(f"spec: {UPSTREAM.relative_to(pin.REPO)} sha256 {digest} (pinned)")
    return 0


def cmd_overlay(args: argparse.Namespace) -> int:
    effective, report = apply_overlays(load_yaml(args.spec))
    text = report.render()
    REPORT.write_text(text + "\n", encoding="utf-8")
    print(text)
    if report.unmatched and not args.allow_unmatched:
        print(f"overlay: {len(report.unmatched)} action(s) matched nothing", file=sys.stderr)
        return 1
    pin.write_atomically(args.out, dump_yaml(effective).encode("utf-8"))
    pin.write_atomically(args.out.with_suffix(".json"), dump_json(effective).encode("utf-8"))
    print(f"overlay: wrote {args.out.relative_to(pin.REPO)}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    errors = generate.validation_errors(load_yaml(args.spec))
    for error in errors:
        print(f"invalid: {error}", file=sys.stderr)
    print(f"validate: {len(errors)} error(s) in {args.spec.name}")
    return 1 if errors else 0


def cmd_generate(args: argparse.Namespace) -> int:
    warnings = generate.generate(args.spec, args.out)
    for warning in warnings:
        print(f"generator: {warning}", file=sys.stderr)
    print(f"generate: {args.out.relative_to(pin.REPO)} ({len(warnings)} warning(s))")
    return 1 if warnings else 0


def cmd_update(args: argparse.Namespace) -> int:
    source = pin.Pin.load().source()
    old, new = pin.update(source)
    print(f"spec-update: {old} -> {new} ({source}); now run `make generate` and `make contract`")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    effective, report = apply_overlays(load_yaml(args.spec))
    print(report.render())
    errors = generate.validation_errors(effective)
    for error in errors:
        print(f"INVALID after overlays: {error}")
    print(f"check: {len(report.unmatched)} unmatched action(s), {len(errors)} validation error(s)")
    if args.generate_into:
        path = args.generate_into / "openapi.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_json(effective), encoding="utf-8")
        warnings = generate.generate(path, args.generate_into / "eaccounting_api")
        for warning in warnings:
            print(f"generator: {warning}")
        print(f"check: generated with {len(warnings)} warning(s)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spec", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("fetch").set_defaults(func=cmd_fetch)
    p = sub.add_parser("overlay")
    p.add_argument("--spec", type=Path, default=UPSTREAM)
    p.add_argument("--out", type=Path, default=EFFECTIVE)
    p.add_argument("--allow-unmatched", action="store_true")
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
    p.add_argument("--spec", type=Path, required=True)
    p.add_argument("--generate-into", type=Path, help="also generate a client into this folder")
    p.set_defaults(func=cmd_check)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except pin.PinError as exc:
        print(f"spec: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

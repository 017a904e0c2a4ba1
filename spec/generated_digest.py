"""The committed fingerprint of ``make generate``'s output: ``spec/generated.sha256``.

The generator must give the same bytes for the same pinned spec, decisions and templates, on any
day and any machine. Two generations compared with each other cannot show a date stamp or a
machine path (both runs share them), so the output is compared with this committed manifest
(``sha256sum`` format: one ``<sha256>  <path>`` line per file, sorted by path).

    python -m spec.generated_digest            # check generated/eaccounting_api (exit 1 if not)
    python -m spec.generated_digest --write    # refresh the manifest: make generated-digest

A template, overlay, decision or generator change changes the output on purpose: then refresh
the manifest with ``make generated-digest`` and commit it with the change.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GENERATED = REPO / "generated" / "eaccounting_api"
MANIFEST = REPO / "spec" / "generated.sha256"
REFRESH = "make generated-digest"


def manifest(root: Path = GENERATED) -> dict[str, str]:
    """sha256 of every file under ``root`` (bytecode caches aside), by POSIX relative path."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def render(files: dict[str, str]) -> str:
    return "".join(f"{digest}  {name}\n" for name, digest in sorted(files.items()))


def parse(text: str) -> dict[str, str]:
    files = {}
    for number, line in enumerate(text.splitlines(), start=1):
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64:
            raise ValueError(f"{MANIFEST.name}:{number}: expected '<sha256>  <path>', got {line!r}")
        files[name] = digest
    return files


def differences(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    """What differs, one line per file: added, missing or changed."""
    out = [f"added:   {name}" for name in sorted(actual.keys() - expected.keys())]
    out += [f"missing: {name}" for name in sorted(expected.keys() - actual.keys())]
    out += [
        f"changed: {name}"
        for name in sorted(expected.keys() & actual.keys())
        if expected[name] != actual[name]
    ]
    return out


def check(root: Path = GENERATED, committed: Path = MANIFEST) -> list[str]:
    """Empty when ``root`` matches the committed manifest; else the differences and the fix."""
    if not root.is_dir():
        return [f"{root} does not exist: run `make generate` first"]
    found = differences(parse(committed.read_text(encoding="utf-8")), manifest(root))
    if found:
        found.append(
            f"generated/eaccounting_api differs from {committed.name} in "
            f"{len(found)} file(s). If the generator's output should not depend on the day, the "
            "machine or the run, fix that; if the change is intended (templates, overlays, "
            f"decisions, a re-pin), run `{REFRESH}` and commit {committed.name}."
        )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m spec.generated_digest", description=__doc__)
    parser.add_argument("--write", action="store_true", help="refresh the committed manifest")
    parser.add_argument("--manifest", type=Path, default=MANIFEST, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.write:
        files = manifest()
        args.manifest.write_text(render(files), encoding="utf-8")
        print(f"generated-digest: wrote {args.manifest} ({len(files)} files)")
        return 0
    problems = check(GENERATED, args.manifest)
    for line in problems:
        print(line, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

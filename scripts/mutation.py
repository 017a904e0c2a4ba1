"""``make mutation``: cosmic-ray over the modules that hold the library's promises.

Each module is mutated with its own focused test selection (the whole suite per mutant would take
days on two cores). The mutants are applied to a copy of the work tree (one per module, in
``.mutation/trees/``), never to the checkout itself, so editing and testing can go on while it
runs, and two runs can share the machine's cores. The copy is imported ahead of
the editable install through PYTHONPATH.

    python scripts/mutation.py                 # every module, then the score table
    python scripts/mutation.py tokens retries  # only these (names from TARGETS)
    python scripts/mutation.py --survivors tokens  # re-test only the last run's survivors
    python scripts/mutation.py --report        # the table from the last run, nothing re-run

The table (Markdown) goes to stdout and ``.mutation/scores.md``; surviving mutants follow it with
their diffs, for docs/reliability.md's list of equivalent mutants.
"""

from __future__ import annotations

import argparse
import ast
import datetime
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / ".mutation"
TREES = WORK / "trees"
# Per mutant: generous against a 2-core machine shared with others; a hung mutant counts as killed.
TIMEOUT_SECONDS = 120.0
SKIPPED_ANNOTATION = "annotation: not evaluated (from __future__ import annotations)"
# Stop at the first failure; leave out the plugins no selected test needs (their imports are
# most of a run's start-up, paid once per mutant).
PYTEST_OPTIONS = (
    "-x -q -p no:cacheprovider -p no:schemathesis -p no:hypothesispytest -p no:benchmark "
    "-o addopts=--import-mode=importlib"
)
SKIPPED_OPERATOR = "operator outside the set used here"
SKIPPED_SCOPE = "outside the promise's scope"
# cosmic-ray replaces each binary operator by ten others and each comparison by seven. Left out:
# arithmetic turned into shifts, powers, modulo, floor division or bit operations (a test that
# tells + from - tells it from << too, and they only multiply the count), and == / < turned into
# `is` (for small ints and interned strings `is` answers like ==: equivalent or undefined).
EXCLUDED_OPERATORS = re.compile(
    r"core/ReplaceBinaryOperator_\w+?_(FloorDiv|Mod|Pow|RShift|LShift)"
    r"|core/ReplaceBinaryOperator_(Add|Sub|Mul|Div)_(BitOr|BitAnd|BitXor)"
    r"|core/ReplaceComparisonOperator_(Eq|NotEq|Lt|LtE|Gt|GtE)_(Is|IsNot)"
)


@dataclass(frozen=True)
class Equivalent:
    """A surviving mutant no test can kill, found by module, operator and the line it changes."""

    target: str
    operator: str  # without "core/", e.g. "ReplaceBinaryOperator_BitOr_Add"
    line: str  # the original line, stripped
    reason: str


_KEYWORD_STAR = "a `*` in a signature turned into `/`: every caller passes the argument by keyword"
_DISJOINT = "the flags are distinct bits, so `|`, `+` and `^` give the same number"
_ENUM_IS = "enum members are singletons: `is` and `==` answer alike"
_NON_POSIX = "the branch for platforms without fcntl; it cannot run on Linux"
EQUIVALENTS = (
    Equivalent(
        "retries",
        "ReplaceBinaryOperator_Mul_Div",
        "def may_retry_method(self, method: str, *, sent: bool) -> bool:",
        _KEYWORD_STAR,
    ),
    Equivalent(
        "tokens",
        "ReplaceBinaryOperator_Mul_Div",
        "def expires_within(self, seconds: float, *, now: float | None = None) -> bool:",
        _KEYWORD_STAR,
    ),
    *(
        Equivalent("tokens", f"ReplaceBinaryOperator_BitOr_{op}", line, _DISJOINT)
        for op in ("Add", "BitXor")
        for line in (
            "fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)",
            "fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)",
        )
    ),
    Equivalent("tokens", "ReplaceTrueWithFalse", "return True", _NON_POSIX),
    Equivalent("transport", "ReplaceBinaryOperator_Mul_Div", "*,", _KEYWORD_STAR),
    *(
        Equivalent(
            "transport",
            operator,
            "if 300 <= response.status_code < 400 and not (",
            "a status of 400 or more never gets here: the transport raised its typed error first",
        )
        for operator in ("ReplaceComparisonOperator_Lt_LtE", "NumberReplacer")
    ),
    Equivalent(
        "transport",
        "ReplaceComparisonOperator_Lt_NotEq",
        "if 300 <= response.status_code < 400 and not (",
        "a status of 400 or more never gets here: the transport raised its typed error first",
    ),
    Equivalent(
        "tokens",
        "NumberReplacer",
        "_PROBE_BYTES = 8192",
        "the probe's size is headroom over a ~2 KB token file: 8191 or 8193 bytes probe as well",
    ),
    Equivalent(
        "tokens",
        "ExceptionReplacer",
        "except ImportError:  # pragma: no cover - non-POSIX",
        _NON_POSIX,
    ),
    Equivalent("oauth", "ReplaceBinaryOperator_Mul_Div", "*,", _KEYWORD_STAR),
    Equivalent(
        "oauth",
        "ReplaceComparisonOperator_Eq_LtE",
        'if error == "invalid_grant" and grant == "authorization_code":',
        'the grants are "authorization_code" and "refresh_token": `<=` answers like `==` for both',
    ),
    Equivalent(
        "oauth",
        "ReplaceBinaryOperator_Mul_Div",
        "def __init__(self, message: str, *, error: str | None = None) -> None:",
        _KEYWORD_STAR,
    ),
    *(
        Equivalent(
            "report",
            op,
            "else SYMBOL[Status.STUB if self.status is Status.STUB else Status.PASSED]",
            reason,
        )
        for op, reason in (
            ("ReplaceComparisonOperator_Is_Eq", _ENUM_IS),
            (
                "ReplaceComparisonOperator_Is_GtE",
                'Status is a str enum and no status value sorts after "stub": >= is ==',
            ),
        )
    ),
    Equivalent(
        "report",
        "ReplaceComparisonOperator_Is_Eq",
        "if all(self.cell(r, o).status is Status.NOT_EXERCISED for r in self.regions)",
        _ENUM_IS,
    ),
    Equivalent(
        "oauth",
        "ReplaceComparisonOperator_Eq_LtE",
        'if error == "invalid_grant" and grant == "authorization_code":',
        'the only other grant is "refresh_token", which sorts after "authorization_code"',
    ),
    Equivalent(
        "transport",
        "ReplaceBinaryOperator_Mul_Div",
        "self, inner: httpx.AsyncBaseTransport, pipeline: Pipeline, *, owns_inner: bool = True",
        _KEYWORD_STAR,
    ),
    Equivalent(
        "transport",
        "ReplaceTrueWithFalse",
        "self, inner: httpx.AsyncBaseTransport, pipeline: Pipeline, *, owns_inner: bool = True",
        "the default is never used: the one caller (the client) always passes owns_inner",
    ),
    Equivalent(
        "transport",
        "ReplaceComparisonOperator_NotEq_Lt",
        "and reauthorized_at != attempt",
        "reauthorized_at is only ever set to the current attempt, which only grows: != is <",
    ),
    *(
        Equivalent(
            "transport",
            op,
            "reauthorized_at = -1",
            "any value below the first attempt (0) means 'not yet': -2 and ~1 (= -2) too",
        )
        for op in ("NumberReplacer", "ReplaceUnaryOperator_USub_Invert")
    ),
    Equivalent(
        "transport",
        "ReplaceComparisonOperator_Gt_NotEq",
        "if wait > 0:",
        "the limiter's reserve() never returns a negative wait, so > 0 is != 0",
    ),
    Equivalent(
        "transport",
        "NumberReplacer",
        "debug = logger.isEnabledFor(10)",
        "isEnabledFor(11) differs from isEnabledFor(10) only for a custom level 11 (the 9 "
        "variant is killed)",
    ),
    Equivalent(
        "cassettes",
        "ReplaceComparisonOperator_Eq_GtE",
        'record_mode="none" if mode == "replay" else "all",',
        'only "replay" and "record" get here, and "record" < "replay"',
    ),
    Equivalent(
        "overlays",
        "ReplaceComparisonOperator_Eq_LtE",
        "return [r for r in self.results if r.matches == 0]",
        "a match count is never negative, so == 0 is <= 0",
    ),
    Equivalent(
        "overlays",
        "ReplaceComparisonOperator_Gt_NotEq",
        "out[r.file] = (total + 1, matched + (r.matches > 0))",
        "a match count is never negative, so > 0 is != 0",
    ),
    Equivalent(
        "harness-main",
        "ReplaceComparisonOperator_Eq_LtE",
        'if __name__ == "__main__":',
        'run as `python -m harness` the name is "__main__"; imported it is "harness.__main__", '
        'which sorts after "__main__": <= answers like ==',
    ),
    *(
        Equivalent(
            "harness-main",
            op,
            "elapsed = time.perf_counter() - started",
            "the run's duration, printed for people; no verdict depends on it",
        )
        for op in (
            "ReplaceBinaryOperator_Sub_Add",
            "ReplaceBinaryOperator_Sub_Mul",
            "ReplaceBinaryOperator_Sub_Div",
        )
    ),
    *(
        Equivalent(
            "harness-main",
            op,
            line,
            "the progress bar on stderr (not drawn without a terminal); no verdict depends on it",
        )
        for op, line in (
            (
                "ReplaceTrueWithFalse",
                "with Progress(*columns, console=console, transient=True) as progress:",
            ),
            (
                "NumberReplacer",
                'progress.update(tasks[region], advance=1, description=f"{region} {operation}")',
            ),
        )
    ),
)


@dataclass(frozen=True)
class Target:
    name: str
    module: str
    tests: tuple[str, ...]
    #: Top-level functions/classes holding the promise (empty: the whole module). Mutants
    #: elsewhere (e.g. rendering the Markdown report) are skipped and not scored.
    scope: tuple[str, ...] = ()


_TOKEN_TESTS = (
    "tests/facade/test_token_values.py",
    "tests/facade/test_token_state.py",
    "tests/facade/test_tokens.py",
    "tests/facade/test_auth.py",
    "tests/reliability/test_tokens.py",
    "tests/reliability/test_suite_strength.py",
    # Issue 16's token-store promises: no lockout, the token file, the bounded lock wait.
    "tests/reliability/test_no_lockout.py",
    "tests/reliability/test_token_file.py",
    "tests/reliability/test_token_lock_wait.py",
)
_RETRY_TESTS = (
    "tests/facade/test_retry_policy.py",
    "tests/facade/test_retries.py",
    "tests/facade/test_transport_rules.py",
    "tests/reliability/test_writes.py",
)
TARGETS = (
    Target("tokens", "src/eaccounting/tokens.py", _TOKEN_TESTS),
    Target("oauth", "src/eaccounting/_oauth.py", _TOKEN_TESTS),
    Target("retries", "src/eaccounting/retries.py", _RETRY_TESTS),
    Target(
        "transport",
        "src/eaccounting/_async/transport.py",
        (
            *_RETRY_TESTS,
            "tests/facade/test_auth.py",
            # Issue 16: the bearer stays home, the call deadline, 3xx as a typed error.
            "tests/reliability/test_credentials_stay_home.py",
            "tests/reliability/test_deadlines.py",
            "tests/reliability/test_typed_failures.py",
        ),
    ),
    Target(
        "cassettes",
        "harness/cassettes.py",
        (
            "tests/harness/test_scrubbing.py",
            "tests/harness/test_cassettes.py",
            "tests/harness/test_recording.py",
        ),
    ),
    Target(
        "overlays",
        "spec/overlays.py",
        (
            "tests/pipeline/test_overlay_strictness.py",
            "tests/pipeline/test_overlays.py",
            "tests/pipeline/test_exit_status.py",
        ),
        scope=("ActionResult", "OverlayReport", "_kind", "apply_documents"),
    ),
    Target(
        "report",
        "harness/report.py",
        (
            "tests/harness/test_verdict.py",
            "tests/harness/test_report.py",
            "tests/harness/test_exit_status.py",
        ),
        scope=("Status", "Cell", "Matrix"),
    ),
    Target("harness-main", "harness/__main__.py", ("tests/harness/test_exit_status.py",)),
)


def copy_tree(tree: Path) -> None:
    """The committed and untracked (not ignored) files, plus generated/, into ``tree``."""
    if tree.exists():
        shutil.rmtree(tree)
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for raw in listed:
        if not raw:
            continue
        rel = Path(os.fsdecode(raw))
        source = ROOT / rel
        if source.is_file() and not rel.parts[0].startswith(".mutation"):
            (tree / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, tree / rel)
    shutil.copytree(ROOT / "generated", tree / "generated")
    # Tests that reach ../shared (the pinned spec) find it beside the copy too.
    shared = tree.parent / "shared"
    if not shared.exists() and (ROOT.parent / "shared").exists():
        shared.symlink_to(ROOT.parent / "shared")


def environment(tree: Path) -> dict[str, str]:
    env = dict(os.environ)
    paths = [str(tree / "src"), str(tree / "generated"), str(tree)]
    env["PYTHONPATH"] = os.pathsep.join([*paths, env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env.setdefault("RELIABILITY_LOAD_SECONDS", "5")
    return env


def cosmic_ray(tree: Path, *args: str) -> None:
    command = [sys.executable, "-m", "cosmic_ray.cli", *args]
    subprocess.run(command, cwd=tree, env=environment(tree), check=True)


def run(target: Target, *, survivors_only: bool = False) -> None:
    """Mutate ``target`` in a tree of its own (so two runs of this script may go side by side).

    With ``survivors_only`` the last run's mutants are kept and only its survivors are tested
    again, against the current tests (after adding tests that should kill them).
    """
    tree = TREES / target.name
    copy_tree(tree)
    config = WORK / f"{target.name}.toml"
    database = WORK / f"{target.name}.sqlite"
    missing = [t for t in target.tests if not (tree / t.split("::")[0]).exists()]
    if missing:
        raise SystemExit(f"{target.name}: test file(s) {missing} do not exist; fix TARGETS")
    tests = " ".join(target.tests)
    config.write_text(
        "[cosmic-ray]\n"
        f'module-path = "{target.module}"\n'
        f"timeout = {TIMEOUT_SECONDS}\n"
        "excluded-modules = []\n"
        f'test-command = "{sys.executable} -m pytest {PYTEST_OPTIONS} {tests}"\n'
        "[cosmic-ray.distributor]\n"
        'name = "local"\n',
        encoding="utf-8",
    )
    print(f"== {target.name}: {target.module} with {tests}", flush=True)
    if survivors_only and database.exists():
        with sqlite3.connect(database) as db:
            db.execute("DELETE FROM work_results WHERE test_outcome = 'SURVIVED'")
    else:
        database.unlink(missing_ok=True)
        cosmic_ray(tree, "init", str(config), str(database))
        skip_unjudged(database, tree / target.module, target.scope)
    cosmic_ray(tree, "baseline", str(config))
    cosmic_ray(tree, "exec", str(config), str(database))


def annotation_spans(source: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Where the module's annotations are: (line, column) start and end of each."""
    spans = []
    for node in ast.walk(ast.parse(source)):
        notes: list[ast.expr | None] = []
        if isinstance(node, ast.arg):
            notes.append(node.annotation)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            notes.append(node.returns)
        elif isinstance(node, ast.AnnAssign):
            notes.append(node.annotation)
        for note in notes:
            if note is not None and note.end_lineno is not None and note.end_col_offset is not None:
                spans.append(
                    ((note.lineno, note.col_offset), (note.end_lineno, note.end_col_offset))
                )
    return spans


def scope_lines(source: str, names: tuple[str, ...]) -> set[int]:
    """The lines of the top-level definitions ``names`` (decorators included)."""
    lines: set[int] = set()
    found = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name in names:
                found.add(node.name)
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                lines.update(range(first, (node.end_lineno or node.lineno) + 1))
    if set(names) - found:
        raise SystemExit(f"scope names {sorted(set(names) - found)} are not defined: fix TARGETS")
    return lines


def skip_unjudged(database: Path, module: Path, scope: tuple[str, ...] = ()) -> None:
    """Mark as skipped the mutants of EXCLUDED_OPERATORS and those inside annotations.

    Under ``from __future__ import annotations`` annotations are never evaluated, so every
    mutant there (``str | None`` → ``str - None``) is equivalent; cosmic-ray makes them anyway.
    """
    from cosmic_ray.work_db import WorkDB, use_db
    from cosmic_ray.work_item import WorkerOutcome, WorkResult

    source = module.read_text(encoding="utf-8")
    assert "from __future__ import annotations" in source, f"{module}: annotations evaluated"
    spans = annotation_spans(source)
    in_scope = scope_lines(source, scope) if scope else None
    with use_db(str(database), WorkDB.Mode.open) as db:
        for item in list(db.pending_work_items):
            mutation = item.mutations[0]
            start = tuple(mutation.start_pos)
            reason = None
            if EXCLUDED_OPERATORS.fullmatch(mutation.operator_name):
                reason = SKIPPED_OPERATOR
            elif in_scope is not None and start[0] not in in_scope:
                reason = SKIPPED_SCOPE
            elif any(low <= start < high for low, high in spans):
                reason = SKIPPED_ANNOTATION
            if reason is not None:
                db.set_result(
                    item.job_id, WorkResult(output=reason, worker_outcome=WorkerOutcome.SKIPPED)
                )


@dataclass
class Score:
    target: Target
    total: int
    annotations: int
    killed: int
    incompetent: int
    equivalent: list[str]
    survivors: list[str]

    @property
    def judged(self) -> int:
        return self.total - self.annotations - self.incompetent

    @property
    def percent(self) -> float:
        """Killed among the mutants judged (equivalent survivors count as not killed)."""
        return 100.0 * self.killed / self.judged if self.judged else 100.0

    @property
    def percent_killable(self) -> float:
        """Killed among the mutants that can be killed (listed equivalents left out)."""
        killable = self.judged - len(self.equivalent)
        return 100.0 * self.killed / killable if killable else 100.0


def score(target: Target) -> Score | None:
    database = WORK / f"{target.name}.sqlite"
    if not database.exists():
        return None
    dump = subprocess.run(
        [sys.executable, "-m", "cosmic_ray.cli", "dump", str(database)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    total = annotations = killed = incompetent = 0
    survivors: list[str] = []
    equivalent: list[str] = []
    for line in dump.splitlines():
        item, result = json.loads(line)
        total += 1
        outcome = (result or {}).get("test_outcome")
        if (result or {}).get("output") in (SKIPPED_OPERATOR, SKIPPED_SCOPE):
            total -= 1
        elif (result or {}).get("output") == SKIPPED_ANNOTATION:
            annotations += 1
        elif outcome == "killed":
            killed += 1
        elif outcome == "incompetent":
            incompetent += 1
        else:
            mutation = item["mutations"][0]
            operator = mutation["operator_name"].removeprefix("core/")
            where = f"{mutation['module_path']}:{mutation['start_pos'][0]}"
            diff = (result or {}).get("diff") or "(not run)"
            original = _original_line(diff)
            reason = next(
                (
                    e.reason
                    for e in EQUIVALENTS
                    if (e.target, e.operator, e.line) == (target.name, operator, original)
                ),
                None,
            )
            if reason is not None and outcome == "survived":
                equivalent.append(f"{where} {operator}: `{original}`: {reason}")
            else:
                survivors.append(f"{where} {operator}#{mutation['occurrence']}\n{diff}")
    return Score(target, total, annotations, killed, incompetent, equivalent, survivors)


def _original_line(diff: str) -> str:
    """The line a mutant changed, as it was (the first removed line of its diff)."""
    for line in diff.splitlines():
        if line.startswith("-") and not line.startswith("---"):
            return line[1:].strip()
    return ""


def table(scores: list[Score]) -> str:
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    lines = [
        f"Measured {today} with cosmic-ray {version('cosmic-ray')} on {machine}.",
        "",
        "| module | mutants | killed | equivalent | other survivors | killed of all "
        "| killed of killable |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in scores:
        scope = f" ({', '.join(s.target.scope)})" if s.target.scope else ""
        lines.append(
            f"| `{s.target.module}`{scope} | {s.judged} | {s.killed} | {len(s.equivalent)} "
            f"| {len(s.survivors)} | {s.percent:.1f} % | {s.percent_killable:.1f} % |"
        )
    lines += [
        "",
        "Mutants in annotations (never evaluated) and of the operators left out are not counted;",
        "incompetent mutants (the module no longer imports) neither. Tests per module:",
        "",
    ]
    lines += [f"- {s.target.name}: " + ", ".join(f"`{t}`" for t in s.target.tests) for s in scores]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help=f"any of {[t.name for t in TARGETS]}")
    parser.add_argument("--report", action="store_true", help="only print the last run's table")
    parser.add_argument(
        "--survivors", action="store_true", help="re-test only the last run's surviving mutants"
    )
    args = parser.parse_args(argv)
    known = {t.name: t for t in TARGETS}
    unknown = [m for m in args.modules if m not in known]
    if unknown:
        parser.error(f"unknown module(s) {unknown}; choose from {sorted(known)}")
    chosen = [known[m] for m in args.modules] or list(TARGETS)
    WORK.mkdir(exist_ok=True)
    if not args.report:
        for target in chosen:
            run(target, survivors_only=args.survivors)
    scores = [s for s in (score(t) for t in TARGETS) if s is not None]
    text = table(scores)
    survivors = "\n".join(
        f"### {s.target.name}\nequivalent:\n"
        + "\n".join(f"- {e}" for e in s.equivalent)
        + "\nnot killed:\n"
        + "\n".join(s.survivors)
        for s in scores
    )
    (WORK / "scores.md").write_text(text + "\n", encoding="utf-8")
    (WORK / "survivors.txt").write_text(survivors + "\n", encoding="utf-8")
    print(text)
    print(f"\nsurviving mutants with their diffs: {WORK / 'survivors.txt'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

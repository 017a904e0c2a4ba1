"""Derive the synchronous client from the asynchronous source (httpcore's scripts/unasync.py).

    python scripts/unasync.py            rewrite src/eaccounting/_sync/ from src/eaccounting/_async/
    python scripts/unasync.py --check    exit 1, naming the files, if _sync/ is not what it derives

Only ``_async/`` is edited by hand. Each line is rewritten by the word-level substitutions in
``SUBS`` (``async def`` → ``def``, ``await x`` → ``x``, ``AsyncCustomers`` → ``Customers`` …);
a line ending in ``# unasync: remove`` is dropped. Imports the rewrite leaves unused are
removed and the result formatted with ruff, so the derived files pass ``make lint`` as they are.
The hand-written seams (sleeping, prefetch, locking) live in ``eaccounting/_concurrency.py``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "eaccounting" / "_async"
TARGET = ROOT / "src" / "eaccounting" / "_sync"

HEADER = (
    "# Derived from src/eaccounting/_async/{name} by scripts/unasync.py: do not edit.\n"
    "# Change the async source and run `make unasync` (`make lint` fails when they drift).\n"
)

#: Identifiers renamed as whole words (the async name → its sync twin).
RENAMES: dict[str, str] = {
    # language and standard library
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    "__aiter__": "__iter__",
    "__anext__": "__next__",
    "AsyncIterator": "Iterator",
    "AsyncIterable": "Iterable",
    "StopAsyncIteration": "StopIteration",
    "aclose": "close",
    "aread": "read",
    "asynchronous": "synchronous",
    # httpx and authlib
    "AsyncBaseTransport": "BaseTransport",
    "AsyncHTTPTransport": "HTTPTransport",
    "AsyncByteStream": "SyncByteStream",
    "handle_async_request": "handle_request",
    "AsyncOAuth2Client": "OAuth2Client",
    "async_client": "sync_client",
    # this package: names whose sync twin is not just the name without "Async"
    "AsyncPager": "SyncPager",
    "AsyncList": "SyncList",
    "AsyncGet": "SyncGet",
    "AsyncCreate": "SyncCreate",
    "AsyncUpdate": "SyncUpdate",
    "AsyncDelete": "SyncDelete",
    "AsyncResource": "SyncResource",
    "AsyncResources": "SyncResources",
    "AsyncRequester": "SyncRequester",
    "achanged_since": "changed_since",
    "aaccess_token": "access_token",
    "arefresh": "refresh",
    "aexchange_code": "exchange_code",
    "_arotate": "_rotate",
    "_arotated_elsewhere": "_rotated_elsewhere",
    "_apost_refresh": "_post_refresh",
    "_acall_token_endpoint": "_call_token_endpoint",
    "_async_oauth": "_sync_oauth",
    "async_sleep": "sleep",
    "aprefetched": "prefetched",
    "_aread": "_read",
    "ashielded": "shielded",
    "arefresh_lock": "refresh_lock",
    "is_async=True": "is_async=False",
    "bind_async_api": "bind_sync_api",
}

#: Applied in order to every line (after the word renames).
SUBS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\basync def\b"), "def"),
    (re.compile(r"\basync with\b"), "with"),
    (re.compile(r"\basync for\b"), "for"),
    (re.compile(r"\bawait "), ""),
    (re.compile(r"\basyncio\.sleep\b"), "time.sleep"),
    # AsyncCustomers -> Customers, AsyncClient -> Client, _AsyncKeepOpen -> _KeepOpen
    (re.compile(r"\b(_?)Async([A-Z]\w*)"), r"\1\2"),
]

_RENAME = re.compile(
    "|".join(rf"(?<!\w){re.escape(k)}(?!\w)" for k in sorted(RENAMES, key=len, reverse=True))
)
REMOVE_MARK = "# unasync: remove"


def unasync_name(name: str) -> str:
    """The sync twin of an async identifier (used by the parity test as well)."""
    return unasync_line(name)


def _unwrap_awaitable(line: str) -> str:
    """``Awaitable[X]`` → ``X`` (brackets inside ``X`` matched)."""
    while (start := line.find("Awaitable[")) != -1:
        depth, end = 0, start
        for end in range(start + len("Awaitable"), len(line)):
            depth += {"[": 1, "]": -1}.get(line[end], 0)
            if depth == 0:
                break
        line = line[:start] + line[start + len("Awaitable[") : end] + line[end + 1 :]
    return line


def unasync_line(line: str) -> str:
    line = _RENAME.sub(lambda m: RENAMES[m.group(0)], line)
    for pattern, replacement in SUBS:
        line = pattern.sub(replacement, line)
    return _unwrap_awaitable(line)


def unasync_source(text: str, name: str) -> str:
    lines = [
        unasync_line(line)
        for line in text.splitlines(keepends=True)
        if not line.rstrip().endswith(REMOVE_MARK)
    ]
    return _format(HEADER.format(name=name) + "".join(lines), name)


def _ruff(args: list[str], text: str, name: str) -> str:
    ruff = Path(sys.executable).parent / "ruff"
    # Formatted as if in place (the project's ruff settings), wherever TARGET points.
    as_if = ROOT / "src" / "eaccounting" / "_sync" / name
    command = [str(ruff), *args, "--stdin-filename", str(as_if), "-"]
    result = subprocess.run(
        command, input=text, capture_output=True, text=True, check=False, cwd=ROOT
    )
    if result.returncode != 0:
        raise SystemExit(f"unasync: {' '.join(command[:3])} failed on {name}: {result.stderr}")
    return result.stdout


def _format(text: str, name: str) -> str:
    # The rewrite leaves imports unused (Awaitable), names out of order, `for x in y: yield x`.
    fixes = ["check", "--fix", "--unsafe-fixes", "--quiet", "--select", "F401,I001,UP028,RUF022"]
    text = _ruff(fixes, text, name)
    return _ruff(["format", "--quiet"], text, name)


def expected() -> dict[Path, str]:
    out: dict[Path, str] = {}
    for source in sorted(SOURCE.glob("*.py")):
        out[TARGET / source.name] = unasync_source(source.read_text(), source.name)
    return out


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    wanted = expected()
    stale = sorted(p for p in TARGET.glob("*.py") if p not in wanted)
    drift = [p for p, text in wanted.items() if not p.exists() or p.read_text() != text]
    if check:
        for path in drift + stale:
            print(f"unasync: {_shown(path)} differs from what {SOURCE.name}/ derives")
        if drift or stale:
            print("unasync: run `make unasync` and commit the result")
            return 1
        print(f"unasync: {len(wanted)} files in _sync/ match _async/")
        return 0
    TARGET.mkdir(exist_ok=True)
    for path in stale:
        path.unlink()
    for path in drift:
        path.write_text(wanted[path])
        print(f"unasync: wrote {_shown(path)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

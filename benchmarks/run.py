"""``make bench``: the performance measurements of issues 7 and 12, side by side in one run.

    .venv/bin/python benchmarks/run.py                 # all of them; writes docs/benchmarks.md
    .venv/bin/python benchmarks/run.py parse import    # a subset; writes nothing

Where a goal is a ratio, both sides are measured in the same run on the same machine
(json.loads of the same bytes, bare httpx on the same route, ``import httpx``), so a busy or
slow machine moves both; rates are the best of several repetitions. Timing goals live here
only; the test suite asserts behaviour, never speed.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import gc
import itertools
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.synth import page  # noqa: E402

DOC = REPO / "docs" / "benchmarks.md"
LOAD_AT_START = os.getloadavg()


@dataclass
class Result:
    name: str
    figure: str  # the measurement, with its baseline
    goal: str
    met: bool | None  # None: informational, no goal
    note: str = ""
    bound: str = ""  # what limits the figure, shown when the goal is missed


def best_of(
    fn: Callable[[], object], repeat: int, clock: Callable[[], float] = time.perf_counter
) -> float:
    """The fastest of ``repeat`` timed calls (the least disturbed by other load)."""
    best = float("inf")
    for _ in range(repeat):
        start = clock()
        fn()
        best = min(best, clock() - start)
    return best


# CPU time of this process: the parse is single-threaded Python, and on a shared machine wall
# time also counts the moments another process held the core.
cpu = time.process_time


# -- 1. parse ------------------------------------------------------------------------------------
def bench_parse() -> list[Result]:
    from decimal import Decimal

    from eaccounting._bodies import parse_model
    from eaccounting._json_wire import loads
    from eaccounting.paging import parse_page

    rows = 1000
    raw = page("CustomerInvoiceApi", rows=rows)
    parse_item = functools.partial(parse_model, "CustomerInvoiceApi")

    def facade() -> Any:
        # What client.customer_invoices.iterate() does with each page body: the client's own
        # decoder (numbers with a fraction straight to Decimal), then the models.
        return parse_page(loads(raw), parse_item)

    parsed = facade()
    assert len(parsed.items) == rows
    assert type(parsed.items[0].total_amount) is Decimal
    # Interleave the two so that a burst of load elsewhere hits both alike.
    t_json, t_parse = float("inf"), float("inf")
    wall_json, wall_parse = float("inf"), float("inf")
    for _ in range(8):
        t_json = min(t_json, best_of(lambda: json.loads(raw), 3, cpu))
        t_parse = min(t_parse, best_of(facade, 3, cpu))
        wall_json = min(wall_json, best_of(lambda: json.loads(raw), 1))
        wall_parse = min(wall_parse, best_of(facade, 1))
    rate = rows / t_parse
    ratio = t_parse / t_json

    # Where the time goes: decoding alone (the client's decoder, and the standard library's
    # with parse_float=Decimal for comparison), the models alone (body decoded beforehand), the
    # same without the collector at all, and with UUID parsing replaced by a no-op.
    from eaccounting_api import types as generated_types

    t_decode = best_of(lambda: loads(raw), 7, cpu)
    t_stdlib_decimal = best_of(lambda: json.loads(raw, parse_float=Decimal), 7, cpu)
    data = loads(raw)
    t_models = best_of(lambda: parse_page(data, parse_item), 7, cpu)
    gc.disable()
    try:
        t_models_no_gc = best_of(lambda: parse_page(data, parse_item), 7, cpu)
    finally:
        gc.enable()
    parse_uuid = generated_types.parse_uuid
    generated_types.parse_uuid = lambda value: value
    try:
        t_no_uuid = best_of(lambda: parse_page(data, parse_item), 7, cpu)
    finally:
        generated_types.parse_uuid = parse_uuid
    uuids = 36 * rows
    ms = 1e3
    return [
        Result(
            "1. Parse: 1,000-row page of fully populated CustomerInvoiceApi, money as Decimal",
            f"{rate:,.0f} rows/s; {t_parse * 1e3:.1f} ms per page = {ratio:.2f}x json.loads "
            f"(float: {t_json * 1e3:.1f} ms for the same {len(raw) / 1e6:.1f} MB)",
            ">= 10,000 rows/s and <= 2.5x json.loads",
            rate >= 10_000 and ratio <= 2.5,
            "bytes -> the client's decoder (msgspec, every number with a fraction a Decimal) -> "
            "parse_page -> CustomerInvoiceApi.from_dict per row (14 objects, 36 UUIDs, 51 "
            "Decimals, 189 properties a row); the baseline is the standard library's json.loads "
            "with floats; both sides timed in CPU time of the process (best of 24, interleaved; "
            f"wall clock in the same run: {wall_parse * 1e3:.1f} ms = "
            f"{wall_parse / wall_json:.2f}x); garbage collector left enabled",
            "decoding is about 40% of the page; of the rest, building 36,000 uuid.UUID objects "
            "is the largest share (see 1b: each is an allocation of a GC-tracked object plus "
            "its 128-bit int, after validating and decoding 32 hex digits), then 14 attrs "
            "objects and 189 properties a row in generated Python. Decimals add about 8% "
            "(0.2x): each number property checks that its value is not an int (a number sent "
            "without a fraction becomes a Decimal too), which reads the 51,000 Decimal objects "
            "the decoder made long before, out of the CPU cache; floats were passed on unread",
        ),
        Result(
            "1b. Parse: where the time goes",
            f"json.loads {t_json * ms:.0f} ms (with parse_float=Decimal "
            f"{t_stdlib_decimal * ms:.0f} ms); the client's Decimal decoder {t_decode * ms:.0f} "
            f"ms; models {t_models * ms:.0f} ms, of which {uuids:,} UUIDs "
            f"{(t_models - t_no_uuid) * ms:.0f} ms "
            f"({(t_models - t_no_uuid) / uuids * 1e9:.0f} ns each) and the collector's pass "
            f"over the new objects {(t_models - t_models_no_gc) * ms:.0f} ms",
            "(reported)",
            None,
            "decoders: the same bytes, best of 7; models: parse_page over the already decoded "
            "body; UUIDs: the same with types.parse_uuid replaced by a no-op; collector: the "
            "same with gc disabled throughout (parse_page pauses it while parsing; it scans the "
            "page's new objects once afterwards)",
        ),
    ]


# -- 2. sync throughput --------------------------------------------------------------------------
class CountingTransport(httpx.BaseTransport):
    """Counts responses by status under the client's pipeline (so retried 429s count too)."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.statuses: dict[int, int] = {}

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        return response


CUSTOMERS = 50_000
LATENCY = 0.150


def sync_emulator(limit: int, window: float, origin: str = "http://emulator.local") -> Any:
    """An emulator on the wall clock holding CUSTOMERS customers, quota and latency armed."""
    from eaccounting.testing import Emulator
    from eaccounting.testing.clock import SystemClock

    emu = Emulator(region="se", clock=SystemClock(), rate_limit=None, origin=origin)
    setup = emu.client(rate_limit=None)
    terms = setup.get_json("/termsofpayments")["Data"][0]["Id"]
    body = {
        "Name": "Customer 1",
        "InvoiceCity": "Stockholm",
        "InvoicePostalCode": "111 22",
        "IsActive": True,
        "IsPrivatePerson": False,
        "TermsOfPaymentId": terms,
    }
    first = setup.request("POST", "/customers", json=body).json()
    setup.close()
    customers = emu.core.company.coll("customers")
    template = customers[first["Id"]]
    for i in range(2, CUSTOMERS + 1):
        ident = str(uuid.UUID(int=i, version=4))
        customers[ident] = {
            **template,
            "Id": ident,
            "CustomerNumber": str(i),
            "Name": f"Customer {i}",
        }
    # The quota and the latency apply from here on.
    emu.core.rate_limit = limit
    emu.core.quota.limit = limit
    emu.core.quota.window = window
    emu.faults.configure(latency=LATENCY)
    return emu


def serve_sync(limit: int, window: float) -> None:
    """Child process: the emulator over loopback HTTP (its own interpreter, its own GIL)."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    emu = sync_emulator(limit, window, origin=f"http://127.0.0.1:{port}")
    token = emu.issue_token()
    print(json.dumps({"base_url": emu.base_url, "token": token.access_token}), flush=True)
    uvicorn.run(emu.app, host="127.0.0.1", port=port, log_level="warning")


@contextlib.contextmanager
def sync_server(limit: int, window: float) -> Iterator[dict[str, str]]:
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve-sync", str(limit), str(window)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        info: dict[str, str] = json.loads(child.stdout.readline())
        for _ in range(200):  # until uvicorn listens
            try:
                httpx.get(info["base_url"] + "/units", timeout=1.0)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        yield info
    finally:
        child.terminate()
        child.wait(10)


@dataclass
class SyncRun:
    rows: int
    requests: int
    seconds: float
    statuses: dict[int, int]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def sync_run(
    prefetch: int,
    *,
    page_size: int | None,
    limit: int = 600,
    window: float = 60.0,
    max_pages: int | None = None,
    loopback: bool = True,
) -> SyncRun:
    from eaccounting import Client, RateLimiter

    with contextlib.ExitStack() as stack:
        if loopback:
            info = stack.enter_context(sync_server(limit, window))
            transport = CountingTransport(httpx.HTTPTransport(retries=0))
            client = Client(
                access_token=info["token"],
                base_url=info["base_url"],
                transport=transport,
                rate_limit=RateLimiter(limit, window),
            )
        else:
            emu = sync_emulator(limit, window)
            transport = CountingTransport(emu.transport())
            client = emu.client(transport=transport, rate_limit=RateLimiter(limit, window))
        stack.callback(client.close)
        # page_size=None: the library's default (what `iterate()` without arguments asks for).
        pager = client.customers.iterate(page_size=page_size, prefetch=prefetch)
        start = time.perf_counter()
        rows = sum(len(p) for p in itertools.islice(pager.pages(), max_pages))
        seconds = time.perf_counter() - start
    assert rows == (max_pages * pager.page_size if max_pages else CUSTOMERS), rows
    return SyncRun(rows, sum(transport.statuses.values()), seconds, transport.statuses)


def bench_sync() -> list[Result]:
    # Pages of 50 (the API's default size) make 1,000 requests, more than the 600 a minute
    # allows, so the quota binds. The quota lets a minute's 600 go at once: the least time it
    # allows for 1,000 requests is one minute (the 601st may start 60 s after the 1st) plus
    # the last request's latency. The ceiling for this run is 1,000 requests in that time
    # (10/s in the long run); the figure is the share of it the client achieved.
    prefetch = 16
    fast = sync_run(prefetch, page_size=50)
    sequential = sync_run(0, page_size=50, max_pages=100)
    large = sync_run(prefetch, page_size=1000)
    large_sequential = sync_run(0, page_size=1000)
    in_process = sync_run(prefetch, page_size=1000, loopback=False)
    least = 60.0 + LATENCY
    ceiling = fast.requests / least
    share = fast.rate / ceiling
    throttled = fast.statuses.get(429, 0)

    def line(run: SyncRun) -> str:
        return (
            f"{run.rate:.1f} req/s ({run.requests} requests, {run.rows:,} rows in "
            f"{run.seconds:.1f} s, {run.statuses.get(429, 0)} x 429)"
        )

    return [
        Result(
            f"2. Sync: {CUSTOMERS:,} customers in pages of 50, {LATENCY * 1e3:.0f} ms latency, "
            f"600/min quota, prefetch={prefetch}",
            f"{line(fast)} = {share:.0%} of the {ceiling:.1f} req/s the quota allows for "
            f"{fast.requests} requests ({least:.2f} s at best)",
            ">= 90% of the ceiling, zero 429s",
            share >= 0.9 and throttled == 0,
            "emulator in its own process over loopback HTTP (uvicorn), wall clock, the "
            "documented 600 requests per 60 s per path; the client's own limiter at 600/60 s. "
            "Over a run longer than a minute the ceiling tends to 10 req/s; this one may "
            "burst its first 600 requests, so its ceiling is 1,000 requests in 60.15 s",
            "the first 600 requests go as fast as 16 requests in flight allow (150 ms "
            "latency each); the 601st to 1,000th follow the same pattern one minute (plus "
            "the limiter's 0.5 s margin) later",
        ),
        Result(
            "2b. Sync, sequential (prefetch=0), pages of 50",
            f"{line(sequential)} = {sequential.rate / 10:.0%} of 10 req/s",
            "(reported)",
            None,
            "the first 100 pages only: one request in flight never reaches the quota, so "
            "the rate is steady; latency + serving + parsing, page after page",
        ),
        Result(
            f"2c. Sync in pages of 1,000 (50 requests), prefetch={prefetch}",
            line(large),
            "(reported)",
            None,
            "50 requests fit in a minute's allowance: bound by latency, by the emulator "
            "serving one page at a time (json.dumps of 2 MB) and by parsing 1,000 customers "
            "a page",
        ),
        Result(
            "2d. Sync in pages of 1,000, sequential",
            line(large_sequential),
            "(reported)",
            None,
        ),
        Result(
            "2e. Same as 2c with the emulator in-process (one GIL for server and client)",
            line(in_process),
            "(reported)",
            None,
        ),
    ]


# -- 7. big pages by default (issue 12) -----------------------------------------------------------
def bench_pages() -> list[Result]:
    """`for c in client.customers.iterate()` as written, today's default next to the old one."""
    new = sync_run(0, page_size=None)
    old = sync_run(0, page_size=50)

    def line(run: SyncRun) -> str:
        return (
            f"{run.requests} requests, {run.seconds:.1f} s ({run.rows:,} rows, "
            f"{run.statuses.get(429, 0)} x 429)"
        )

    return [
        Result(
            f"7. Full sync of {CUSTOMERS:,} customers with the default page size, "
            f"{LATENCY * 1e3:.0f} ms latency, 600/min quota",
            f"{line(new)}; the old default (pages of 50): {line(old)}, "
            f"{old.seconds / new.seconds:.1f}x longer",
            "<= 55 requests",
            new.requests <= 55,
            "`client.customers.iterate()` without arguments (prefetch=0), emulator in its own "
            "process over loopback HTTP as in 2.; the old default is the same loop with "
            "page_size=50, the size iterate() asked for before issue 12",
            "one request per 1,000 rows: latency, serving and parsing 1,000 customers a page",
        )
    ]


# -- 3. overhead ---------------------------------------------------------------------------------
def bench_overhead() -> list[Result]:
    from eaccounting import RateLimiter
    from eaccounting.testing import Emulator

    emu = Emulator(region="se", rate_limit=None)
    token = emu.issue_token()
    bare = httpx.Client(
        transport=emu.transport(),
        base_url=emu.base_url,
        headers={"Authorization": f"Bearer {token.access_token}"},
    )
    # The limiter stays on (it is part of the pipeline), with a quota the loop cannot reach.
    client = emu.client(rate_limit=RateLimiter(10**9, 60.0))
    unit = bare.get("/units").json()["Data"][0]["Id"]
    path = f"/units/{unit}"
    n = 300

    def loop(fn: Callable[[], object]) -> Callable[[], None]:
        def run() -> None:
            for _ in range(n):
                fn()

        return run

    variants: dict[str, Callable[[], None]] = {
        "bare": loop(lambda: bare.get(path).json()),
        "facade": loop(lambda: client.get_json(path)),
        "resource": loop(lambda: client.units.get(unit)),
    }
    best = dict.fromkeys(variants, float("inf"))
    for _ in range(5):
        for name, fn in variants.items():
            best[name] = min(best[name], best_of(fn, 2) / n)
    ratio = best["facade"] / best["bare"]
    resource = best["resource"] / best["bare"]
    bare.close()
    emu.close()
    us = {k: v * 1e6 for k, v in best.items()}
    return [
        Result(
            "3. Overhead: client.get_json vs bare httpx, same in-process route",
            f"{ratio:.2f}x ({us['facade']:.0f} us vs {us['bare']:.0f} us per GET /units/{{id}}, "
            f"+{us['facade'] - us['bare']:.0f} us)",
            "<= 1.3x",
            ratio <= 1.3,
            "both decode the JSON; the facade adds auth, the per-path limiter, retry and "
            "error mapping",
            "the pipeline's own work per request: token check, limiter lock, retry loop, "
            "status mapping, logging",
        ),
        Result(
            "3b. Overhead: client.units.get (also parses the UnitApi model)",
            f"{resource:.2f}x ({us['resource']:.0f} us per call)",
            "(reported)",
            None,
        ),
    ]


# -- 4. import -----------------------------------------------------------------------------------
def bench_import() -> list[Result]:
    runs = 15
    times: dict[str, list[float]] = {"httpx": [], "eaccounting": []}
    for _ in range(runs):
        for module in times:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
            times[module].append(time.perf_counter() - start)
    low = {k: min(v) * 1e3 for k, v in times.items()}
    mid = {k: statistics.median(v) * 1e3 for k, v in times.items()}
    extra = low["eaccounting"] - low["httpx"]
    return [
        Result(
            '4. Import: python -c "import eaccounting" vs "import httpx"',
            f"+{extra:.0f} ms ({low['eaccounting']:.0f} ms vs {low['httpx']:.0f} ms, fastest of "
            f"{runs}; medians {mid['eaccounting']:.0f} vs {mid['httpx']:.0f} ms)",
            "<= 150 ms extra",
            extra <= 150,
            "whole interpreter start; generated models load on first use",
            "what `import eaccounting` loads eagerly: attrs, authlib, tenacity and the "
            "facade's own modules",
        )
    ]


# -- 5. generation -------------------------------------------------------------------------------
def bench_generate() -> list[Result]:
    upstream = REPO / "generated" / "upstream.yaml"  # `make bench` depends on `make generate`
    with tempfile.TemporaryDirectory() as tmp:
        command = [
            sys.executable,
            "-m",
            "spec",
            "check",
            "--spec",
            str(upstream),
            "--generate-into",
            tmp,
        ]
        start = time.perf_counter()
        subprocess.run(command, check=True, cwd=REPO, capture_output=True)
        seconds = time.perf_counter() - start
        files = sum(1 for _ in Path(tmp, "eaccounting_api").rglob("*.py"))
    return [
        Result(
            "5. Generation: raw spec -> overlays -> validate -> openapi-python-client",
            f"{seconds:.1f} s ({files} modules, incl. its ruff fix/format post-hooks)",
            "<= 15 s",
            seconds <= 15,
            "`python -m spec check --generate-into <tmp>` on the pinned upstream spec: the "
            "stages of `make generate` from scratch, without touching generated/",
            "openapi-python-client rendering every module, its ruff post-hooks, and "
            "openapi-spec-validator on the effective spec",
        )
    ]


# -- 6. emulator ---------------------------------------------------------------------------------
def bench_emulator() -> list[Result]:
    from eaccounting.testing import Emulator

    emu = Emulator(region="se", rate_limit=None)
    token = emu.issue_token()
    api = httpx.Client(
        transport=emu.transport(),
        base_url=emu.base_url,
        headers={"Authorization": f"Bearer {token.access_token}"},
    )
    unit = api.get("/units").json()["Data"][0]["Id"]
    n = 1000

    def run() -> None:
        for _ in range(n):
            api.get(f"/units/{unit}")

    rate = n / best_of(run, 5)
    api.close()
    return [
        Result(
            "6. Emulator: in-process GET /units/{id} through httpx",
            f"{rate:,.0f} GETs/s",
            ">= 1,500/s",
            rate >= 1500,
            bound="routing, auth, quota and JSON rendering per request, under one lock",
        )
    ]


# -- report --------------------------------------------------------------------------------------
BENCHES: dict[str, Callable[[], list[Result]]] = {
    "parse": bench_parse,
    "sync": bench_sync,
    "overhead": bench_overhead,
    "import": bench_import,
    "generate": bench_generate,
    "emulator": bench_emulator,
    "pages": bench_pages,
}


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> list[str]:
    now = datetime.datetime.now(datetime.timezone.utc)
    return [
        f"- Date: {now:%Y-%m-%d %H:%M} UTC",
        f"- CPU: {cpu_model()}, {os.cpu_count()} cores",
        f"- Python: {platform.python_version()} ({platform.python_implementation()}) on "
        f"{platform.system()} {platform.machine()}",
        f"- httpx {httpx.__version__}",
        "- Load average when the run began (1/5/15 min): "
        + " / ".join(f"{x:.1f}" for x in LOAD_AT_START),
    ]


def status(result: Result) -> str:
    return "-" if result.met is None else ("met" if result.met else "MISSED")


def table(results: list[Result]) -> list[str]:
    lines = ["| measurement | figure | goal | status |", "|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r.name} | {r.figure} | {r.goal} | {status(r)} |")
    return lines


def render(results: list[Result], seconds: float) -> str:
    notes = [f"- **{r.name.split(':')[0]}**: {r.note}" for r in results if r.note]
    missed = [f"- **{r.name}**: {r.figure}. Bound: {r.bound}" for r in results if r.met is False]
    return "\n".join(
        [
            "# Benchmarks",
            "",
            "Written by `make bench` (`benchmarks/run.py`); every ratio is measured in the same "
            "run, against its baseline on the same machine. Re-run it rather than editing this "
            "file. Rates are the best of several repetitions, yet still move with other load on "
            "the machine (see the load average): on this 2-core machine, with other test suites "
            "running, the parse rate was seen between 9,400 and 11,200 rows/s; the ratios move "
            "less.",
            "",
            "## Machine",
            "",
            *machine(),
            f"- Whole run: {seconds:.0f} s",
            "",
            "## Results",
            "",
            *table(results),
            "",
            "## Goals missed in this run, and what bounds them",
            "",
            *(missed or ["None."]),
            "",
            "## How each figure is measured",
            "",
            *notes,
            "",
        ]
    )


def main(argv: list[str]) -> int:
    if argv[:1] == ["--serve-sync"]:
        serve_sync(int(argv[1]), float(argv[2]))
        return 0
    names = argv or list(BENCHES)
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        print(f"unknown benchmark(s) {unknown}; choose from {list(BENCHES)}", file=sys.stderr)
        return 2
    results: list[Result] = []
    start = time.perf_counter()
    for name in names:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        results.extend(BENCHES[name]())
    seconds = time.perf_counter() - start
    print("\n".join(machine()))
    print("\n".join(table(results)))
    if not argv:
        DOC.parent.mkdir(exist_ok=True)
        DOC.write_text(render(results, seconds), encoding="utf-8")
        print(f"wrote {DOC.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Issue 12, item 5: many workers on two "machines" share tokens and quota safely.

8 worker processes (4 per simulated machine; every process has its own in-process state)
sync 20 companies, each a loopback emulator whose access tokens die 4 s after they are
issued and whose quota is 4 requests per second per (client, company, endpoint). Tokens of
companies 0-9 live in Redis, of 10-19 in PostgreSQL; the quota is shared through Redis. One
worker kills itself (SIGKILL) right after taking a refresh lease; its job goes back to the
queue and a replacement worker starts. Asserted: 0 double-spent refresh tokens, 0
re-consents, 0 x 429, every record exactly once. The same run with each process pacing
itself (no shared limiter) is reported for contrast, with its 429 count.

The quota is scaled down (4 per second instead of 600 per minute) so the run is short but
still bound by the quota; the assertions are counts, never times.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from eaccounting.stores.redis_tokens import RedisTokenStore
from eaccounting.stores.sql_tokens import SQLTokenStore
from eaccounting.testing import Emulator, Faults
from eaccounting.testing.clock import SystemClock
from eaccounting.testing.loopback import LoopbackServer
from tests.seeding import add_customers

WORKER = Path(__file__).with_name("worker.py")
COMPANIES = 20
CUSTOMERS = 100  # per company
PAGE = 10  # 10 jobs per company, 200 in all
GROUP = 4  # companies worked on at once
WORKERS = 8
QUOTA = {"max_requests": 4, "period": 1.0, "margin": 0.2}
TOKEN_LIFETIME = 4  # seconds
LEASE = {"lease_seconds": 2.0, "wait_seconds": 15.0, "rotation_wait_seconds": 3.0}
DEADLINE = 150  # seconds for one run before the test fails


@dataclass
class Company:
    name: str
    store: str
    emulator: Emulator
    ids: list[str]


@contextlib.contextmanager
def _companies() -> Iterator[list[Company]]:
    with contextlib.ExitStack() as stack:
        companies = []
        for n in range(COMPANIES):
            server = LoopbackServer()
            emu = Emulator(
                seed=n,
                clock=SystemClock(),
                origin=server.origin,
                rate_limit=None,  # armed after populating
                faults=Faults(token_lifetime=TOKEN_LIFETIME),
            )
            ids = add_customers(emu, CUSTOMERS)
            emu.core.rate_limit = QUOTA["max_requests"]
            emu.core.quota.limit = int(QUOTA["max_requests"])
            emu.core.quota.window = QUOTA["period"]
            stack.enter_context(server.serving(emu.app))
            store = "redis" if n < COMPANIES // 2 else "postgresql"
            companies.append(Company(f"company-{n:02d}", store, emu, ids))
        yield companies


@dataclass
class Outcome:
    double_spent: int
    rotations: int
    reconsents: int
    throttled: int
    requests: int
    killed: int
    expired_in_flight: int
    exit_codes: list[int]
    counts: dict[str, dict[str, int]]
    seconds: float


def _run(
    companies: list[Company], redis_client: Any, redis_url: str, pg_engine: Any,
    postgres_url: str, *, shared_limiter: bool, victim: bool,
) -> Outcome:  # fmt: skip
    import sqlalchemy as sa

    redis_client.flushdb()
    with pg_engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS eaccounting_tokens"))
    SQLTokenStore(pg_engine, "setup").create_table()
    before = {}
    for company in companies:
        emu = company.emulator
        store: Any = (
            RedisTokenStore(redis_client, company.name)
            if company.store == "redis"
            else SQLTokenStore(pg_engine, company.name)
        )
        token = emu.issue_token()
        # Dead on arrival (the client still believes one hour): every company's first request
        # meets a 401, so every company's token rotates at least once under contention.
        emu.core.identity.access[token.access_token].expires_at = 0
        store.save(token)
        identity = emu.core.identity
        before[company.name] = (
            identity.token_requests["refresh_token"],
            len(identity.consumed_refresh),
        )
    # Four companies at a time, their pages interleaved: two workers per company on average,
    # competing for its token and its quota, while the run stays short.
    jobs = [
        json.dumps([c.name, page])
        for start in range(0, COMPANIES, GROUP)
        for page in range(1, CUSTOMERS // PAGE + 1)
        for c in companies[start : start + GROUP]
    ]
    redis_client.rpush("jobs", *jobs)
    described = [
        {
            "name": c.name,
            "store": c.store,
            "client_id": c.emulator.client_id,
            "client_secret": c.emulator.client_secret,
            "base_url": c.emulator.base_url,
            "origin": c.emulator.origin,
        }
        for c in companies
    ]

    def start(worker: int, is_victim: bool) -> subprocess.Popen[bytes]:
        config = {
            "worker": worker,
            "redis_url": redis_url,
            "postgres_url": postgres_url,
            "companies": described,
            "page_size": PAGE,
            "quota": QUOTA,
            "lease": LEASE,
            "shared_limiter": shared_limiter,
            "victim": is_victim,
        }
        return subprocess.Popen([sys.executable, str(WORKER), json.dumps(config)])

    started = time.monotonic()
    procs = {w: start(w, victim and w == 0) for w in range(WORKERS)}
    exit_codes: list[int] = []
    killed = 0
    next_id = WORKERS
    while procs:
        if time.monotonic() - started > DEADLINE:
            for p in procs.values():
                p.kill()
            pytest.fail(f"the scale run did not finish within {DEADLINE} s")
        for worker, proc in list(procs.items()):
            code = proc.poll()
            if code is None:
                continue
            del procs[worker]
            if code == -9:
                killed += 1
                # Hand the dead worker's unfinished job back, and replace the worker.
                while redis_client.lmove(f"processing:{worker}", "jobs", "RIGHT", "LEFT"):
                    pass
                procs[next_id] = start(next_id, False)
                next_id += 1
            else:
                exit_codes.append(code)
        time.sleep(0.05)
    seconds = time.monotonic() - started
    stats = {k.decode(): int(v) for k, v in redis_client.hgetall("stats").items()}
    double_spent = rotations = 0
    counts: dict[str, dict[str, int]] = {}
    for company in companies:
        identity = company.emulator.core.identity
        sent0, used0 = before[company.name]
        sent = identity.token_requests["refresh_token"] - sent0
        used = len(identity.consumed_refresh) - used0
        rotations += used
        double_spent += sent - used  # refresh requests that presented a spent token
        seen = redis_client.hgetall(f"seen:{company.name}")
        counts[company.name] = {k.decode(): int(v) for k, v in seen.items()}
    return Outcome(
        double_spent, rotations, stats.get("reconsent", 0), stats.get("429", 0),
        stats.get("requests", 0), killed, stats.get("expired_in_flight", 0), exit_codes, counts,
        seconds,
    )  # fmt: skip


def _every_record_once(companies: list[Company], outcome: Outcome) -> None:
    for company in companies:
        assert outcome.counts[company.name] == dict.fromkeys(company.ids, 1), company.name


def test_eight_workers_on_two_machines_share_tokens_and_quota(
    redis_client: Any, redis_url: str, pg_engine: Any, postgres_url: str
) -> None:
    with _companies() as companies:
        shared = _run(
            companies, redis_client, redis_url, pg_engine, postgres_url,
            shared_limiter=True, victim=True,
        )  # fmt: skip
        alone = _run(
            companies, redis_client, redis_url, pg_engine, postgres_url,
            shared_limiter=False, victim=False,
        )  # fmt: skip
    report = {
        "shared limiter": {k: v for k, v in vars(shared).items() if k != "counts"},
        "per-process limiters": {k: v for k, v in vars(alone).items() if k != "counts"},
    }
    print("\nscale run: " + json.dumps(report))
    # The victim died mid-refresh, holding a lease; everyone else finished cleanly.
    assert shared.killed == 1
    assert shared.exit_codes == [0] * WORKERS
    assert shared.rotations >= COMPANIES  # every company's token expired and rotated
    assert shared.double_spent == 0
    assert shared.reconsents == 0
    assert shared.throttled == 0
    _every_record_once(companies, shared)
    # Contrast: the same run with each process pacing itself. Its 429 count is reported (it
    # depends on how fast the machine is); tokens and records stay safe either way.
    assert alone.exit_codes == [0] * WORKERS
    assert alone.double_spent == 0
    assert alone.reconsents == 0
    _every_record_once(companies, alone)

"""RedisRateLimiter against a real Redis: one quota for every worker process, and a 429 pauses
the key for all of them."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from eaccounting.stores.redis_quota import RedisRateLimiter
from eaccounting.testing import Emulator, Faults

PATH = "/v2/customers"


_RESERVE_MANY = """
import json, sys, redis
from eaccounting.stores.redis_quota import RedisRateLimiter
limiter = RedisRateLimiter(redis.Redis.from_url(sys.argv[1]), client_id="app", company="c",
                           max_requests=5, period=60.0)
print(json.dumps([limiter.reserve("/v2/customers") for _ in range(5)]))
"""


def test_four_processes_share_one_window(redis_url: str, redis_client: Any) -> None:
    """20 reservations from 4 processes against 5 per 60 s: 5 now, then 5 per later window.

    The period is long so nothing expires during the test: the assertions are about which
    window each slot falls in, not about timing.
    """
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _RESERVE_MANY, redis_url], stdout=subprocess.PIPE, text=True
        )
        for _ in range(4)
    ]
    waits: list[float] = []
    for proc in procs:
        out, _ = proc.communicate(timeout=60)
        assert proc.returncode == 0
        waits.extend(json.loads(out))
    waits.sort()
    windows = [round(w / 60.5) for w in waits]  # 60 s period + 0.5 s margin per window
    assert windows == [0] * 5 + [1] * 5 + [2] * 5 + [3] * 5
    assert all(w < 1.0 for w in waits[:5])


def test_the_key_is_client_company_and_path_by_default(redis_client: Any) -> None:
    def limiter(company: str, **kw: Any) -> RedisRateLimiter:
        return RedisRateLimiter(
            redis_client, client_id="app", company=company, max_requests=1, period=60, **kw
        )

    assert limiter("a").key_for(PATH) == "eaccounting:quota:app:a:/v2/customers"
    assert limiter("a").reserve(PATH) == 0
    assert limiter("a").reserve(PATH) > 59  # same key, another worker
    assert limiter("b").reserve(PATH) == 0  # another company
    assert limiter("a").reserve("/v2/articles") == 0  # another endpoint
    per_app = {"key_template": "{client_id}:{path}"}
    assert limiter("a", **per_app).reserve(PATH) == 0
    assert limiter("b", **per_app).reserve(PATH) > 59  # the app's quota spans companies


def test_a_pause_holds_every_worker_on_that_key(redis_client: Any) -> None:
    def limiter(company: str) -> RedisRateLimiter:
        return RedisRateLimiter(redis_client, client_id="app", company=company)

    limiter("a").pause(PATH, 30)
    assert 29 < limiter("a").reserve(PATH) <= 30
    assert limiter("a").reserve("/v2/articles") == 0
    assert limiter("b").reserve(PATH) == 0
    limiter("a").pause(PATH, 5)  # a shorter pause never shortens a longer one
    assert limiter("a").reserve(PATH) > 29


def test_bad_key_templates_are_refused(redis_client: Any) -> None:
    with pytest.raises(ValueError, match=r"key_template='\{tenant\}:\{path\}' may use only"):
        RedisRateLimiter(redis_client, client_id="app", key_template="{tenant}:{path}")
    with pytest.raises(ValueError, match=r"key_template='\{client_id\}' must contain \{path\}"):
        RedisRateLimiter(redis_client, client_id="app", key_template="{client_id}")
    with pytest.raises(ValueError, match=r"max_requests=0 must be at least 1"):
        RedisRateLimiter(redis_client, client_id="app", max_requests=0)


def test_a_429_seen_by_one_client_pauses_the_others(redis_client: Any) -> None:
    emu = Emulator(faults=Faults(burst_every=2, burst_length=1))  # 2nd request: 429, 60 s
    slept: list[float] = []

    def limiter() -> RedisRateLimiter:
        return RedisRateLimiter(redis_client, client_id=emu.client_id, company="c")

    first = emu.client(rate_limit=limiter(), sleep=slept.append)
    first.request("GET", "/customers")
    first.request("GET", "/customers")  # 429, then the retry waits for the shared pause
    assert emu.faults.injected["burst"] == 1
    waits = [s for s in slept if s > 0]
    assert len(waits) == 1 and 58 < waits[0] <= 60  # waited once (in the limiter), not twice
    assert 58 < limiter().reserve("/v2/customers") <= 60  # every other worker waits too

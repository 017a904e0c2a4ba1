"""One worker process of the scale test (run as a script by test_scale.py).

Pops (company, page) jobs from a Redis list with LMOVE into its own processing list, fetches
the page through an ``eaccounting.Client`` whose token store and quota limiter are shared
(Redis or PostgreSQL), and records the page's ids and acknowledges the job in one MULTI, so a
job is counted once even if a worker dies mid-job and the job is handed to another worker.

``victim`` makes the worker start a refresh on its first job and SIGKILL itself as soon as it
holds the refresh lease: it dies holding the lease, mid-refresh, before the token request goes
out, and the other workers must wait for the lease to expire.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from typing import Any

import httpx
import redis
import sqlalchemy as sa

from eaccounting import AuthenticationError, Client, RateLimiter, ReconsentRequiredError
from eaccounting.retries import RetryPolicy
from eaccounting.stores import LeaseSettings
from eaccounting.stores.redis_quota import RedisRateLimiter
from eaccounting.stores.redis_tokens import RedisTokenStore
from eaccounting.stores.sql_tokens import SQLTokenStore


class Counting(httpx.BaseTransport):
    """Counts responses by status under the pipeline (each 429 counts, retried or not)."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport(retries=0)
        self.statuses: dict[int, int] = {}

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        return response

    def close(self) -> None:
        self.inner.close()


def _victimise(store: Any) -> None:
    take = store.try_lock

    def try_lock() -> bool:
        if take():
            os.kill(os.getpid(), signal.SIGKILL)  # dies holding the lease
        return False

    store.try_lock = try_lock


def main(config: dict[str, Any]) -> int:
    wid = config["worker"]
    r = redis.Redis.from_url(config["redis_url"])
    engine = sa.create_engine(config["postgres_url"], pool_size=2)
    lease = LeaseSettings(**config["lease"])
    transport = Counting()
    clients: dict[str, Client] = {}

    def client_for(company: dict[str, Any]) -> Client:
        name = company["name"]
        if name not in clients:
            store: Any
            if company["store"] == "redis":
                store = RedisTokenStore(r, name, lease=lease)
            else:
                store = SQLTokenStore(engine, name, lease=lease, create_table=False)
            if config["victim"]:
                _victimise(store)
            limiter: RateLimiter
            if config["shared_limiter"]:
                limiter = RedisRateLimiter(
                    r, client_id=company["client_id"], company=name, **config["quota"]
                )
            else:
                limiter = RateLimiter(**config["quota"])
            clients[name] = Client(
                client_id=company["client_id"],
                client_secret=company["client_secret"],
                token_store=store,
                base_url=company["base_url"],
                identity_url=company["origin"],
                transport=transport,
                rate_limit=limiter,
                retry=RetryPolicy(max_retries=20),
            )
        return clients[name]

    companies = {c["name"]: c for c in config["companies"]}
    processing = f"processing:{wid}"
    status = 0
    try:
        while True:
            job = r.lmove("jobs", processing, "LEFT", "RIGHT")
            if job is None:
                break
            name, page = json.loads(job)
            client = client_for(companies[name])
            if config["victim"] and client.token_manager is not None:
                # Start a refresh, as a worker does when its token expires: the store's
                # try_lock dies as soon as it holds the lease.
                client.token_manager.refresh(transport, stale=None)
            try:
                items = client.customers.list(page=page, page_size=config["page_size"]).items
            except AuthenticationError:
                # The emulator kills tokens after a few seconds while telling the client one
                # hour; one can die again in the quota queue right after its refresh. Like a
                # Celery task, the job goes back to the queue (counted; not a re-consent).
                r.hincrby("stats", "expired_in_flight", 1)
                r.lmove(processing, "jobs", "RIGHT", "RIGHT")
                continue
            pipe = r.pipeline(transaction=True)
            for item in items:
                pipe.hincrby(f"seen:{name}", str(item.id), 1)
            pipe.lrem(processing, 1, job)
            pipe.execute()
    except ReconsentRequiredError as exc:
        r.hincrby("stats", "reconsent", 1)
        print(f"worker {wid}: {exc}", file=sys.stderr)
        status = 1
    finally:
        r.hincrby("stats", "429", transport.statuses.get(429, 0))
        r.hincrby("stats", "requests", sum(transport.statuses.values()))
        managers = [c.token_manager for c in clients.values() if c.token_manager]
        r.hincrby("stats", "refreshes", sum(m.refresh_count for m in managers))
        for client in clients.values():
            client.close()
        transport.close()
        engine.dispose()
    return status


if __name__ == "__main__":
    sys.exit(main(json.loads(sys.argv[1])))

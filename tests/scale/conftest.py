"""Session-wide real servers for the shared-store tests (no fakes: see servers.py)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest

from .servers import ServerError, postgres_server, redis_server


def _start(factory: Any, stack: contextlib.ExitStack) -> str:
    try:
        return str(stack.enter_context(factory()))
    except ServerError as exc:
        # One clear line and a failed run, never a skip.
        pytest.exit(f"cannot start the test server: {exc}", returncode=3)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    with contextlib.ExitStack() as stack:
        yield _start(redis_server, stack)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with contextlib.ExitStack() as stack:
        yield _start(postgres_server, stack)


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[Any]:
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.close()


@pytest.fixture
def pg_engine(postgres_url: str) -> Iterator[Any]:
    import sqlalchemy as sa

    engine = sa.create_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS eaccounting_tokens"))
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(tmp_path: Any) -> Iterator[Any]:
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'tokens.db'}")
    yield engine
    engine.dispose()

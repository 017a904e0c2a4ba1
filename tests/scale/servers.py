"""Real Redis and PostgreSQL servers for the tests, on 127.0.0.1, in a temporary directory.

`make test` installs the server packages when they are missing (see the Makefile's
`servers` target); this module finds the binaries, starts each server on a free port with
throwaway settings (no persistence, fsync off), waits until it answers, and stops it.
PostgreSQL refuses to run as root, so as root it runs as the `postgres` user (or `nobody`).
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

__all__ = ["ServerError", "postgres_server", "redis_server"]


class ServerError(RuntimeError):
    """A test server could not be found or started (the message is one line)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _binary(name: str, extra_globs: tuple[str, ...] = ()) -> str:
    found = shutil.which(name)
    if found:
        return found
    for pattern in extra_globs:
        matches = sorted(glob.glob(pattern), reverse=True)  # newest version first
        if matches:
            return matches[0]
    raise ServerError(
        f"{name} not found (run `make test`, which installs redis-server and postgresql, "
        "or install them yourself)"
    )


def _wait(check: object, what: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace").strip().splitlines()[-1:] if log.exists() else []
            raise ServerError(f"{what} exited with status {proc.returncode}: {' '.join(tail)}")
        with contextlib.suppress(Exception):
            if check():  # type: ignore[operator]
                return
        time.sleep(0.05)
    raise ServerError(f"{what} did not answer within 30 s (log: {log})")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A redis-server on 127.0.0.1:<free port>; yields its URL."""
    binary = _binary("redis-server")
    with tempfile.TemporaryDirectory(prefix="ea-redis-") as tmp:
        port = free_port()
        log = Path(tmp) / "redis.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen(
                [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", tmp, "--protected-mode", "yes"],
                stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        url = f"redis://127.0.0.1:{port}/0"
        try:
            import redis

            client = redis.Redis.from_url(url, socket_timeout=1)
            _wait(client.ping, f"redis-server on port {port}", proc, log)
            client.close()
            yield url
        finally:
            _stop(proc)


def _run_as(user: str | None) -> list[str]:
    return ["runuser", "-u", user, "--"] if user else []


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """A PostgreSQL cluster on 127.0.0.1:<free port>; yields a SQLAlchemy URL (psycopg 3)."""
    pg_globs = ("/usr/lib/postgresql/*/bin/{}",)
    initdb = _binary("initdb", tuple(g.format("initdb") for g in pg_globs))
    postgres = _binary("postgres", tuple(g.format("postgres") for g in pg_globs))
    user: str | None = None
    if os.geteuid() == 0:
        for candidate in ("postgres", "nobody"):
            with contextlib.suppress(KeyError):
                pwd.getpwnam(candidate)
                user = candidate
                break
        if user is None:
            raise ServerError("PostgreSQL cannot run as root and no postgres/nobody user exists")
    with tempfile.TemporaryDirectory(prefix="ea-pg-") as tmp:
        data = Path(tmp) / "data"
        log = Path(tmp) / "postgres.log"
        if user:
            entry = pwd.getpwnam(user)
            os.chmod(tmp, 0o755)
            data.mkdir()
            os.chown(data, entry.pw_uid, entry.pw_gid)
            log.touch()
            os.chown(log, entry.pw_uid, entry.pw_gid)
        init = subprocess.run(
            [*_run_as(user), initdb, "-D", str(data), "-U", "postgres", "--auth=trust",
             "-E", "UTF8", "--no-sync", "--no-instructions"],
            capture_output=True, text=True, cwd=tmp,
        )  # fmt: skip
        if init.returncode != 0:
            last = (init.stderr.strip().splitlines() or ["no output"])[-1]
            raise ServerError(f"initdb failed ({init.returncode}): {last}")
        port = free_port()
        with open(log, "ab") as out:
            proc = subprocess.Popen(
                [*_run_as(user), postgres, "-D", str(data), "-p", str(port),
                 "-c", "listen_addresses=127.0.0.1", "-c", f"unix_socket_directories={data}",
                 "-c", "fsync=off", "-c", "synchronous_commit=off",
                 "-c", "full_page_writes=off", "-c", "max_connections=200"],
                stdout=out, stderr=subprocess.STDOUT, cwd=tmp,
            )  # fmt: skip
        url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        try:
            import psycopg

            def ready() -> bool:
                with psycopg.connect(
                    f"host=127.0.0.1 port={port} user=postgres dbname=postgres", connect_timeout=1
                ):
                    return True

            _wait(ready, f"postgres on port {port}", proc, log)
            yield url
        finally:
            _stop(proc)

"""A token store in a SQL database (SQLAlchemy Core), one row per company, fenced lease.

Works on PostgreSQL and SQLite (and any database SQLAlchemy speaks whose ``UPDATE`` is
atomic per row). One table, created if missing::

    eaccounting_tokens(company PK, token, generation, superseded, lease_owner, lease_expires)

Taking the lease is one conditional ``UPDATE`` (free or expired → mine), so the database
arbitrates between machines. Lease expiry is compared with the workers' clocks (epoch
seconds): keep them NTP-synchronised to well under ``lease_seconds``. Saves under the lease
are compare-and-set on ``generation`` (see :mod:`eaccounting.stores.lease`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from .._logging import logger
from ..tokens import Token
from .lease import LeasedStore, LeaseSettings, decode_token, encode_token, new_owner

if TYPE_CHECKING:
    import sqlalchemy as sa

__all__ = ["SQLTokenStore", "token_table"]

DEFAULT_TABLE = "eaccounting_tokens"


def token_table(metadata: sa.MetaData, name: str = DEFAULT_TABLE) -> sa.Table:
    """The table definition (add it to your own ``MetaData`` to manage it with migrations)."""
    import sqlalchemy as sa

    return sa.Table(
        name,
        metadata,
        sa.Column("company", sa.String(200), primary_key=True),
        sa.Column("token", sa.Text, nullable=True),
        sa.Column("generation", sa.BigInteger, nullable=False, default=0),
        sa.Column("superseded", sa.Text, nullable=True),
        sa.Column("lease_owner", sa.String(64), nullable=True),
        sa.Column("lease_expires", sa.Float, nullable=True),
    )


class SQLTokenStore(LeasedStore):
    """The current token pair of one company in a SQL table, shared by every worker.

    ``engine`` is a SQLAlchemy ``Engine`` (``sqlalchemy.create_engine(
    "postgresql+psycopg://user@host/db")`` or ``"sqlite:///tokens.db"``). With
    ``create_table=True`` the table is created if it does not exist.
    """

    def __init__(
        self,
        engine: sa.Engine,
        company: str,
        *,
        table: str = DEFAULT_TABLE,
        lease: LeaseSettings | None = None,
        create_table: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        import sqlalchemy as sa

        if not isinstance(company, str) or not company:
            raise ValueError(f"company={company!r} must be a non-empty string")
        self._engine = engine
        self.company = company
        self.lease = lease or LeaseSettings()
        self._clock = clock
        self._table = token_table(sa.MetaData(), table)
        self._state = threading.local()
        self._row_exists = False
        #: Saves that lost the fencing check (this instance), for diagnostics and tests.
        self.superseded_saves = 0
        if create_table:
            self.create_table()

    def create_table(self) -> None:
        """Create the table if it is missing (safe when many workers start at once)."""
        import sqlalchemy as sa

        try:
            self._table.create(self._engine, checkfirst=True)
        except (sa.exc.IntegrityError, sa.exc.ProgrammingError):
            # Another worker created it between the check and the CREATE.
            if not sa.inspect(self._engine).has_table(self._table.name):
                raise

    def _ensure_row(self, conn: sa.Connection) -> None:
        import sqlalchemy as sa

        if self._row_exists:  # seen committed once; rows are never deleted (try_lock polls)
            return
        t = self._table
        exists = conn.execute(sa.select(t.c.company).where(t.c.company == self.company)).first()
        if exists is None:
            try:
                with conn.begin_nested():
                    conn.execute(sa.insert(t).values(company=self.company, generation=0))
            except sa.exc.IntegrityError:
                pass  # another worker inserted it first

    # -- the protocol's duck-typed lease (polled by TokenManager.refresh) --------------------

    def try_lock(self) -> bool:
        """Take the company's refresh lease without blocking; True if this worker holds it."""
        import sqlalchemy as sa

        t = self._table
        owner = new_owner()
        now = self._clock()
        with self._engine.begin() as conn:
            self._ensure_row(conn)
            taken = conn.execute(
                sa.update(t)
                .where(t.c.company == self.company)
                .where(sa.or_(t.c.lease_owner.is_(None), t.c.lease_expires < now))
                .values(lease_owner=owner, lease_expires=now + self.lease.lease_seconds)
            ).rowcount
            if taken != 1:
                self._row_exists = True  # the row is someone else's lease: it exists
                return False
            generation = conn.execute(
                sa.select(t.c.generation).where(t.c.company == self.company)
            ).scalar_one()
        self._row_exists = True  # committed
        self._state.owner = owner
        self._state.fence = int(generation)
        return True

    def unlock(self) -> None:
        """Release the lease if this worker still holds it (never someone else's)."""
        import sqlalchemy as sa

        owner = getattr(self._state, "owner", None)
        self._state.owner = None
        self._state.fence = None
        if owner is None:
            return
        t = self._table
        with self._engine.begin() as conn:
            conn.execute(
                sa.update(t)
                .where(t.c.company == self.company, t.c.lease_owner == owner)
                .values(lease_owner=None, lease_expires=None)
            )

    # -- TokenStore ---------------------------------------------------------------------------

    def load(self) -> Token | None:
        import sqlalchemy as sa

        t = self._table
        with self._engine.connect() as conn:
            raw = conn.execute(
                sa.select(t.c.token).where(t.c.company == self.company)
            ).scalar_one_or_none()
        return None if raw is None else decode_token(raw, f"{self!r}")

    def save(self, token: Token) -> None:
        import sqlalchemy as sa

        t = self._table
        payload = encode_token(token)
        fence = getattr(self._state, "fence", None)
        with self._engine.begin() as conn:
            if fence is None:
                # Outside a refresh (first authorization, an operator's import): plain write.
                self._ensure_row(conn)
                conn.execute(
                    sa.update(t)
                    .where(t.c.company == self.company)
                    .values(token=payload, generation=t.c.generation + 1)
                )
                return
            saved = conn.execute(
                sa.update(t)
                .where(t.c.company == self.company, t.c.generation == fence)
                .values(token=payload, generation=fence + 1)
            ).rowcount
            if saved != 1:
                conn.execute(
                    sa.update(t).where(t.c.company == self.company).values(superseded=payload)
                )
        if saved == 1:
            self._state.fence = fence + 1
            return
        self.superseded_saves += 1
        logger.warning(
            "eaccounting: token store %r: a newer token was saved while this worker's lease "
            "had expired; kept this pair as 'superseded' instead of overwriting",
            self,
        )

    def clear(self) -> None:
        import sqlalchemy as sa

        t = self._table
        with self._engine.begin() as conn:
            conn.execute(
                sa.update(t)
                .where(t.c.company == self.company)
                .values(token=None, superseded=None, generation=t.c.generation + 1)
            )

    def superseded(self) -> Token | None:
        """The last pair that lost the fencing check, if any (kept, never thrown away)."""
        import sqlalchemy as sa

        t = self._table
        with self._engine.connect() as conn:
            raw = conn.execute(
                sa.select(t.c.superseded).where(t.c.company == self.company)
            ).scalar_one_or_none()
        return None if raw is None else decode_token(raw, f"{self!r}")

    def __repr__(self) -> str:
        return f"SQLTokenStore(company={self.company!r}, table={self._table.name!r})"

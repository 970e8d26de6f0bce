"""Who leads: on PostgreSQL the replica holding an advisory lock on its own connection.

The lock lives exactly as long as that connection: if the leader dies, PostgreSQL drops
the connection and the lock with it, and a follower's next try succeeds.
"""

from __future__ import annotations

import logging
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

log = logging.getLogger(__name__)

# An arbitrary 64-bit key naming "the Champion Circle leader" among advisory locks.
LEADER_LOCK_KEY = 0x43484D5043495243  # "CHMPCIRC"


class LeaderLock(Protocol):
    def try_acquire(self) -> bool: ...

    def still_held(self) -> bool: ...

    def release(self) -> None: ...


class SoleProcessLock:
    """SQLite: one process uses the file, and it leads."""

    def try_acquire(self) -> bool:
        return True

    def still_held(self) -> bool:
        return True

    def release(self) -> None:
        return None


class PostgresAdvisoryLock:
    def __init__(self, engine: Engine, key: int = LEADER_LOCK_KEY) -> None:
        self._engine = engine
        self._key = key
        self._connection: Connection | None = None

    def try_acquire(self) -> bool:
        try:
            if self._connection is None:
                # A connection of its own, outside the pool, held for as long as we lead.
                self._connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            acquired = bool(
                self._connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": self._key}).scalar()
            )
        except SQLAlchemyError:
            log.warning("could not try the leader lock", exc_info=True)
            self._drop_connection()
            return False
        if not acquired:
            # Keep no idle connection around while following.
            self._drop_connection()
        return acquired

    def still_held(self) -> bool:
        """False when the lock's connection broke (then the lock is gone too)."""
        if self._connection is None:
            return False
        try:
            self._connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            log.warning("lost the leader lock's connection", exc_info=True)
            self._drop_connection()
            return False
        return True

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self._key})
            except SQLAlchemyError:
                log.warning("could not release the leader lock cleanly", exc_info=True)
        self._drop_connection()

    def _drop_connection(self) -> None:
        if self._connection is not None:
            try:
                self._connection.invalidate()  # never back into the pool: the session held a lock
                self._connection.close()
            except SQLAlchemyError:
                pass
            self._connection = None


def leader_lock_for(engine: Engine) -> LeaderLock:
    return PostgresAdvisoryLock(engine) if engine.dialect.name == "postgresql" else SoleProcessLock()

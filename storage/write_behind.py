"""Writes a turn leaves behind and can lose, kept in memory and written together.

Some of what a turn records only feeds later decisions in aggregate: who was pointed to which
champion, so that ties spread new askers fairly. Written by each turn, it was a statement on
every search (the costliest of the turn on PostgreSQL, with its index updates and foreign-key
checks), and the turn waited for it. Here the turn hands it over and answers; every
`interval` seconds all of it is written in one transaction per kind, and once more when the
app stops. A crash loses at most the last interval's worth, which is why only writes that can
be lost come here; a failed write is kept for the next round, within `limit` items.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from storage.database import Database

log = logging.getLogger(__name__)

# Writes a batch of items in the session's transaction (items handed over since the last round,
# in the order they came).
BatchWrite = Callable[[Session, list[Any]], None]


class WriteBehind:
    def __init__(self, database: Database, *, interval: float = 1.0, limit: int = 100_000) -> None:
        self._database = database
        self._interval = interval
        self._limit = limit
        self._pending: dict[BatchWrite, list[Any]] = {}
        self._lost = 0

    @property
    def pending(self) -> int:
        return sum(len(items) for items in self._pending.values())

    def add(self, write: BatchWrite, item: Any) -> None:
        """Hand over one item for `write` (called from the event loop)."""
        if self.pending >= self._limit:
            self._lost += 1
            if self._lost == 1 or self._lost % 1000 == 0:
                log.warning("write-behind full (%d items): %d items dropped so far", self._limit, self._lost)
            return
        self._pending.setdefault(write, []).append(item)

    async def flush(self) -> None:
        """Write everything handed over so far; what fails is kept for the next round."""
        pending, self._pending = self._pending, {}
        for write, items in pending.items():
            try:
                await self._database.run(write, items)
            except Exception:
                log.warning("%s failed for %d items; retried next round", _name(write), len(items), exc_info=True)
                kept = self._pending.setdefault(write, [])
                kept[:0] = items[: max(0, self._limit - self.pending)]

    async def run(self) -> None:
        """Flush every `interval` seconds until cancelled (whoever stops it flushes once more)."""
        while True:
            await asyncio.sleep(self._interval)
            await self.flush()


def _name(write: BatchWrite) -> str:
    return getattr(write, "__qualname__", repr(write))

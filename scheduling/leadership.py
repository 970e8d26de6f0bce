"""Runs the leader-only work (scheduler, outbox sender) in exactly one replica."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from storage.leader_lock import LeaderLock

log = logging.getLogger(__name__)

Hook = Callable[[], Awaitable[None]]


class Leadership:
    """Tries to lead every `interval` seconds; starts the work when elected, stops it when not."""

    def __init__(
        self, lock: LeaderLock, on_elected: Hook, on_deposed: Hook, *, interval: float = 2.0, name: str = "replica"
    ) -> None:
        self._lock = lock
        self._on_elected = on_elected
        self._on_deposed = on_deposed
        self._interval = interval
        self._name = name
        self.is_leader = False
        self.changed = asyncio.Event()  # set whenever leadership changes (tests wait on it)
        self._stop = asyncio.Event()

    async def run(self) -> None:
        try:
            while not self._stop.is_set():
                await self._check()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), timeout=self._interval)
        finally:
            await self._step_down()

    async def _check(self) -> None:
        if self.is_leader:
            if not await asyncio.to_thread(self._lock.still_held):
                log.error("%s lost the leader lock; stopping the scheduler and the sender", self._name)
                await self._set(False)
                await self._on_deposed()
            return
        if await asyncio.to_thread(self._lock.try_acquire):
            log.info("%s is the leader: starting the scheduler and the outbox sender", self._name)
            try:
                await self._on_elected()
            except Exception:
                # Could not start the work (e.g. the database went away): let another replica try.
                log.exception("%s could not start the leader's work; stepping down", self._name)
                await self._on_deposed()
                await asyncio.to_thread(self._lock.release)
                return
            await self._set(True)

    async def _set(self, leader: bool) -> None:
        self.is_leader = leader
        self.changed.set()

    async def _step_down(self) -> None:
        if self.is_leader:
            await self._on_deposed()
            await self._set(False)
        await asyncio.to_thread(self._lock.release)

    def stop(self) -> None:
        self._stop.set()

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta


class FrozenClock:
    """A clock that moves only when the test says so."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class FakeSleep:
    """`asyncio.sleep` for the frozen clock: moves time forward instead of waiting.

    Concurrent sleepers each move the clock to when *they* would wake, never backwards,
    so time advances as it would have with real sleeps running side by side.
    """

    def __init__(self, clock: FrozenClock) -> None:
        self._clock = clock
        self.total = 0.0

    async def __call__(self, seconds: float) -> None:
        import asyncio

        # Rounded up to whole microseconds (the clock's resolution), so a wait always ends.
        wake_at = self._clock.now() + timedelta(microseconds=math.ceil(max(0.0, seconds) * 1_000_000))
        self.total += max(0.0, seconds)
        await asyncio.sleep(0)
        if wake_at > self._clock.now():
            self._clock.advance(wake_at - self._clock.now())

    def seconds(self) -> float:
        return self._clock.now().timestamp()

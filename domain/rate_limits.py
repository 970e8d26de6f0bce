"""Teams' rate limits, enforced before a request leaves, in plain time arithmetic.

Every method takes `now` (seconds on a monotonic scale) and answers how long to wait;
the caller sleeps. That keeps the arithmetic testable with a fake clock.
"""

from __future__ import annotations

import math
from collections import OrderedDict, deque
from dataclasses import dataclass

# Microsoft Learn, "Optimize your bot: rate limiting": per bot per conversation.
TEAMS_CONVERSATION_WINDOWS: tuple[tuple[int, float], ...] = ((7, 1.0), (8, 2.0), (60, 30.0), (1800, 3600.0))


@dataclass(frozen=True, slots=True)
class Window:
    limit: int
    seconds: float


class SlidingWindows:
    """At most `limit` events in any `seconds`-long window, for several windows at once."""

    def __init__(self, windows: tuple[tuple[int, float], ...]) -> None:
        self._windows = tuple(Window(limit, seconds) for limit, seconds in windows)
        self._longest = max(window.seconds for window in self._windows)
        self._events: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until one more event fits every window (0 if it fits now).

        A window holds the events in (now - seconds, now]. If the newest `limit` events are
        all inside it, the oldest of them has to leave first.
        """
        while self._events and self._events[0] <= now - self._longest:
            self._events.popleft()
        wait = 0.0
        for window in self._windows:
            if len(self._events) >= window.limit:
                oldest_of_newest = self._events[-window.limit]
                if oldest_of_newest > now - window.seconds:
                    wait = max(wait, oldest_of_newest + window.seconds - now)
        return wait

    def record(self, now: float) -> None:
        self._events.append(now)


class ConversationLimits:
    """Per-conversation windows, for many conversations, forgetting idle ones."""

    def __init__(
        self, windows: tuple[tuple[int, float], ...] = TEAMS_CONVERSATION_WINDOWS, max_tracked: int = 100_000
    ) -> None:
        self._windows = windows
        self._max_tracked = max_tracked
        self._by_conversation: OrderedDict[str, SlidingWindows] = OrderedDict()

    def _for(self, conversation_id: str) -> SlidingWindows:
        limits = self._by_conversation.get(conversation_id)
        if limits is None:
            limits = self._by_conversation[conversation_id] = SlidingWindows(self._windows)
            if len(self._by_conversation) > self._max_tracked:
                # The least recently used conversation goes; its hour window may be forgotten
                # early, which only matters for a conversation that got 1800 sends an hour.
                self._by_conversation.popitem(last=False)
        else:
            self._by_conversation.move_to_end(conversation_id)
        return limits

    def wait(self, conversation_id: str, now: float) -> float:
        return self._for(conversation_id).wait(now)

    def record(self, conversation_id: str, now: float) -> None:
        self._for(conversation_id).record(now)


class PacedRate:
    """Requests spread evenly at `rate` per second (no bursts), slowed down by throttling.

    On a 429 the rate halves and nothing is sent until the Retry-After has passed; every
    `recovery_after` successful requests it grows back by a tenth, up to the configured rate.
    """

    def __init__(self, rate: float, *, minimum_rate: float = 1.0, recovery_after: int = 50) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.configured_rate = rate
        self.rate = rate
        self._minimum = min(minimum_rate, rate)
        self._recovery_after = recovery_after
        self._next_slot = 0.0
        self._paused_until = 0.0
        self._successes = 0

    def wait(self, now: float) -> float:
        return max(0.0, self._next_slot - now, self._paused_until - now)

    def take(self, now: float) -> None:
        """Use the slot at `now` (call after wait() returned 0).

        A sleep wakes a little late; the schedule does not slip by that lateness (or the
        pace would drift a few percent below the rate), but after real idleness it starts
        afresh instead of allowing a burst.
        """
        interval = 1.0 / self.rate
        start = self._next_slot if now - self._next_slot < interval else now
        self._next_slot = start + interval

    def throttled(self, now: float, retry_after: float) -> None:
        self.rate = max(self._minimum, self.rate / 2)
        self._paused_until = max(self._paused_until, now + retry_after)
        self._successes = 0

    def succeeded(self) -> None:
        if self.rate >= self.configured_rate:
            return
        self._successes += 1
        if self._successes >= self._recovery_after:
            self._successes = 0
            self.rate = min(self.configured_rate, self.rate * 1.1)


class InFlightWindow:
    """A hard cap that holds whatever the network latency: at most `limit` requests in any
    `seconds`-long window *as the server sees them*.

    A request counts from the moment it starts until `seconds` after its answer came back.
    Whatever the latency, requests that arrive together at the server were either answered
    within the last window or still in flight when the last of them started, so they are
    all counted when it starts.
    """

    def __init__(self, limit: int, seconds: float = 1.0) -> None:
        self._limit = limit
        self._seconds = seconds
        self._in_flight = 0
        self._finished: deque[float] = deque()

    @property
    def limit(self) -> int:
        return self._limit

    def wait(self, now: float, *, keep_free: int = 0) -> float | None:
        """0 to go now, seconds to wait, or None to wait until a request finishes.

        `keep_free` slots stay unused (room kept for someone else); with none left below the
        limit, None.
        """
        while self._finished and self._finished[0] <= now - self._seconds:
            self._finished.popleft()
        limit = self._limit - keep_free
        if self._in_flight + len(self._finished) < limit:
            return 0.0
        if limit <= 0 or len(self._finished) == 0 or self._in_flight >= limit:
            return None
        # Enough finished requests must leave the window to make room.
        excess = self._in_flight + len(self._finished) - limit
        return self._finished[excess] + self._seconds - now

    def start(self) -> None:
        self._in_flight += 1

    def finish(self, now: float) -> None:
        self._in_flight -= 1
        self._finished.append(now)


class SharedBudget:
    """Teams' budget per app, shared by replies in a turn and proactive sends.

    Everything the bot sends counts against one hard cap (`InFlightWindow`). Replies go
    first: a proactive send waits while a reply is waiting, and leaves free the room chat is
    about to need: what this process's recent replies would send in the next
    `REPLY_HEADROOM` of a window (its replies already in the window count anyway), plus all
    that other replicas reported, which this window does not see. When chat is idle,
    proactive sends may use the whole budget.
    """

    # Room kept for replies about to come, as a share of the last window's replies: a reply
    # then rarely waits, and when it does, only for the next slot to free up.
    REPLY_HEADROOM = 0.2

    def __init__(self, limit: int, seconds: float = 1.0) -> None:
        self._window = InFlightWindow(max(limit, 1), seconds)
        self._seconds = seconds
        self._replies: deque[float] = deque()
        self._replies_waiting = 0
        self._elsewhere = 0
        self._elsewhere_until = 0.0

    @property
    def limit(self) -> int:
        return self._window.limit

    def wait(self, now: float, *, reply: bool) -> float | None:
        """0 to go now, seconds to wait, or None to wait until a request finishes."""
        if reply:
            return self._window.wait(now)
        if self._replies_waiting:
            return None  # the reply's grant or a finish wakes the waiters again
        elsewhere = now < self._elsewhere_until
        keep_free = math.ceil(self.replies_in_window(now) * self.REPLY_HEADROOM) + (self._elsewhere if elsewhere else 0)
        wait = self._window.wait(now, keep_free=keep_free)
        if wait is not None:
            return wait
        # The room kept for chat frees up as its replies leave the window and as other
        # replicas' report goes stale, even with nothing in flight to finish.
        frees_up = [self._replies[0] + self._seconds - now] if self._replies else []
        if elsewhere:
            frees_up.append(self._elsewhere_until - now)
        return min(frees_up) if frees_up else None

    def start(self, now: float, *, reply: bool) -> None:
        self._window.start()
        if reply:
            self._replies.append(now)

    def finish(self, now: float) -> None:
        self._window.finish(now)

    def reply_waiting(self, waiting: bool) -> None:
        self._replies_waiting += 1 if waiting else -1

    def replies_in_window(self, now: float) -> int:
        while self._replies and self._replies[0] <= now - self._seconds:
            self._replies.popleft()
        return len(self._replies)

    def replies_elsewhere(self, count: int, now: float, *, valid_for: float) -> None:
        """Other replicas sent `count` replies in their last window; keep room for them a while."""
        self._elsewhere = max(0, count)
        self._elsewhere_until = now + valid_for

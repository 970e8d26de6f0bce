"""Teams' per-app request budget, shared by the replies of every turn and the outbox sender.

Teams allows each app 50 requests a second in a tenant, for everything it sends. Replies to
people chatting go first; the sender takes what they leave (`domain.rate_limits.SharedBudget`).
Across replicas, each one reports how many replies it sent in the last second (`storage.budget`)
and the leader's sender keeps room for them too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ActivityTypes, ConversationReference, ResourceResponse
from sqlmodel import Session

from bot.connector_http import ConnectorHttp, ReplyRefused
from domain.clock import Clock
from domain.rate_limits import SharedBudget
from storage.budget import ReplyReports
from storage.database import Database

log = logging.getLogger(__name__)

# Teams: 50 requests per second per app per tenant ("Optimize your bot: rate limiting").
TEAMS_APP_REQUESTS_PER_SECOND = 50


class TeamsBudget:
    """`SharedBudget` in time: waits for a slot, replies first, on the clock and sleep given."""

    def __init__(
        self,
        limit: int = TEAMS_APP_REQUESTS_PER_SECOND,
        *,
        seconds: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._budget = SharedBudget(limit)
        self._seconds = seconds
        self._sleep = sleep
        self._changed = asyncio.Condition()

    @property
    def limit(self) -> int:
        return self._budget.limit

    @contextlib.asynccontextmanager
    async def slot(self, *, reply: bool) -> AsyncIterator[None]:
        """Hold one request's place in the budget while it is sent and answered."""
        await self.acquire(reply=reply)
        try:
            yield
        finally:
            await self.release()

    async def acquire(self, *, reply: bool) -> None:
        granted = False
        if reply:
            self._budget.reply_waiting(True)
        try:
            while True:
                async with self._changed:
                    now = self._seconds()
                    wait = self._budget.wait(now, reply=reply)
                    if wait is None:
                        await self._changed.wait()  # a request finishes, or a waiting reply goes
                        continue
                    if wait <= 0:
                        self._budget.start(now, reply=reply)
                        granted = True
                        if reply:
                            self._budget.reply_waiting(False)
                            self._changed.notify_all()  # proactive sends held back for it look again
                        return
                # Never asleep holding the lock: a finishing request must be able to free its slot.
                await self._sleep(wait)
        finally:
            if reply and not granted:
                self._budget.reply_waiting(False)

    async def release(self) -> None:
        async with self._changed:
            self._budget.finish(self._seconds())
            self._changed.notify_all()

    def replies_in_last_second(self) -> int:
        return self._budget.replies_in_window(self._seconds())

    def replies_elsewhere(self, count: int, *, valid_for: float) -> None:
        """What other replicas reported sending: kept free for them for `valid_for` seconds."""
        self._budget.replies_elsewhere(count, self._seconds(), valid_for=valid_for)


# Activities CloudAdapter handles without a request to the Bot Connector.
_LOCAL_TYPES = frozenset({"delay", ActivityTypes.invoke_response, ActivityTypes.trace})


# A turn's reply: connected within 2 s and answered within 2.5 s more, or the turn gives up
# (Teams re-sends an activity the bot has not answered within 15 s).
REPLY_TIMEOUT = aiohttp.ClientTimeout(total=None, sock_connect=2.0, sock_read=2.5)
# Replies in flight at once across all turns (the connection pool's size).
REPLIES_IN_FLIGHT = 96


class BudgetedCloudAdapter(CloudAdapter):
    """The SDK's adapter, with every reply, update and delete of a turn counted in the budget.

    Replies are posted with aiohttp (`ConnectorHttp`, the request the SDK's `reply_to_activity`
    sends) while the app runs: the SDK's own path serialises through msrest and sends with
    `requests` in a worker thread, a third of a short turn's time.
    """

    def __init__(self, authentication: Any, budget: TeamsBudget) -> None:
        super().__init__(authentication)
        self.budget = budget
        # Opened by the app for as long as it serves (`async with adapter.http`).
        self.http = ConnectorHttp(REPLIES_IN_FLIGHT, timeout_seconds=30.0)

    async def send_activities(self, context: TurnContext, activities: list[Activity]) -> list[ResourceResponse]:
        responses: list[ResourceResponse] = []
        for activity in activities:
            if activity.type in _LOCAL_TYPES:
                responses += await super().send_activities(context, [activity])
                continue
            async with self.budget.slot(reply=True):
                if self.http.is_open:
                    responses.append(await self._post(context, activity))
                else:
                    responses += await super().send_activities(context, [activity])
        return responses

    async def _post(self, context: TurnContext, activity: Activity) -> ResourceResponse:
        client = context.turn_state.get(self.BOT_CONNECTOR_CLIENT_KEY)
        credentials = getattr(getattr(client, "config", None), "credentials", None)
        activity.id = None
        posted = await self.http.post(
            credentials,
            activity.service_url,
            activity.conversation.id,
            activity,
            reply_to=activity.reply_to_id,
            timeout=REPLY_TIMEOUT,
        )
        if not posted.ok:
            raise ReplyRefused(posted)
        return ResourceResponse(id=posted.activity_id)

    async def update_activity(self, context: TurnContext, activity: Activity) -> Any:
        async with self.budget.slot(reply=True):
            return await super().update_activity(context, activity)

    async def delete_activity(self, context: TurnContext, reference: ConversationReference) -> None:
        async with self.budget.slot(reply=True):
            await super().delete_activity(context, reference)


# How often a replica reports its replies and reads the others' (PostgreSQL, several replicas).
SHARE_INTERVAL_SECONDS = 0.25
# A report older than this is ignored: that replica went quiet, or went away.
REPORT_VALID = timedelta(seconds=2)


class BudgetSharing:
    """Teams counts every replica's requests against one budget: each replica reports the
    replies it sent in its last second, and keeps room for what the others reported (so the
    leader's outbox sender takes only what chat on every replica leaves)."""

    def __init__(
        self,
        database: Database,
        budget: TeamsBudget,
        clock: Clock,
        replica: str,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._database = database
        self._budget = budget
        self._clock = clock
        self.replica = replica
        self._sleep = sleep
        self._reported: tuple[int, datetime] | None = None

    async def step(self) -> int:
        """Report this replica's replies (when they changed, or the report would go stale) and
        take in the others'; what they reported."""
        replies, now = self._budget.replies_in_last_second(), self._clock.now()
        last = self._reported
        report = last is None or replies != last[0] or (replies > 0 and now - last[1] >= REPORT_VALID / 2)

        def work(session: Session) -> int:
            reports = ReplyReports(session)
            if report:
                reports.report(self.replica, replies, now)
            return reports.elsewhere(self.replica, now - REPORT_VALID)

        elsewhere = await self._database.run(work)
        if report:
            self._reported = (replies, now)
        self._budget.replies_elsewhere(elsewhere, valid_for=REPORT_VALID.total_seconds())
        return elsewhere

    async def run(self) -> None:
        failing = False
        while True:
            try:
                await self.step()
            except Exception as error:
                # The database is away: the room last reported goes stale, and this replica goes
                # on with its own budget. Said once, not four times a second.
                if not failing:
                    log.warning("could not share the reply budget with other replicas (%s)", type(error).__name__)
                failing = True
            else:
                if failing:
                    log.info("sharing the reply budget with other replicas again")
                failing = False
            await self._sleep(SHARE_INTERVAL_SECONDS)

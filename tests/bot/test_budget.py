"""Teams' 50 requests/s per app hold for everything the bot sends: replies and the outbox.

The app and its outbox sender share one budget; here it runs on the frozen clock (moved by
the fake sleeps), the same clock the fake Bot Connector judges its limits on.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.budget import BudgetSharing, TeamsBudget
from domain.outbox import ToConversation
from storage.database import Database
from storage.migrations import upgrade
from tests.support.activities import TeamsUser
from tests.support.clock import FakeSleep
from tests.support.outbox import Outbox

PEOPLE = [
    TeamsUser(f"29:chatter-{index}", f"Chatter {index}", f"eeeeeeee-0000-0000-0000-{index:012d}") for index in range(40)
]


async def test_people_chatting_during_a_fan_out_never_push_the_bot_over_teams_limit(harness_factory, db, clock):
    sleep = FakeSleep(clock)
    budget = TeamsBudget(50, seconds=sleep.seconds, sleep=sleep)
    harness = await harness_factory(budget=budget)
    outbox = Outbox(harness, db, rate=50, concurrency=8)
    outbox.sleep = sleep
    outbox.connector.clock = sleep.seconds
    sender = outbox.new_sender(budget=budget)
    for index, conversation in enumerate(outbox.add_conversations(200)):
        outbox.enqueue(f"announcement:{index}", ToConversation(conversation))

    async def chat() -> None:
        for person in PEOPLE:
            await harness.send(harness.activities.message(person, "help"))

    await asyncio.gather(sender.drain(), chat())

    replies = [sent for sent in outbox.connector.sent if sent.conversation_id.startswith("a:personal")]
    proactive = [sent for sent in outbox.connector.sent if sent.conversation_id.startswith("a:conv")]
    assert len(proactive) == 200
    assert len(replies) >= len(PEOPLE)  # everyone was answered
    assert outbox.connector.throttled == 0
    assert outbox.connector.max_requests_in(1.0) <= 50


async def test_with_nobody_chatting_the_outbox_uses_the_whole_budget(harness_factory, db, clock):
    sleep = FakeSleep(clock)
    budget = TeamsBudget(50, seconds=sleep.seconds, sleep=sleep)
    harness = await harness_factory(budget=budget)
    outbox = Outbox(harness, db, rate=50, concurrency=8)
    outbox.connector.clock = sleep.seconds
    outbox.sleep = sleep
    sender = outbox.new_sender(budget=budget)
    for index, conversation in enumerate(outbox.add_conversations(150)):
        outbox.enqueue(f"announcement:{index}", ToConversation(conversation))
    start = clock.now()

    await sender.drain()

    assert len(outbox.connector.sent) == 150
    assert outbox.connector.throttled == 0
    # 150 at 50/s: three seconds of budget (and a little for the fake clock's bunching).
    assert (clock.now() - start).total_seconds() <= 150 / 50 * 1.15


async def test_replicas_keep_room_for_the_replies_other_replicas_send(database_url, clock):
    upgrade(database_url)
    database = Database(database_url)
    try:
        sleep = FakeSleep(clock)
        chatting, leading = (TeamsBudget(50, seconds=sleep.seconds, sleep=sleep) for _ in range(2))
        chatting_replica = BudgetSharing(database, chatting, clock, "replica-a")
        leading_replica = BudgetSharing(database, leading, clock, "replica-b")
        for _ in range(30):
            async with chatting.slot(reply=True):
                pass

        await chatting_replica.step()
        assert await leading_replica.step() == 30

        for _ in range(20):  # what chat on the other replica leaves
            await leading.acquire(reply=False)
            await leading.release()
        waited_from = sleep.seconds()
        await leading.acquire(reply=False)  # the 21st waits for the window to move on
        assert sleep.seconds() - waited_from >= 1.0

        clock.advance(timedelta(seconds=3))  # that replica went quiet: its report is stale
        assert await leading_replica.step() == 0
    finally:
        database.close()


async def test_a_database_that_is_away_is_reported_once_and_the_replica_goes_on(clock, caplog):
    class Away:
        async def run(self, *_args, **_kwargs):
            raise RuntimeError("database unreachable")

    sleeps: list[float] = []

    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        if len(sleeps) == 5:
            raise asyncio.CancelledError

    budget = TeamsBudget(50)
    sharing = BudgetSharing(Away(), budget, clock, "replica-a", sleep=sleep)  # type: ignore[arg-type]
    with caplog.at_level("WARNING"), pytest.raises(asyncio.CancelledError):
        await sharing.run()
    assert len(sleeps) == 5  # it kept trying, at its interval
    assert [record.getMessage() for record in caplog.records] == [
        "could not share the reply budget with other replicas (RuntimeError)"
    ]
    async with budget.slot(reply=False):  # its own budget still works
        pass

"""The lottery's scheduled job: entries close on time (the registry is committed), and each
committed draw runs once its beacon round is out."""

from __future__ import annotations

from datetime import datetime, timedelta

from apscheduler.triggers.interval import IntervalTrigger

from features.lottery.domain import DrawStatus
from features.lottery.drawing import configured_beacon, draw_when_due
from features.lottery.storage import Draws
from features.lottery.workflows import commit_draw
from scheduling.jobs import JobContext, JobSpec

BY = "the scheduler"


async def run_lottery(context: JobContext, fire_time: datetime) -> None:
    """Each step is a conditional change of a draw's status: a rerun or a second replica does nothing twice."""
    now = context.clock.now()
    database, source = context.database, configured_beacon()
    chain = source.chain if source is not None else None
    for draw_id in await database.run(lambda s: Draws(s).due(DrawStatus.OPEN, "closes_at", now)):
        await database.run(commit_draw, context.messaging, draw_id, chain, BY, now)
    for draw_id in await database.run(lambda s: Draws(s).due(DrawStatus.COMMITTED, "committed_at", now)):
        await draw_when_due(database, context.messaging, context.clock, draw_id, source, BY)


def jobs(_timezone: str) -> list[JobSpec]:
    return [
        JobSpec(
            "lottery.tick",
            IntervalTrigger(minutes=1, timezone="UTC"),
            run_lottery,
            misfire_grace=timedelta(hours=6),
            description="close draws' entries on time (committing the registry) and draw once the beacon round is out",
        )
    ]

"""Hunts' scheduled job: hunts open and close on time, once; clues that waited long enough open."""

from __future__ import annotations

from datetime import datetime, timedelta

from apscheduler.triggers.interval import IntervalTrigger

from features.hunts.checks import configured_verifier, run_due_checks
from features.hunts.storage import Hunts, HuntStatus
from features.hunts.workflows import close_hunt, open_hunt, open_waiting_clues
from scheduling.jobs import JobContext, JobSpec


async def run_hunts(context: JobContext, fire_time: datetime) -> None:
    """Each step is a conditional change: a rerun, a second replica or a restart does nothing twice."""
    now = context.clock.now()
    database = context.database
    for hunt_id in await database.run(lambda s: Hunts(s).due(HuntStatus.SCHEDULED, "starts_at", now)):
        await database.run(open_hunt, context.messaging, hunt_id, now, context.timezone)
    for hunt_id in await database.run(lambda s: Hunts(s).due(HuntStatus.RUNNING, "ends_at", now)):
        await database.run(close_hunt, context.messaging, hunt_id, now)
    for hunt_id in await database.run(lambda s: Hunts(s).due(HuntStatus.RUNNING, "starts_at", now)):
        await database.run(open_waiting_clues, hunt_id, now)
    verifier = configured_verifier()
    if verifier is not None:
        await run_due_checks(database, context.messaging, verifier, context.clock.now)


def jobs(_timezone: str) -> list[JobSpec]:
    return [
        JobSpec(
            "hunts.tick",
            IntervalTrigger(minutes=1, timezone="UTC"),
            run_hunts,
            misfire_grace=timedelta(hours=6),
            description="open and close hunts on time, open clues that waited, check action clues left over",
        )
    ]

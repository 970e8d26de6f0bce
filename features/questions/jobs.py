"""Questions' scheduled job: one a champion has not answered in time goes to the leads."""

from __future__ import annotations

from datetime import datetime, timedelta

from apscheduler.triggers.interval import IntervalTrigger

from features.questions.workflows import escalate_waiting
from scheduling.jobs import JobContext, JobSpec


async def escalate(context: JobContext, fire_time: datetime) -> None:
    await context.database.run(escalate_waiting, context.messaging, context.clock.now())


def jobs(_timezone: str) -> list[JobSpec]:
    return [
        JobSpec(
            "questions.escalate",
            IntervalTrigger(minutes=15, timezone="UTC"),
            escalate,
            misfire_grace=timedelta(hours=6),
            description="hand questions no champion answered in time to the leads",
        )
    ]

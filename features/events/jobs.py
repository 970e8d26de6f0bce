"""Events' scheduled job: reminders a day and an hour before each occurrence, once each."""

from __future__ import annotations

from datetime import datetime, timedelta

from apscheduler.triggers.interval import IntervalTrigger

from features.events.workflows import send_reminders
from scheduling.jobs import JobContext, JobSpec


async def remind(context: JobContext, fire_time: datetime) -> None:
    await context.database.run(send_reminders, context.messaging, context.clock.now())


def jobs(_timezone: str) -> list[JobSpec]:
    return [
        JobSpec(
            "events.remind",
            IntervalTrigger(minutes=5, timezone="UTC"),
            remind,
            misfire_grace=timedelta(minutes=50),
            description="remind those coming a day and an hour before each event",
        )
    ]

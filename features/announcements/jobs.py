"""Announcements' scheduled job: those scheduled for now go out (once, whoever runs it)."""

from __future__ import annotations

from datetime import datetime, timedelta

from apscheduler.triggers.interval import IntervalTrigger

from features.announcements.workflows import send_due
from scheduling.jobs import JobContext, JobSpec


async def send_scheduled(context: JobContext, fire_time: datetime) -> None:
    await context.database.run(send_due, context.messaging, context.clock.now())


def jobs(_timezone: str) -> list[JobSpec]:
    return [
        JobSpec(
            "announcements.send",
            IntervalTrigger(minutes=1, timezone="UTC"),
            send_scheduled,
            misfire_grace=timedelta(hours=12),
            description="send announcements scheduled for now",
        )
    ]

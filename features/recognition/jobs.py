"""Recognition's scheduled job: the monthly post of top champions, story of the month and levels."""

from __future__ import annotations

from datetime import datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

from features.recognition.workflows import monthly_recognition
from scheduling.jobs import JobContext, JobSpec


async def post_monthly_recognition(context: JobContext, fire_time: datetime) -> None:
    now = context.clock.now()
    messaging = context.messaging
    await context.database.run(monthly_recognition, messaging, context.timezone, now)


def jobs(timezone: str) -> list[JobSpec]:
    return [
        JobSpec(
            "recognition.monthly-post",
            # The first of the month, mid-morning where the program lives.
            CronTrigger(day=1, hour=9, minute=30, timezone=timezone),
            post_monthly_recognition,
            misfire_grace=timedelta(days=2),
            description="post last month's top champions, story of the month and new levels to the channel",
        )
    ]

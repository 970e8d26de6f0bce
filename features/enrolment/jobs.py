"""Enrolment's scheduled job: champions whose pause has ended are active again."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from features.enrolment.workflows import end_pauses
from scheduling.jobs import JobContext, JobSpec


async def end_champion_pauses(context: JobContext, fire_time: datetime) -> None:
    """Champions whose break ends today are matched to colleagues again, and told so."""
    now = context.clock.now()
    today = now.astimezone(ZoneInfo(context.timezone)).date()
    messaging = context.messaging
    await context.database.run(end_pauses, messaging, today, now)


def jobs(timezone: str) -> list[JobSpec]:
    return [
        JobSpec(
            "champions.end-pauses",
            # Just after midnight where the program lives; matching already skips ended pauses.
            CronTrigger(hour=0, minute=15, timezone=timezone),
            end_champion_pauses,
            misfire_grace=timedelta(hours=23),
            description="make champions whose pause ended active again and welcome them back",
        )
    ]

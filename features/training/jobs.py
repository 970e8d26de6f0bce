"""Training's scheduled job: the checklist to new champions, and reminders of required items."""

from __future__ import annotations

from datetime import datetime, timedelta

from apscheduler.triggers.interval import IntervalTrigger

from features.training.workflows import send_checklists_and_reminders
from scheduling.jobs import JobContext, JobSpec


async def follow_up(context: JobContext, fire_time: datetime) -> None:
    await context.database.run(send_checklists_and_reminders, context.messaging, context.clock.now())


def jobs(_timezone: str) -> list[JobSpec]:
    return [
        JobSpec(
            "training.follow-up",
            IntervalTrigger(hours=1, timezone="UTC"),
            follow_up,
            misfire_grace=timedelta(hours=6),
            description="send new champions their onboarding checklist and remind required items left open",
        )
    ]

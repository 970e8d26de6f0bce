"""Check-ins' scheduled job: rounds prepared, sent, reminded, woken and closed at local time."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

from features.checkins.workflows import BATCH, close_due, prepare_round, remind_due, send_due, wake_snoozed
from scheduling.jobs import JobContext, JobSpec

# Enough batches for 50,000 champions due at once in one tick; what is left waits five minutes.
MAX_BATCHES_PER_STEP = 200
# After each batch the tick rests as long as the batch took: it takes at most about half of
# the database's write lock and of the interpreter, and people chatting keep the rest.
REST_PER_BATCH = 1.0


async def run_checkins(context: JobContext, fire_time: datetime) -> None:
    """Prepare the next round when it is near, then send, wake, remind and close what is due now."""
    now = context.clock.now()
    messaging = context.messaging
    database = context.database
    await database.run(prepare_round, context.timezone, now)
    for step in (send_due, wake_snoozed, remind_due, close_due):
        for _ in range(MAX_BATCHES_PER_STEP):
            started = time.perf_counter()
            processed = await database.run(step, messaging, now)
            if processed < BATCH:
                break
            await asyncio.sleep((time.perf_counter() - started) * REST_PER_BATCH)


def jobs(_timezone: str) -> list[JobSpec]:
    return [
        JobSpec(
            "checkins.tick",
            # On the five minutes, so "10:00 local" goes out at 10:00 in every whole-hour zone.
            CronTrigger(minute="*/5", timezone="UTC"),
            run_checkins,
            misfire_grace=timedelta(hours=1),
            description="prepare check-in rounds; send, remind, wake snoozed and close check-ins at local time",
        )
    ]

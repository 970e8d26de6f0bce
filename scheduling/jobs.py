"""The jobs the program runs on a schedule. Features add theirs to `JobCatalog`.

A job only changes the database (and enqueues outbox messages); the sender delivers.
That keeps jobs short, idempotent per fire time, and runnable from the command line.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from domain.clock import Clock
from domain.i18n import Translator
from domain.roles import ProgramRoles
from storage.database import Database
from storage.outbox import OutboxRepository
from storage.repositories import ActivityLedger
from workflows.champions import end_pauses
from workflows.checkins import BATCH, close_due, prepare_round, remind_due, send_due, wake_snoozed
from workflows.messaging import Messaging
from workflows.recognition import monthly_recognition


@dataclass(frozen=True, slots=True)
class JobContext:
    database: Database
    clock: Clock
    dedupe_window: timedelta
    outbox_retention: timedelta
    # For jobs that write to people: their language, and who the leads are.
    translate: Translator = field(default_factory=Translator)
    roles: ProgramRoles = field(default_factory=lambda: ProgramRoles(()))
    timezone: str = "UTC"


JobHandler = Callable[[JobContext, datetime], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class JobSpec:
    id: str
    trigger: BaseTrigger
    handler: JobHandler
    # How late a run may start and still happen once (e.g. after the bot was down).
    misfire_grace: timedelta
    description: str = ""


class JobCatalog:
    def __init__(self) -> None:
        self._jobs: dict[str, JobSpec] = {}

    def add(self, spec: JobSpec) -> None:
        if spec.id in self._jobs:
            raise ValueError(f"job {spec.id!r} registered twice")
        self._jobs[spec.id] = spec

    def get(self, job_id: str) -> JobSpec | None:
        return self._jobs.get(job_id)

    def __iter__(self) -> Iterator[JobSpec]:
        return iter(self._jobs.values())


async def prune_processed_activities(context: JobContext, fire_time: datetime) -> None:
    cutoff = context.clock.now() - context.dedupe_window
    await context.database.run(lambda s: ActivityLedger(s).prune(cutoff))


async def prune_finished_outbox(context: JobContext, fire_time: datetime) -> None:
    cutoff = context.clock.now() - context.outbox_retention
    await context.database.run(lambda s: OutboxRepository(s).prune_finished(cutoff))


def foundation_jobs() -> list[JobSpec]:
    return [
        JobSpec(
            "housekeeping.prune-processed-activities",
            IntervalTrigger(hours=1, timezone="UTC"),
            prune_processed_activities,
            misfire_grace=timedelta(hours=1),
            description="forget handled activity ids older than the de-duplication window",
        ),
        JobSpec(
            "housekeeping.prune-outbox",
            IntervalTrigger(days=1, timezone="UTC"),
            prune_finished_outbox,
            misfire_grace=timedelta(hours=12),
            description="delete delivered and failed outbox messages past their retention",
        ),
    ]


async def end_champion_pauses(context: JobContext, fire_time: datetime) -> None:
    """Champions whose break ends today are matched to colleagues again, and told so."""
    now = context.clock.now()
    today = now.astimezone(ZoneInfo(context.timezone)).date()
    messaging = Messaging(context.translate, context.roles)
    await context.database.run(lambda s: end_pauses(s, messaging, today, now))


def enrolment_jobs(timezone: str) -> list[JobSpec]:
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


# Enough batches for a very large program in one tick; what is left waits five minutes.
MAX_BATCHES_PER_STEP = 50


async def run_checkins(context: JobContext, fire_time: datetime) -> None:
    """Prepare the next round when it is near, then send, wake, remind and close what is due now."""
    now = context.clock.now()
    messaging = Messaging(context.translate, context.roles)
    database = context.database
    await database.run(lambda s: prepare_round(s, context.timezone, now))
    for step in (send_due, wake_snoozed, remind_due, close_due):
        for _ in range(MAX_BATCHES_PER_STEP):
            processed = await database.run(lambda s, step=step: step(s, messaging, now))  # type: ignore[misc]
            if processed < BATCH:
                break


def checkin_jobs() -> list[JobSpec]:
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


async def post_monthly_recognition(context: JobContext, fire_time: datetime) -> None:
    now = context.clock.now()
    messaging = Messaging(context.translate, context.roles)
    await context.database.run(lambda s: monthly_recognition(s, messaging, context.timezone, now))


def recognition_jobs(timezone: str) -> list[JobSpec]:
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

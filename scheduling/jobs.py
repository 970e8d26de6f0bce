"""The jobs the program runs on a schedule: the platform's housekeeping here, each feature's in its `jobs.py`.

A job only changes the database (and enqueues outbox messages); the sender delivers.
That keeps jobs short, idempotent per fire time, and runnable from the command line.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger

from domain.clock import Clock
from domain.i18n import Translator
from domain.roles import ProgramRoles
from storage.database import Database
from storage.messaging import Messaging
from storage.outbox import OutboxRepository
from storage.repositories import ActivityLedger


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

    @property
    def messaging(self) -> Messaging:
        """Translation and the outbox, for what a job tells people."""
        return Messaging(self.translate, self.roles)


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


def platform_jobs() -> list[JobSpec]:
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

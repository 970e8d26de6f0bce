"""The jobs the program runs on a schedule: the platform's housekeeping here, each feature's in its `jobs.py`.

A job only changes the database (and enqueues outbox messages); the sender delivers.
That keeps jobs short, idempotent per fire time, and runnable from the command line.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlmodel import Session

from domain.clock import Clock
from domain.i18n import Translator
from domain.outbox import MessagePayload, OutboundMessage, ToUser
from domain.retention import DEFAULT_RETENTION, RetentionPolicy
from domain.roles import ProgramRoles
from storage.audit import AuditTrail
from storage.database import Database
from storage.messaging import Messaging
from storage.outbox import OutboxRepository
from storage.privacy import PLATFORM_DATA, Erasure, PersonalData, departed_people, erase_on_request
from storage.repositories import ActivityLedger, Members
from storage.state_store import StateStore


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
    form_lifetime: timedelta = timedelta(hours=24)
    # What every part keeps about people, and how long: for the retention job.
    personal_data: Mapping[str, PersonalData] = field(default_factory=lambda: {"platform": PLATFORM_DATA})
    retention: RetentionPolicy = field(default_factory=lambda: DEFAULT_RETENTION)

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


STALE_FORMS_BATCH = 500
# Dialog state keys: "<channel>/conversations/<conversation>/users/<user>/dialogs".
_STATE_KEY = re.compile(r"^[^/]+/conversations/(?P<conversation>.+)/users/(?P<user>[^/]+)/dialogs$")


async def close_stale_forms(context: JobContext, fire_time: datetime) -> None:
    """End forms left untouched past their lifetime, telling each person once in their 1:1 chat,
    and delete dialog state nobody touched for as long (ended dialogs leave nothing to keep)."""
    now = context.clock.now()
    messaging = context.messaging

    def work(session: Session) -> int:
        store = StateStore(session)
        stale = store.stale(now - context.form_lifetime, STALE_FORMS_BATCH)
        for key, etag, document, updated_at in stale:
            found = _STATE_KEY.match(key)
            # Only personal chats hear about it: a channel thread is no place for "your form".
            if found and _runs_a_dialog(document) and not found["conversation"].startswith("19:"):
                user = found["user"]
                texts = messaging.texts_for(Members(session).get(user))
                payload = MessagePayload(texts("form.expired_later", when=updated_at))
                messaging.send(session, OutboundMessage(f"form-expired:{key}:{etag}", ToUser(user), payload), now)
            store.delete_unchanged(key, etag)
        return len(stale)

    while await context.database.run(work) == STALE_FORMS_BATCH:
        pass


def _runs_a_dialog(document: str) -> bool:
    """Whether stored dialog state has a dialog on its stack (read as plain JSON, not unpickled)."""
    try:
        parsed = json.loads(document)
    except ValueError:
        return False

    def walk(node: Any) -> bool:
        if isinstance(node, dict):
            if any(node.get(name) for name in ("dialog_stack", "_dialog_stack")):
                return True
            return any(walk(value) for value in node.values())
        if isinstance(node, list):
            return any(walk(item) for item in node)
        return False

    return walk(parsed)


RETENTION_BATCH = 500
DEPARTED_BATCH = 50
RETENTION_ACTOR = "retention"


async def apply_retention(context: JobContext, fire_time: datetime) -> None:
    """Forget what is past its time, and erase people gone from the directory for long enough.

    Batches of one transaction each; a second run finds nothing left to do and records
    nothing. What it did goes into the audit trail (the leads' digest reads it from there)."""
    now = context.clock.now()
    policy = context.retention
    done: Counter[str] = Counter()
    for declaration in context.personal_data.values():
        retain = declaration.retain
        if retain is None:
            continue
        while True:
            changed = await context.database.run(retain, policy, now, RETENTION_BATCH)
            done.update(changed)
            if max(changed.values(), default=0) < RETENTION_BATCH:
                break
    erasure = Erasure(now, RETENTION_ACTOR, context.messaging)

    def erase_departed(session: Session) -> int:
        people = departed_people(session, now - policy.departed, DEPARTED_BATCH)
        for email in people:
            erase_on_request(session, email, context.personal_data, erasure, RETENTION_ACTOR)
        return len(people)

    while (erased := await context.database.run(erase_departed)) > 0:
        done["departed_people_erased"] += erased
        if erased < DEPARTED_BATCH:
            break
    report = {kind: count for kind, count in sorted(done.items()) if count}
    if report:
        await context.database.run(
            lambda s: AuditTrail(s).record(RETENTION_ACTOR, "privacy.retention", "retention", now, after=report)
        )


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
            "housekeeping.close-stale-forms",
            IntervalTrigger(minutes=15, timezone="UTC"),
            close_stale_forms,
            misfire_grace=timedelta(hours=1),
            description="end forms left untouched past FORM_LIFETIME_HOURS, telling each person once",
        ),
        JobSpec(
            "housekeeping.prune-outbox",
            IntervalTrigger(days=1, timezone="UTC"),
            prune_finished_outbox,
            misfire_grace=timedelta(hours=12),
            description="delete delivered and failed outbox messages past their retention",
        ),
        JobSpec(
            "privacy.retention",
            IntervalTrigger(days=1, timezone="UTC"),
            apply_retention,
            misfire_grace=timedelta(hours=12),
            description="forget answers, feedback texts and questions past their retention; erase departed people",
        ),
    ]

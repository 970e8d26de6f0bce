"""APScheduler 3 with the program's rules.

- Jobs live in the SQLAlchemy job store on the program's database, with fixed ids.
- A job that was due while the bot was down keeps its missed fire time across the
  restart (re-registering would otherwise move it to the future), so it runs once.
- Every run is recorded as (job id, scheduled fire time); a second fire of the same
  time does nothing, whichever process fires it.
- Errors from jobs go to one place: logged with the job and fire time, and recorded.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

from apscheduler.events import EVENT_JOB_EXECUTED, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.base import BaseExecutor
from apscheduler.job import Job
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlmodel import Session

from scheduling.jobs import JobCatalog, JobContext, JobSpec
from storage.database import create_database_engine
from storage.job_runs import JobRuns
from storage.models import APSCHEDULER_JOBS_TABLE

log = logging.getLogger(__name__)

JOBSTORE = "default"
EXECUTOR = "default"


def scheduled_job(*_args: Any, **_kwargs: Any) -> None:
    """Stored as every job's function so the job store has an importable reference.

    The executor below runs the job's handler from the catalog instead; this is never called.
    """
    raise RuntimeError("scheduled jobs are run by ProgramJobExecutor")


class JobRunner:
    """Runs one fire of a job at most once, and is the one error handler for jobs."""

    def __init__(self, catalog: JobCatalog, context: JobContext) -> None:
        self._catalog = catalog
        self._context = context
        self.finished = asyncio.Event()  # set after every run; tests wait on it instead of sleeping

    async def run(self, job_id: str, fire_time: datetime) -> bool:
        """Run the job for this fire time; False when it was already run (or is unknown)."""
        spec = self._catalog.get(job_id)
        if spec is None:
            log.error("no handler for scheduled job %r; it is skipped", job_id)
            return False
        fire_time = fire_time.astimezone(UTC)
        database, clock = self._context.database, self._context.clock
        now = clock.now()
        if not await database.run(lambda s: JobRuns(s).claim(job_id, fire_time, now)):
            log.info("job %s for %s already ran; skipped", job_id, fire_time.isoformat())
            return False
        error: str | None = None
        try:
            await spec.handler(self._context, fire_time)
        except Exception as exc:
            error = f"{exc.__class__.__name__}: {exc}"
            log.exception("job %s for %s failed", job_id, fire_time.isoformat())
        finished_at = clock.now()

        def record(session: Session) -> None:
            JobRuns(session).finish(job_id, fire_time, finished_at, error)

        await database.run(record)
        self.finished.set()
        return error is None


class ProgramJobExecutor(BaseExecutor):
    """Runs due jobs through the JobRunner, which knows the fire time and the app context."""

    def __init__(self, runner: JobRunner) -> None:
        super().__init__()
        self._runner = runner
        self._pending: set[asyncio.Task[list[JobExecutionEvent]]] = set()

    def start(self, scheduler: Any, alias: str) -> None:
        super().start(scheduler, alias)
        self._eventloop = scheduler._eventloop

    def shutdown(self, wait: bool = True) -> None:
        for task in self._pending:
            task.cancel()
        self._pending.clear()

    def _do_submit_job(self, job: Job, run_times: list[datetime]) -> None:
        task = self._eventloop.create_task(self._run(job, run_times))

        def done(finished: asyncio.Task[list[JobExecutionEvent]]) -> None:
            self._pending.discard(finished)
            if finished.cancelled():
                return
            if (error := finished.exception()) is not None:
                self._run_job_error(job.id, error, error.__traceback__)
            else:
                self._run_job_success(job.id, finished.result())

        task.add_done_callback(done)
        self._pending.add(task)

    async def _run(self, job: Job, run_times: list[datetime]) -> list[JobExecutionEvent]:
        events = []
        for run_time in run_times:
            late = datetime.now(UTC) - run_time
            if job.misfire_grace_time is not None and late.total_seconds() > job.misfire_grace_time:
                log.warning("job %s missed its %s run by %s (beyond its grace time)", job.id, run_time, late)
                events.append(JobExecutionEvent(EVENT_JOB_MISSED, job.id, job._jobstore_alias, run_time))
                continue
            await self._runner.run(job.id, run_time)
            events.append(JobExecutionEvent(EVENT_JOB_EXECUTED, job.id, job._jobstore_alias, run_time))
        return events


class ProgramScheduler:
    def __init__(self, catalog: JobCatalog, context: JobContext) -> None:
        self._catalog = catalog
        self.runner = JobRunner(catalog, context)
        self._database_url = context.database.url
        self._scheduler: AsyncIOScheduler | None = None

    def start(self) -> None:
        # The job store gets an engine of its own: APScheduler disposes it at shutdown.
        engine = create_database_engine(self._database_url, pool_size=1)
        scheduler = AsyncIOScheduler(
            timezone=UTC,
            jobstores={JOBSTORE: SQLAlchemyJobStore(engine=engine, tablename=APSCHEDULER_JOBS_TABLE)},
            executors={EXECUTOR: ProgramJobExecutor(self.runner)},
            job_defaults={"coalesce": True, "max_instances": 1},
        )
        # Paused while registering, so nothing fires against half-registered jobs.
        scheduler.start(paused=True)
        for spec in self._catalog:
            self._register(scheduler, spec)
        scheduler.resume()
        self._scheduler = scheduler

    @staticmethod
    def _register(scheduler: AsyncIOScheduler, spec: JobSpec) -> None:
        existing = scheduler.get_job(spec.id, JOBSTORE)
        keep: dict[str, Any] = {}
        if existing is not None and str(existing.trigger) == str(spec.trigger) and existing.next_run_time:
            # Same schedule as before: keep the stored next fire time, even if it is in the past.
            keep["next_run_time"] = existing.next_run_time
        scheduler.add_job(
            scheduled_job,
            trigger=spec.trigger,
            id=spec.id,
            name=spec.description or spec.id,
            replace_existing=True,
            misfire_grace_time=int(spec.misfire_grace.total_seconds()),
            jobstore=JOBSTORE,
            executor=EXECUTOR,
            **keep,
        )

    async def shutdown(self) -> None:
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
            # AsyncIOScheduler only queues its shutdown on the loop; let it happen now, so
            # that a scheduler started next never overlaps with this one winding down.
            await asyncio.sleep(0)
        self._scheduler = None


def list_jobs(engine: Any) -> list[tuple[str, str, datetime | None]]:
    """(id, trigger, next fire time) for every stored job, without starting a scheduler."""
    store = SQLAlchemyJobStore(engine=engine, tablename=APSCHEDULER_JOBS_TABLE)

    class _Reader:  # the job store only needs these to rebuild jobs
        timezone = UTC
        _logger = log

    store.start(_Reader(), JOBSTORE)  # type: ignore[arg-type]
    return [(job.id, str(job.trigger), job.next_run_time) for job in store.get_all_jobs()]

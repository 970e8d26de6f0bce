"""Jobs: fixed ids in the database job store, once per fire time, missed runs made up once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import func, select

from domain.clock import SystemClock
from scheduling.jobs import JobCatalog, JobContext, JobSpec, platform_jobs
from scheduling.scheduler import JobRunner, ProgramScheduler, list_jobs
from storage.database import Database, create_database_engine
from storage.job_runs import JobRuns
from storage.migrations import upgrade
from storage.models import APSCHEDULER_JOBS_TABLE, apscheduler_jobs

HOURLY = "test.hourly"


@pytest.fixture
def database(database_url):
    upgrade(database_url)
    db = Database(database_url)
    yield db
    db.close()


class Recorder:
    def __init__(self) -> None:
        self.fire_times: list[datetime] = []

    async def __call__(self, context: JobContext, fire_time: datetime) -> None:
        self.fire_times.append(fire_time)


def context_for(database: Database) -> JobContext:
    return JobContext(database, SystemClock(), timedelta(hours=48), timedelta(days=30))


def catalog_with(handler, grace=timedelta(hours=1)) -> JobCatalog:
    catalog = JobCatalog()
    catalog.add(JobSpec(HOURLY, IntervalTrigger(hours=1, timezone="UTC"), handler, misfire_grace=grace))
    return catalog


def stored_next_run(database: Database) -> datetime:
    [(_id, _trigger, next_run)] = [job for job in list_jobs(database.engine) if job[0] == HOURLY]
    return next_run


def move_next_run(database: Database, when: datetime) -> None:
    """What downtime looks like in the job store: a next fire time that has passed."""

    async def modify() -> None:
        store = SQLAlchemyJobStore(engine=create_database_engine(database.url), tablename=APSCHEDULER_JOBS_TABLE)
        scheduler = AsyncIOScheduler(timezone=UTC, jobstores={"default": store})
        scheduler.start(paused=True)
        scheduler.modify_job(HOURLY, next_run_time=when)
        scheduler.shutdown(wait=False)
        await asyncio.sleep(0)  # its shutdown is queued on the loop

    return modify()


async def run_scheduler_until_a_job_ran(scheduler: ProgramScheduler) -> None:
    scheduler.start()
    try:
        await asyncio.wait_for(scheduler.runner.finished.wait(), timeout=10)
    finally:
        await scheduler.shutdown()


async def test_same_fire_time_runs_once_even_when_fired_twice_at_once(database):
    recorder = Recorder()
    runner = JobRunner(catalog_with(recorder), context_for(database))
    fire_time = datetime(2026, 11, 23, 9, tzinfo=UTC)

    results = await asyncio.gather(runner.run(HOURLY, fire_time), runner.run(HOURLY, fire_time))

    assert sorted(results) == [False, True]
    assert recorder.fire_times == [fire_time]
    [run] = database.transaction(lambda s: JobRuns(s).history(HOURLY))
    assert run.outcome == "done" and run.finished_at is not None


async def test_a_failing_job_is_logged_and_recorded_and_the_next_fire_still_runs(database, caplog):
    calls = []

    async def flaky(context, fire_time):
        calls.append(fire_time)
        if len(calls) == 1:
            raise ValueError("directory export missing")

    runner = JobRunner(catalog_with(flaky), context_for(database))
    first, second = datetime(2026, 11, 23, 9, tzinfo=UTC), datetime(2026, 11, 23, 10, tzinfo=UTC)

    assert await runner.run(HOURLY, first) is False
    assert await runner.run(HOURLY, second) is True

    assert "job test.hourly for 2026-11-23T09:00:00+00:00 failed" in caplog.text
    assert "ValueError: directory export missing" in caplog.text
    runs = database.transaction(lambda s: JobRuns(s).history(HOURLY))
    assert [(run.outcome, run.error) for run in runs] == [
        ("failed", "ValueError: directory export missing"),
        ("done", None),
    ]


async def test_jobs_are_registered_once_with_fixed_ids(database):
    catalog = JobCatalog()
    for spec in platform_jobs():
        catalog.add(spec)
    for _restart in range(3):
        scheduler = ProgramScheduler(catalog, context_for(database))
        scheduler.start()
        await scheduler.shutdown()

    ids = sorted(job_id for job_id, _trigger, _next in list_jobs(database.engine))
    assert ids == [
        "housekeeping.close-stale-forms",
        "housekeeping.prune-outbox",
        "housekeeping.prune-processed-activities",
        "privacy.retention",
    ]
    count = database.transaction(lambda s: s.execute(select(func.count()).select_from(apscheduler_jobs)).scalar_one())
    assert count == 4


async def test_a_job_missed_while_down_runs_once_after_the_restart(database):
    recorder = Recorder()
    scheduler = ProgramScheduler(catalog_with(recorder), context_for(database))
    scheduler.start()
    await scheduler.shutdown()
    # The bot was down when the job was due ten minutes ago.
    missed = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10)
    await move_next_run(database, missed)

    restarted = ProgramScheduler(catalog_with(recorder), context_for(database))
    await run_scheduler_until_a_job_ran(restarted)

    assert recorder.fire_times == [missed]
    assert stored_next_run(database) == missed + timedelta(hours=1)  # back on its hourly schedule

    # The same missed time fired again (say by a second process) does nothing.
    assert await restarted.runner.run(HOURLY, missed) is False
    assert recorder.fire_times == [missed]


async def test_a_job_missed_beyond_its_grace_time_is_skipped_not_run_late(database, caplog):
    recorder = Recorder()
    scheduler = ProgramScheduler(catalog_with(recorder, grace=timedelta(minutes=30)), context_for(database))
    scheduler.start()
    await scheduler.shutdown()
    long_ago = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3, minutes=10)
    await move_next_run(database, long_ago)

    restarted = ProgramScheduler(catalog_with(recorder, grace=timedelta(minutes=30)), context_for(database))
    restarted.start()
    try:
        for _ in range(200):  # let the scheduler process its due jobs (no wall-clock waiting)
            await asyncio.sleep(0)
            if stored_next_run(database) > datetime.now(UTC):
                break
    finally:
        await restarted.shutdown()

    assert recorder.fire_times == []
    assert stored_next_run(database) > datetime.now(UTC)

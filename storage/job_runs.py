"""One row per (job, fire time), so that a job fired twice for the same time runs once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlmodel import Session, col

from storage.models import JobRunRecord
from storage.sql import insert_if_absent, table_of

MAX_ERROR_LENGTH = 1024


class JobRuns:
    def __init__(self, session: Session) -> None:
        self._session = session

    def claim(self, job_id: str, fire_time: datetime, now: datetime) -> bool:
        """Record that this fire time is being run; False if it already was."""
        values = {"job_id": job_id, "fire_time": fire_time, "started_at": now, "outcome": "running"}
        return insert_if_absent(self._session, table_of(JobRunRecord), values, keys=("job_id", "fire_time"))

    def finish(self, job_id: str, fire_time: datetime, now: datetime, error: str | None = None) -> None:
        self._session.execute(
            update(JobRunRecord)
            .where(col(JobRunRecord.job_id) == job_id, col(JobRunRecord.fire_time) == fire_time)
            .values(
                finished_at=now,
                outcome="failed" if error else "done",
                error=error[:MAX_ERROR_LENGTH] if error else None,
            )
        )

    def history(self, job_id: str) -> list[JobRunRecord]:
        return list(
            self._session.execute(
                select(JobRunRecord).where(col(JobRunRecord.job_id) == job_id).order_by(col(JobRunRecord.fire_time))
            ).scalars()
        )

"""Reads and writes of the digests' own tables."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlmodel import Session, col

from features.digests.domain import Answer, Decision, Health, Schedule
from features.digests.tables import (
    DigestDecisionRecord,
    DigestDeliveryRecord,
    DigestHealthRecord,
    DigestScheduleRecord,
)
from storage.sql import affected_rows, insert_if_absent, table_of, upsert


class HealthHistory:
    def __init__(self, session: Session) -> None:
        self._session = session

    def of(self, period: str) -> dict[str, float | None]:
        row = self._session.get(DigestHealthRecord, period)
        return {figure.value: getattr(row, figure.value) for figure in Health} if row is not None else {}

    def keep(self, period: str, figures: dict[str, float | None], at: datetime) -> None:
        values = {"period": period, **figures, "computed_at": at}
        upsert(self._session, table_of(DigestHealthRecord), values, keys=("period",), update=values)


class Schedules:
    def __init__(self, session: Session) -> None:
        self._session = session

    def of(self, member_id: int) -> Schedule:
        row = self._session.get(DigestScheduleRecord, member_id)
        return Schedule(row.weekday, row.hour, row.snoozed_until) if row is not None else Schedule()

    def save(self, member_id: int, schedule: Schedule, at: datetime) -> None:
        values = {
            "member_id": member_id,
            "weekday": schedule.weekday,
            "hour": schedule.hour,
            "snoozed_until": schedule.snoozed_until,
            "updated_at": at,
        }
        upsert(self._session, table_of(DigestScheduleRecord), values, keys=("member_id",), update=values)

    def snoozed_until(self, member_id: int) -> date | None:
        return self.of(member_id).snoozed_until


class Deliveries:
    def __init__(self, session: Session) -> None:
        self._session = session

    def decided(self, kind: str, period: str) -> set[int]:
        return set(
            self._session.execute(
                select(col(DigestDeliveryRecord.member_id)).where(
                    col(DigestDeliveryRecord.kind) == kind, col(DigestDeliveryRecord.period) == period
                )
            ).scalars()
        )

    def decide(self, kind: str, period: str, member_id: int, sent: bool, at: datetime) -> bool:
        """False when this reader's digest for the period was already decided (a rerun, a replica)."""
        values = {"kind": kind, "period": period, "member_id": member_id, "sent": sent, "decided_at": at}
        return insert_if_absent(
            self._session, table_of(DigestDeliveryRecord), values, keys=("kind", "period", "member_id")
        )


class Decisions:
    def __init__(self, session: Session) -> None:
        self._session = session

    def raise_one(self, question: str, by: str, at: datetime) -> int:
        record = DigestDecisionRecord(question=question, raised_by=by, raised_at=at)
        self._session.add(record)
        self._session.flush()
        assert record.id is not None
        return record.id

    def open(self, limit: int) -> list[Decision]:
        rows = self._session.execute(
            select(DigestDecisionRecord)
            .where(col(DigestDecisionRecord.answer).is_(None))
            .order_by(col(DigestDecisionRecord.raised_at), col(DigestDecisionRecord.id))
            .limit(limit)
        ).scalars()
        return [Decision(row.id or 0, row.question, row.raised_by, row.raised_at) for row in rows]

    def get(self, decision_id: int) -> DigestDecisionRecord | None:
        return self._session.get(DigestDecisionRecord, decision_id)

    def answer(self, decision_id: int, answer: Answer, by: str, at: datetime) -> bool:
        """The first answer stands: False when it was already answered."""
        result = self._session.execute(
            update(DigestDecisionRecord)
            .where(col(DigestDecisionRecord.id) == decision_id, col(DigestDecisionRecord.answer).is_(None))
            .values(answer=answer.value, answered_by=by, answered_at=at)
        )
        return affected_rows(result) > 0

"""Feedback items raised in check-ins: recorded, withdrawn, found, counted and triaged."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlmodel import Session, col

from features.checkins.domain import Checkin
from features.checkins.feedback_domain import FeedbackFilter, FeedbackItem, FeedbackStatus
from features.checkins.tables import (
    CheckinRoundRecord,
    FeedbackEventRecord,
    FeedbackItemRecord,
)
from storage.models import ChampionRecord, MemberRecord
from storage.sql import affected_rows, insert_if_absent, table_of


class FeedbackBoard:
    def __init__(self, session: Session) -> None:
        self._session = session

    def record(self, view: Checkin, question_id: str, text: str, now: datetime) -> None:
        """Create the item for this answer, or update its text while nobody has triaged it."""
        table = table_of(FeedbackItemRecord)
        created = insert_if_absent(
            self._session,
            table,
            {
                "assignment_id": view.id,
                "question_id": question_id,
                "round_id": view.round_id,
                "champion_id": view.champion_id,
                "text": text,
                "department": view.department,
                "office": view.office,
                "team": view.team,
                "status": FeedbackStatus.NEW.value,
                "owner": "",
                "created_at": now,
                "updated_at": now,
            },
            keys=("assignment_id", "question_id"),
        )
        if not created:
            self._session.execute(
                update(FeedbackItemRecord)
                .where(col(FeedbackItemRecord.assignment_id) == view.id)
                .where(col(FeedbackItemRecord.question_id) == question_id)
                .where(col(FeedbackItemRecord.status) == FeedbackStatus.NEW.value)
                .where(col(FeedbackItemRecord.text) != text)
                .values(text=text, updated_at=now)
            )

    def withdraw(self, assignment_id: int, question_id: str) -> None:
        """An answer emptied before anyone triaged it: the item goes too."""
        items = self._session.execute(
            select(FeedbackItemRecord)
            .where(col(FeedbackItemRecord.assignment_id) == assignment_id)
            .where(col(FeedbackItemRecord.question_id) == question_id)
            .where(col(FeedbackItemRecord.status) == FeedbackStatus.NEW.value)
        ).scalars()
        for item in items:
            if not self._session.execute(
                select(col(FeedbackEventRecord.id)).where(col(FeedbackEventRecord.item_id) == item.id).limit(1)
            ).first():
                self._session.delete(item)

    def _select(self) -> Any:
        last_note = (
            select(col(FeedbackEventRecord.note))
            .where(col(FeedbackEventRecord.item_id) == col(FeedbackItemRecord.id))
            .where(col(FeedbackEventRecord.note) != "")
            .order_by(col(FeedbackEventRecord.id).desc())
            .limit(1)
            .scalar_subquery()
        )
        return (
            select(
                FeedbackItemRecord,
                col(CheckinRoundRecord.round_date),
                col(MemberRecord.display_name),
                col(MemberRecord.teams_user_id),
                col(MemberRecord.locale),
                last_note,
            )
            .join(CheckinRoundRecord, col(CheckinRoundRecord.id) == col(FeedbackItemRecord.round_id))
            .outerjoin(ChampionRecord, col(ChampionRecord.id) == col(FeedbackItemRecord.champion_id))
            .outerjoin(MemberRecord, col(MemberRecord.id) == col(ChampionRecord.member_id))
        )

    @staticmethod
    def _view(row: Any) -> FeedbackItem:
        item, round_date, name, teams_id, locale, note = row
        return FeedbackItem(
            id=item.id,
            text=item.text,
            question_id=item.question_id,
            status=FeedbackStatus(item.status),
            owner=item.owner,
            department=item.department,
            office=item.office,
            team=item.team,
            round_date=round_date,
            raised_by=name,
            raised_by_teams_id=teams_id,
            raised_by_locale=locale,
            created_at=item.created_at,
            updated_at=item.updated_at,
            last_note=note or "",
        )

    def get(self, item_id: int) -> FeedbackItem | None:
        row = self._session.execute(self._select().where(col(FeedbackItemRecord.id) == item_id)).first()
        return self._view(row) if row else None

    def find(self, wanted: FeedbackFilter, limit: int | None = None) -> list[FeedbackItem]:
        statement = self._select()
        if wanted.status is not None:
            statement = statement.where(col(FeedbackItemRecord.status) == wanted.status.value)
        if wanted.unit:
            unit = wanted.unit.lower()
            statement = statement.where(
                or_(
                    func.lower(col(FeedbackItemRecord.department)) == unit,
                    func.lower(col(FeedbackItemRecord.office)) == unit,
                    func.lower(col(FeedbackItemRecord.team)) == unit,
                )
            )
        statement = statement.order_by(col(FeedbackItemRecord.updated_at).desc(), col(FeedbackItemRecord.id).desc())
        if limit is not None:
            statement = statement.limit(limit)
        return [self._view(row) for row in self._session.execute(statement).all()]

    def counts(self) -> dict[FeedbackStatus, int]:
        rows = self._session.execute(
            select(col(FeedbackItemRecord.status), func.count()).group_by(col(FeedbackItemRecord.status))
        ).all()
        return {FeedbackStatus(status): count for status, count in rows}

    def units(self) -> list[str]:
        values: set[str] = set()
        for column in (FeedbackItemRecord.department, FeedbackItemRecord.office, FeedbackItemRecord.team):
            values.update(v for v in self._session.execute(select(col(column)).distinct()).scalars() if v)
        return sorted(values)

    def change(
        self,
        item_id: int,
        expected: FeedbackStatus,
        status: FeedbackStatus,
        owner: str,
        note: str,
        by: str,
        at: datetime,
    ) -> bool:
        """Apply a triage step from the status the lead saw; the step is kept in the item's history."""
        result = self._session.execute(
            update(FeedbackItemRecord)
            .where(col(FeedbackItemRecord.id) == item_id)
            .where(col(FeedbackItemRecord.status) == expected.value)
            .values(status=status.value, owner=owner, updated_at=at)
        )
        if not affected_rows(result):
            return False
        self._session.add(
            FeedbackEventRecord(item_id=item_id, status=status.value, owner=owner, note=note, by=by, at=at)
        )
        return True

"""Reads and writes of questions; every change is conditional on the state it changes from,
so a card pressed twice, or by two people at once, changes a question once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from features.questions.domain import Kind, Question, Status
from features.questions.tables import QuestionRecord
from storage.champions import serving
from storage.models import ChampionRecord, MemberRecord
from storage.sql import affected_rows


class Questions:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, asker_member_id: int, text: str, department: str, at: datetime) -> int:
        record = QuestionRecord(
            asker_member_id=asker_member_id, text=text, department=department, status=Status.ASKED.value, asked_at=at
        )
        self._session.add(record)
        self._session.flush()
        assert record.id is not None
        return record.id

    def _select(self) -> Any:
        asker = aliased(MemberRecord)
        champion_member = aliased(MemberRecord)
        return (
            select(
                QuestionRecord,
                col(asker.teams_user_id),
                col(asker.display_name),
                col(asker.locale),
                col(champion_member.display_name),
            )
            .outerjoin(asker, col(asker.id) == col(QuestionRecord.asker_member_id))
            .outerjoin(ChampionRecord, col(ChampionRecord.id) == col(QuestionRecord.champion_id))
            .outerjoin(champion_member, col(champion_member.id) == col(ChampionRecord.member_id))
        )

    @staticmethod
    def _question(row: Any) -> Question:
        record, asker_id, asker_name, asker_locale, champion_name = row
        return Question(
            id=record.id,
            text=record.text,
            topic=record.topic,
            kind=Kind(record.kind) if record.kind else None,
            status=Status(record.status),
            asker_member_id=record.asker_member_id,
            asker_teams_user_id=asker_id,
            asker_name=asker_name or "",
            asker_locale=asker_locale,
            department=record.department,
            champion_id=record.champion_id,
            champion_name=champion_name or "",
            passes=record.passes,
            asked_at=record.asked_at,
            routed_at=record.routed_at,
            answer=record.answer,
            answered_by=record.answered_by,
            rating=record.rating,
        )

    def get(self, question_id: int) -> Question | None:
        row = self._session.execute(self._select().where(col(QuestionRecord.id) == question_id)).first()
        return self._question(row) if row is not None else None

    def open(self, limit: int) -> list[Question]:
        statuses = [Status.WITH_CHAMPION.value, Status.WITH_LEADS.value]
        rows = self._session.execute(
            self._select()
            .where(col(QuestionRecord.status).in_(statuses))
            .order_by(col(QuestionRecord.asked_at))
            .limit(limit)
        ).all()
        return [self._question(row) for row in rows]

    def count_open(self) -> int:
        statuses = [Status.WITH_CHAMPION.value, Status.WITH_LEADS.value]
        return int(
            self._session.execute(select(func.count()).where(col(QuestionRecord.status).in_(statuses))).scalar_one()
        )

    def waiting_too_long(self, routed_before: datetime) -> list[int]:
        return list(
            self._session.execute(
                select(col(QuestionRecord.id)).where(
                    col(QuestionRecord.status) == Status.WITH_CHAMPION.value,
                    col(QuestionRecord.routed_at) < routed_before,
                )
            ).scalars()
        )

    def _move(self, question_id: int, *conditions: Any, **values: Any) -> bool:
        result = self._session.execute(
            update(QuestionRecord).where(col(QuestionRecord.id) == question_id, *conditions).values(**values)
        )
        return affected_rows(result) > 0

    def classify(self, question_id: int, kind: Kind, topic: str, status: Status, at: datetime) -> bool:
        """From ASKED only: the asker said what kind of question it is."""
        return self._move(
            question_id,
            col(QuestionRecord.status) == Status.ASKED.value,
            kind=kind.value,
            topic=topic,
            status=status.value,
            routed_at=at if status is Status.WITH_CHAMPION else None,
        )

    def assign(self, question_id: int, champion_id: int, expected: int | None, at: datetime, *, passed: bool) -> bool:
        """To a champion, from the champion who had it (None: nobody yet)."""
        held = col(QuestionRecord.champion_id)
        values: dict[str, Any] = {
            "champion_id": champion_id,
            "status": Status.WITH_CHAMPION.value,
            "routed_at": at,
        }
        if passed:
            values["passes"] = QuestionRecord.passes + 1  # type: ignore[operator]
        return self._move(
            question_id,
            held.is_(None) if expected is None else held == expected,
            col(QuestionRecord.status).in_([Status.WITH_CHAMPION.value, Status.WITH_LEADS.value]),
            **values,
        )

    def to_leads(self, question_id: int, at: datetime, *, escalated: bool) -> bool:
        values: dict[str, Any] = {"status": Status.WITH_LEADS.value}
        if escalated:
            values["escalated_at"] = at
        return self._move(question_id, col(QuestionRecord.status) == Status.WITH_CHAMPION.value, **values)

    def answer(self, question_id: int, text: str, by: str, champion_id: int | None, at: datetime) -> bool:
        return self._move(
            question_id,
            col(QuestionRecord.status).in_([Status.WITH_CHAMPION.value, Status.WITH_LEADS.value]),
            status=Status.ANSWERED.value,
            answer=text,
            answered_by=by,
            answered_by_champion_id=champion_id,
            answered_at=at,
        )

    def rate(self, question_id: int, value: int, at: datetime) -> bool:
        return self._move(
            question_id,
            col(QuestionRecord.status) == Status.ANSWERED.value,
            col(QuestionRecord.rating).is_(None),
            rating=value,
            rated_at=at,
        )

    def answered_by_champion(self, question_id: int) -> int | None:
        return self._session.execute(
            select(col(QuestionRecord.answered_by_champion_id)).where(col(QuestionRecord.id) == question_id)
        ).scalar_one_or_none()

    def topics_between(self, since: datetime, until: datetime) -> dict[str, int]:
        """Business questions asked in the window, by topic ("" for none chosen)."""
        rows = self._session.execute(
            select(col(QuestionRecord.topic), func.count())
            .where(col(QuestionRecord.kind) == Kind.BUSINESS.value)
            .where(col(QuestionRecord.asked_at) >= since, col(QuestionRecord.asked_at) < until)
            .group_by(col(QuestionRecord.topic))
        ).all()
        return {topic or "": int(count) for topic, count in rows}


def serving_champion(session: Session, champion_id: int) -> tuple[str, str] | None:
    """(Teams id, name) of a champion still serving, to hand a question to."""
    row = session.execute(
        select(col(MemberRecord.teams_user_id), col(MemberRecord.display_name))
        .join(ChampionRecord, col(ChampionRecord.member_id) == col(MemberRecord.id))
        .where(col(ChampionRecord.id) == champion_id, *serving())
    ).first()
    return (row[0], row[1] or "") if row is not None else None

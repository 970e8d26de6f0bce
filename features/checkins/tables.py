"""Check-ins' tables: rounds, each champion's check-in in a round, feedback items and their history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models import utc_field as _utc


class CheckinRoundRecord(SQLModel, table=True):
    """One check-in round: its date, and the questions it asked (later edits do not change them)."""

    __tablename__ = "checkin_round"

    id: int | None = Field(default=None, primary_key=True)
    round_date: date = Field(unique=True)
    questions: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    cadence: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = _utc()


class CheckinAssignmentRecord(SQLModel, table=True):
    """One champion's check-in in one round, scheduled in their own time zone, and their answer."""

    __tablename__ = "checkin_assignment"
    __table_args__ = (
        UniqueConstraint("round_id", "champion_id"),
        Index("ix_checkin_assignment_due", "status", "due_at"),
        Index("ix_checkin_assignment_remind", "status", "remind_at"),
        Index("ix_checkin_assignment_close", "status", "closes_at"),
        Index("ix_checkin_assignment_champion", "champion_id", "round_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="checkin_round.id")
    # None once the champion's data was erased: the answer still counts for its unit and round.
    champion_id: int | None = Field(default=None, foreign_key="champion.id")
    status: str = Field(max_length=16)
    timezone: str = Field(max_length=64)
    # The champion's unit when the round was prepared, so summaries by unit stay as they were.
    department: str = Field(default="", max_length=256)
    office: str = Field(default="", max_length=256)
    team: str = Field(default="", max_length=256)
    due_at: datetime = _utc()
    remind_at: datetime | None = _utc(default=None, nullable=True)
    closes_at: datetime = _utc()
    sent_at: datetime | None = _utc(default=None, nullable=True)
    reminded_at: datetime | None = _utc(default=None, nullable=True)
    snoozed_until: datetime | None = _utc(default=None, nullable=True)
    answered_at: datetime | None = _utc(default=None, nullable=True)
    updated_at: datetime | None = _utc(default=None, nullable=True)
    skip_reason: str | None = Field(default=None, max_length=500)
    answers: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    sentiment: int | None = Field(default=None)
    hours: float | None = Field(default=None)


class FeedbackItemRecord(SQLModel, table=True):
    """A challenge or a message for the project team, raised in a check-in, triaged by leads."""

    __tablename__ = "feedback_item"
    __table_args__ = (UniqueConstraint("assignment_id", "question_id"),)

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="checkin_assignment.id")
    question_id: str = Field(max_length=64)
    round_id: int = Field(foreign_key="checkin_round.id", index=True)
    # None once the champion's data was erased; the item stays on the board for its unit.
    champion_id: int | None = Field(default=None, foreign_key="champion.id", index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    department: str = Field(default="", max_length=256, index=True)
    office: str = Field(default="", max_length=256)
    team: str = Field(default="", max_length=256)
    status: str = Field(max_length=16, index=True)
    owner: str = Field(default="", max_length=120)
    created_at: datetime = _utc()
    updated_at: datetime = _utc(index=True)


class FeedbackEventRecord(SQLModel, table=True):
    """Every triage step, with its note: the item's history is never edited."""

    __tablename__ = "feedback_event"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="feedback_item.id", index=True)
    status: str = Field(max_length=16)
    owner: str = Field(default="", max_length=120)
    note: str = Field(default="", max_length=500)
    by: str = Field(max_length=256)
    at: datetime = _utc()

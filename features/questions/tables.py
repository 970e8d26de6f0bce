"""Questions colleagues ask the champions, and what became of each."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from storage.models import utc_field as _utc


class QuestionRecord(SQLModel, table=True):
    """A question: who asked (until they erase their data), about what, who has it, the answer."""

    __tablename__ = "question"
    __table_args__ = (Index("ix_question_status_routed", "status", "routed_at"),)

    id: int | None = Field(default=None, primary_key=True)
    asker_member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    topic: str = Field(default="", max_length=128)
    kind: str | None = Field(default=None, max_length=16)
    status: str = Field(max_length=16)
    # Where the asker works, when they asked: the unit a question counts for.
    department: str = Field(default="", max_length=256)
    champion_id: int | None = Field(default=None, foreign_key="champion.id", index=True)
    passes: int = Field(default=0)
    asked_at: datetime = _utc()
    routed_at: datetime | None = _utc(default=None, nullable=True)
    answer: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    answered_by: str | None = Field(default=None, max_length=256)
    answered_by_champion_id: int | None = Field(default=None, foreign_key="champion.id")
    answered_at: datetime | None = _utc(default=None, nullable=True)
    rating: int | None = Field(default=None)
    rated_at: datetime | None = _utc(default=None, nullable=True)
    escalated_at: datetime | None = _utc(default=None, nullable=True)

"""The digests' tables: each week's health line (so the next week shows the change), each
lead's digest day and snooze, who got which period's digest, and the decisions leads put to
sponsors."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from storage.models import utc_field as _utc


class DigestHealthRecord(SQLModel, table=True):
    """The health line as it stood in a week ("2026-W49"); figures are shares, 0 to 1."""

    __tablename__ = "digest_health"

    period: str = Field(primary_key=True, max_length=16)
    coverage: float | None = Field(default=None)
    activity: float | None = Field(default=None)
    voice: float | None = Field(default=None)
    recognition: float | None = Field(default=None)
    computed_at: datetime = _utc()


class DigestScheduleRecord(SQLModel, table=True):
    """A lead's own digest day and hour (in their time zone), and how long they snoozed it."""

    __tablename__ = "digest_schedule"

    member_id: int = Field(foreign_key="member.id", primary_key=True)
    weekday: int = Field(default=0)
    hour: int = Field(default=9)
    snoozed_until: date | None = Field(default=None)
    updated_at: datetime = _utc()


class DigestDeliveryRecord(SQLModel, table=True):
    """A reader's digest for a period, decided once: sent, or quiet (nothing to report)."""

    __tablename__ = "digest_delivery"

    kind: str = Field(primary_key=True, max_length=16)  # lead, sponsor
    period: str = Field(primary_key=True, max_length=16)
    member_id: int = Field(foreign_key="member.id", primary_key=True)
    sent: bool
    decided_at: datetime = _utc()


class DigestDecisionRecord(SQLModel, table=True):
    """A decision leads put to the sponsors, and the first sponsor's answer."""

    __tablename__ = "digest_decision"

    id: int | None = Field(default=None, primary_key=True)
    question: str = Field(max_length=500)
    raised_by: str = Field(max_length=256)
    raised_at: datetime = _utc()
    answer: str | None = Field(default=None, max_length=16)
    answered_by: str | None = Field(default=None, max_length=256)
    answered_at: datetime | None = _utc(default=None, nullable=True)

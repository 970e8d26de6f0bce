"""Events, their occurrences, who was invited and what they answered, and champions' office hours."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from storage.models import utc_field as _utc


class EventRecord(SQLModel, table=True):
    __tablename__ = "event"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=120)
    minutes: int
    meeting_url: str = Field(max_length=2000)
    repeat: str = Field(max_length=16)
    audience: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_by: str = Field(max_length=256)
    created_at: datetime = _utc()


class EventOccurrenceRecord(SQLModel, table=True):
    __tablename__ = "event_occurrence"

    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(foreign_key="event.id", index=True)
    starts_at: datetime = _utc(index=True)
    day_reminded_at: datetime | None = _utc(default=None, nullable=True)
    hour_reminded_at: datetime | None = _utc(default=None, nullable=True)


class EventInviteeRecord(SQLModel, table=True):
    """Someone invited to an event (all its occurrences), and their answer once they give one."""

    __tablename__ = "event_invitee"

    event_id: int = Field(foreign_key="event.id", primary_key=True)
    member_id: int = Field(foreign_key="member.id", primary_key=True)
    answer: str | None = Field(default=None, max_length=8)
    answered_at: datetime | None = _utc(default=None, nullable=True)


class OfficeHoursRecord(SQLModel, table=True):
    """A champion's weekly office hours, in their time zone."""

    __tablename__ = "office_hours"

    champion_id: int = Field(foreign_key="champion.id", primary_key=True)
    weekday: int
    starts: str = Field(max_length=5)  # "14:00"
    ends: str = Field(max_length=5)
    topic: str = Field(default="", max_length=80)
    timezone: str = Field(max_length=64)
    updated_at: datetime = _utc()

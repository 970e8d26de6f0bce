"""Announcements leads send, and what each person did with one (acknowledged, opened its link)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models import utc_field as _utc


class AnnouncementRecord(SQLModel, table=True):
    __tablename__ = "announcement"

    id: int | None = Field(default=None, primary_key=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    image_url: str = Field(default="", max_length=2000)
    image_alt: str = Field(default="", max_length=200)
    link_title: str = Field(default="", max_length=40)
    link_url: str = Field(default="", max_length=2000)
    audience: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    status: str = Field(max_length=16, index=True)
    send_at: datetime | None = _utc(default=None, nullable=True)
    # How Teams reaches the bot, for the tracked links of a send the scheduler makes later.
    link_origin: str = Field(default="", max_length=512)
    created_by: str = Field(max_length=256)
    created_at: datetime = _utc()
    sent_at: datetime | None = _utc(default=None, nullable=True)
    recipients: int = Field(default=0)


class AnnouncementReceiptRecord(SQLModel, table=True):
    """One person an announcement went to; their tracked link is signed for this row's id."""

    __tablename__ = "announcement_receipt"
    __table_args__ = (UniqueConstraint("announcement_id", "member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    announcement_id: int = Field(foreign_key="announcement.id", index=True)
    # None once the person's data was erased: the acknowledgement still counts.
    member_id: int | None = Field(default=None, foreign_key="member.id")
    acknowledged_at: datetime | None = _utc(default=None, nullable=True)
    clicked_at: datetime | None = _utc(default=None, nullable=True)

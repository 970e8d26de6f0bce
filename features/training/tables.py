"""Training resources, the onboarding checklist each champion got, and what they have done."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.models import utc_field as _utc


class TrainingResourceRecord(SQLModel, table=True):
    __tablename__ = "training_resource"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=120)
    url: str = Field(max_length=2000)
    focus_area: str = Field(default="", max_length=128)
    language: str = Field(default="", max_length=8)
    required: bool = Field(default=False)
    checklist: bool = Field(default=False)
    created_by: str = Field(max_length=256)
    created_at: datetime = _utc()


class TrainingStartRecord(SQLModel, table=True):
    """When a champion got the onboarding checklist, and how many reminders followed."""

    __tablename__ = "training_start"

    champion_id: int = Field(foreign_key="champion.id", primary_key=True)
    sent_at: datetime = _utc()
    reminders: int = Field(default=0)


class TrainingProgressRecord(SQLModel, table=True):
    __tablename__ = "training_progress"

    champion_id: int = Field(foreign_key="champion.id", primary_key=True)
    resource_id: int = Field(foreign_key="training_resource.id", primary_key=True)
    done_at: datetime = _utc()

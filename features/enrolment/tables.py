"""Enrolment's tables: referrals, requests nobody could answer, coverage targets, nominations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.models import utc_field as _utc


class ChampionReferralRecord(SQLModel, table=True):
    """A colleague was pointed to a champion (counted once per pair)."""

    __tablename__ = "champion_referral"

    champion_id: int = Field(foreign_key="champion.id", primary_key=True)
    asker_member_id: int = Field(foreign_key="member.id", primary_key=True)
    first_at: datetime = _utc()


class ChampionReferralCountRecord(SQLModel, table=True):
    """How many colleagues were pointed to a champion: the referrals counted as they are
    recorded, so that a search ranks a department's champions without counting its referrals
    (which only grow). Every champion has one, from enrolment. The champion's department and
    team are kept beside the count, so that a search reads the department's champions in the
    order it ranks them (fewest pointed to first) and stops after a few, however many there are.
    """

    __tablename__ = "champion_referral_count"
    __table_args__ = (
        Index("ix_champion_referral_count_department", "department", "people", "champion_id", "team"),
        Index("ix_champion_referral_count_team", "department", "team", "people", "champion_id"),
    )

    champion_id: int = Field(foreign_key="champion.id", primary_key=True)
    people: int = Field(default=0)
    department: str = Field(default="", max_length=256)
    team: str = Field(default="", max_length=256)


class UnmatchedRequestRecord(SQLModel, table=True):
    """Someone asked for a champion and nobody covers them: a coverage gap, per unit."""

    __tablename__ = "unmatched_request"

    id: int | None = Field(default=None, primary_key=True)
    # None once the asker's data was erased: the gap outlives them.
    asker_member_id: int | None = Field(default=None, foreign_key="member.id")
    department: str | None = Field(default=None, max_length=256, index=True)
    office: str | None = Field(default=None, max_length=256, index=True)
    team: str | None = Field(default=None, max_length=256, index=True)
    focus_area: str | None = Field(default=None, max_length=128)
    asked_at: datetime = _utc()


class CoverageTargetRecord(SQLModel, table=True):
    """How many champions a unit should have: absolute, or one per N employees."""

    __tablename__ = "coverage_target"
    __table_args__ = (UniqueConstraint("unit_kind", "unit_name"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_kind: str = Field(max_length=16)
    # "*" is every unit of that kind without a target of its own.
    unit_name: str = Field(max_length=256)
    mode: str = Field(max_length=16)
    value: int
    set_by: str = Field(max_length=256)
    updated_at: datetime = _utc()


class NominationRecord(SQLModel, table=True):
    """A colleague proposed as a champion; a second nomination adds a reason to the open one."""

    __tablename__ = "nomination"
    __table_args__ = (
        Index(
            "uq_nomination_open",
            "nominee_key",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Lower-case email when known, else "teams:<id>"; one open nomination per person.
    nominee_key: str = Field(max_length=320, index=True)
    nominee_name: str = Field(max_length=256)
    nominee_email: str | None = Field(default=None, max_length=320)
    nominee_teams_user_id: str | None = Field(default=None, max_length=256)
    status: str = Field(max_length=16, index=True)
    decided_by: str | None = Field(default=None, max_length=256)
    decided_at: datetime | None = _utc(default=None, nullable=True)
    decision_reason: str | None = Field(default=None, max_length=1024)
    created_at: datetime = _utc()


class NominationReasonRecord(SQLModel, table=True):
    __tablename__ = "nomination_reason"
    __table_args__ = (UniqueConstraint("nomination_id", "nominator_member_id"),)

    id: int | None = Field(default=None, primary_key=True)
    nomination_id: int = Field(foreign_key="nomination.id", index=True)
    nominator_member_id: int = Field(foreign_key="member.id")
    reason: str = Field(max_length=1024)
    created_at: datetime = _utc()

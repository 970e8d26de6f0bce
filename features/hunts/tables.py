"""Hunts' tables: a hunt and its plan, its teams, each team's clues, the answers given, who played."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, Text
from sqlmodel import Field, SQLModel

from storage.models import utc_field as _utc


class HuntRecord(SQLModel, table=True):
    """A hunt: its plan (a hunt file, so it can be edited and exported as it runs), its window and state."""

    __tablename__ = "hunt"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    plan: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    # Deals each team its variants, order and code word; never shown to players.
    salt: str = Field(max_length=64)
    status: str = Field(max_length=16, index=True)
    starts_at: datetime | None = _utc(default=None, nullable=True)
    ends_at: datetime | None = _utc(default=None, nullable=True)
    created_by: str = Field(max_length=256)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
    opened_at: datetime | None = _utc(default=None, nullable=True)
    closed_at: datetime | None = _utc(default=None, nullable=True)
    paused_at: datetime | None = _utc(default=None, nullable=True)
    # What a team is (department or office), and the units a lead grouped into one team.
    teams_by: str = Field(default="department", max_length=16)
    team_groups: list[list[str]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # A dry run with champions only: no points, results to the leads, invisible to others.
    rehearsal: bool = Field(default=False)
    # Counts a lead's edits of the plan: an edit made on an older revision is refused.
    revision: int = Field(default=0)


class HuntTeamRecord(SQLModel, table=True):
    """A team: a department from the directory (or a group a lead defined), as it was when the hunt opened."""

    __tablename__ = "hunt_team"
    __table_args__ = (Index("ix_hunt_team_name", "hunt_id", "name", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    hunt_id: int = Field(foreign_key="hunt.id")
    name: str = Field(max_length=256)
    departments: list[str] = Field(sa_column=Column(JSON, nullable=False))
    headcount: int
    timezone: str = Field(max_length=64)
    code_word: str = Field(max_length=32)
    hints_granted: int = Field(default=0)


class HuntClueStateRecord(SQLModel, table=True):
    """One team's copy of one clue: the variant it was dealt, when it opened, its guesses, its solve."""

    __tablename__ = "hunt_clue_state"
    __table_args__ = (Index("ix_hunt_clue_state_solved", "hunt_id", "clue_key", "solved_at"),)

    team_id: int = Field(foreign_key="hunt_team.id", primary_key=True)
    clue_key: str = Field(max_length=32, primary_key=True)
    hunt_id: int = Field(foreign_key="hunt.id", index=True)
    leg_key: str = Field(max_length=32)  # "" for the final clue
    position: int  # in the team's order of its leg
    variant: int
    opened_at: datetime | None = _utc(default=None, nullable=True)
    solved_at: datetime | None = _utc(default=None, nullable=True)
    solved_by_member_id: int | None = Field(default=None, foreign_key="member.id")
    award: int = Field(default=0)
    hints_used: int = Field(default=0)
    misses_in_a_row: int = Field(default=0)
    lockouts: int = Field(default=0)
    locked_until: datetime | None = _utc(default=None, nullable=True)
    recent_misses: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class HuntAnswerRecord(SQLModel, table=True):
    """An answer someone gave, and what it was judged: for flags, and for which clues took longest."""

    __tablename__ = "hunt_answer"
    __table_args__ = (Index("ix_hunt_answer_clue", "hunt_id", "clue_key", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    hunt_id: int = Field(foreign_key="hunt.id")
    team_id: int = Field(foreign_key="hunt_team.id")
    clue_key: str = Field(max_length=32)
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    answer: str = Field(sa_column=Column(Text, nullable=False))
    verdict: str = Field(max_length=16)
    at: datetime = _utc()


class HuntPlayerRecord(SQLModel, table=True):
    """Someone who played for a team: how broad a team's play was."""

    __tablename__ = "hunt_player"

    hunt_id: int = Field(foreign_key="hunt.id", primary_key=True)
    member_id: int = Field(foreign_key="member.id", primary_key=True)
    team_id: int = Field(foreign_key="hunt_team.id", index=True)
    first_played_at: datetime = _utc()


class HuntAdjustmentRecord(SQLModel, table=True):
    """A lead's change to a team's score, always with a reason (also in the audit trail)."""

    __tablename__ = "hunt_adjustment"

    id: int | None = Field(default=None, primary_key=True)
    hunt_id: int = Field(foreign_key="hunt.id", index=True)
    team_id: int = Field(foreign_key="hunt_team.id")
    points: int
    reason: str = Field(max_length=500)
    by: str = Field(max_length=256)
    at: datetime = _utc()


class HuntCheckRecord(SQLModel, table=True):
    """A player's request to check an action clue in the business system, until it has a verdict."""

    __tablename__ = "hunt_check"
    __table_args__ = (Index("ix_hunt_check_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    hunt_id: int = Field(foreign_key="hunt.id")
    team_id: int = Field(foreign_key="hunt_team.id")
    clue_key: str = Field(max_length=32)
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    status: str = Field(max_length=16)  # pending, running, done, not_yet, unknown_user, error
    attempts: int = Field(default=0)
    requested_at: datetime = _utc()
    next_attempt_at: datetime = _utc()
    claimed_at: datetime | None = _utc(default=None, nullable=True)
    finished_at: datetime | None = _utc(default=None, nullable=True)
    found: int | None = Field(default=None)
    # What the business system answered when it could not be asked: for leads, never players.
    error: str | None = Field(default=None, max_length=500)


class HuntEvidenceRecord(SQLModel, table=True):
    """A picture a player sent for an evidence clue, and its review by a champion of another team."""

    __tablename__ = "hunt_evidence"
    __table_args__ = (
        Index("ix_hunt_evidence_clue", "team_id", "clue_key", "status"),
        Index("ix_hunt_evidence_reviewer", "reviewer_member_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    hunt_id: int = Field(foreign_key="hunt.id", index=True)
    team_id: int = Field(foreign_key="hunt_team.id")
    clue_key: str = Field(max_length=32)
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    content_type: str = Field(max_length=32)
    # Kept in the database so every replica can serve it; erased with its sender's data.
    picture: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    size: int
    sha256: str = Field(max_length=64)
    sent_at: datetime = _utc()
    status: str = Field(max_length=16)  # waiting, accepted, rejected
    reviewer_member_id: int | None = Field(default=None, foreign_key="member.id")
    reviewed_at: datetime | None = _utc(default=None, nullable=True)
    reason: str | None = Field(default=None, max_length=300)
    decided_by: str | None = Field(default=None, max_length=256)

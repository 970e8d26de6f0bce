"""Recognition's tables: stories, applause, kudos, the points ledger and levels reached."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from storage.models import utc_field as _utc


class StoryRecord(SQLModel, table=True):
    """A success story: as the author wrote it, moderated, published to the community."""

    __tablename__ = "story"
    __table_args__ = (Index("ix_story_published", "status", "published_at"),)

    id: int | None = Field(default=None, primary_key=True)
    author_member_id: int = Field(foreign_key="member.id", index=True)
    title: str = Field(max_length=256)
    body: str = Field(sa_column=Column(Text, nullable=False))
    impact: str = Field(sa_column=Column(Text, nullable=False))
    hours_saved: float | None = Field(default=None)
    deals_closed: int | None = Field(default=None)
    figures: str | None = Field(default=None, max_length=200)
    department: str = Field(default="", max_length=256, index=True)
    focus_areas: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    credited_champion_id: int | None = Field(default=None, foreign_key="champion.id", index=True)
    status: str = Field(max_length=16)
    moderated_by: str | None = Field(default=None, max_length=256)
    moderated_at: datetime | None = _utc(default=None, nullable=True)
    reject_reason: str | None = Field(default=None, max_length=500)
    edited_by: str | None = Field(default=None, max_length=256)
    # "2026-11" when leads made it the story of that month; one per month.
    story_of_month: str | None = Field(default=None, max_length=7, unique=True)
    # The lead who made it the story of the month.
    story_of_month_by: str | None = Field(default=None, max_length=256)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()
    published_at: datetime | None = _utc(default=None, nullable=True)


class StoryApplauseRecord(SQLModel, table=True):
    """Someone applauded a published story (once per person)."""

    __tablename__ = "story_applause"

    story_id: int = Field(foreign_key="story.id", primary_key=True)
    member_id: int = Field(foreign_key="member.id", primary_key=True)
    at: datetime = _utc()


class KudosRecord(SQLModel, table=True):
    """A thank-you to a champion; counted per giver per (their local) day against the limit."""

    __tablename__ = "kudos"
    __table_args__ = (Index("ix_kudos_giver_day", "giver_member_id", "giver_day"),)

    id: int | None = Field(default=None, primary_key=True)
    # None once the giver's data was erased: the champion keeps the thanks they received.
    giver_member_id: int | None = Field(default=None, foreign_key="member.id")
    champion_id: int = Field(foreign_key="champion.id", index=True)
    message: str = Field(max_length=500)
    giver_day: date
    created_at: datetime = _utc(index=True)


class PointsEntryRecord(SQLModel, table=True):
    """The points ledger: every entry says who earned what, why and when; a revocation is a new, negative entry.

    It credits a person (any member: a champion, or an employee who plays a contest), not
    only a champion, and stamps the department they were in when they earned the points, so
    that department standings are a sum over the ledger and a later move does not carry
    past points to the new department.
    """

    __tablename__ = "points_entry"
    # Covering indexes: a champion's, a person's and a department's points in a period.
    __table_args__ = (
        Index("ix_points_entry_champion_period", "champion_id", "created_at", "points"),
        Index("ix_points_entry_member_period", "member_id", "created_at", "points"),
        Index("ix_points_entry_department_period", "department", "created_at", "points"),
        # Everyone's entries in a period, covering what the digests read of them.
        Index("ix_points_entry_period", "created_at", "reason", "champion_id", "department", "points"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # None once the person's data was erased: the points still count for their department.
    member_id: int | None = Field(default=None, foreign_key="member.id")
    # The champion they were when they earned the points; None for someone who is not a champion.
    champion_id: int | None = Field(default=None, foreign_key="champion.id")
    department: str = Field(default="", max_length=256)
    points: int
    reason: str = Field(max_length=32)
    note: str = Field(default="", max_length=500)
    # What earned it (e.g. "checkin:42"): the same action never earns twice.
    source_key: str | None = Field(default=None, max_length=191, unique=True)
    by: str = Field(max_length=256)
    created_at: datetime = _utc()


class ChampionLevelRecord(SQLModel, table=True):
    """A level (badge) a champion reached; announced once."""

    __tablename__ = "champion_level"

    champion_id: int = Field(foreign_key="champion.id", primary_key=True)
    level: str = Field(max_length=32, primary_key=True)
    reached_at: datetime = _utc(index=True)


class LeaderboardOptOutRecord(SQLModel, table=True):
    """Someone who asked not to be named on leaderboards and public posts: they still earn
    points and see their own rank; others see "a colleague", or no post at all."""

    __tablename__ = "leaderboard_opt_out"

    member_id: int = Field(foreign_key="member.id", primary_key=True)
    hidden_at: datetime = _utc()


class SeasonRecord(SQLModel, table=True):
    """A leaderboard season leads started; it lasts until the next one starts. Nothing is
    deleted at a new season: the ledger is read from the season's start."""

    __tablename__ = "recognition_season"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=40, unique=True)
    starts_at: datetime = _utc()
    started_by: str = Field(max_length=256)

"""Tables of the foundation. Later features add theirs beside these, with a migration."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Float, Index, LargeBinary, String, Table, Text, Unicode, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


def _utc(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


class ConversationRecord(SQLModel, table=True):
    """The newest reference to a conversation the bot is in, for proactive messages."""

    __tablename__ = "conversation"

    id: str = Field(primary_key=True, max_length=512)
    kind: str = Field(max_length=32)
    channel_id: str = Field(max_length=64)
    service_url: str = Field(max_length=1024)
    tenant_id: str | None = Field(default=None, max_length=64, index=True)
    team_id: str | None = Field(default=None, max_length=512)
    team_name: str | None = Field(default=None, max_length=256)
    reference: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    installed: bool = Field(default=True)
    # Set when Teams answered 403/404 to a send; cleared when the conversation talks to the bot.
    unreachable_at: datetime | None = _utc(default=None, nullable=True)
    unreachable_reason: str | None = Field(default=None, max_length=256)
    introduced_at: datetime | None = _utc(default=None, nullable=True)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class MemberRecord(SQLModel, table=True):
    """Someone who talked to the bot or was seen in a conversation it is in."""

    __tablename__ = "member"

    id: int | None = Field(default=None, primary_key=True)
    teams_user_id: str = Field(max_length=256, unique=True)
    aad_object_id: str | None = Field(default=None, max_length=64, index=True)
    tenant_id: str | None = Field(default=None, max_length=64)
    display_name: str = Field(default="", max_length=256)
    email: str | None = Field(default=None, max_length=320, index=True)
    user_principal_name: str | None = Field(default=None, max_length=320)
    locale: str | None = Field(default=None, max_length=16)
    timezone: str | None = Field(default=None, max_length=64)
    personal_conversation_id: str | None = Field(default=None, max_length=512, foreign_key="conversation.id")
    # Where someone outside the HR directory said they work (asked once).
    declared_department: str | None = Field(default=None, max_length=256)
    declared_office: str | None = Field(default=None, max_length=256)
    unit_asked_at: datetime | None = _utc(default=None, nullable=True)
    profile_fetched_at: datetime | None = _utc(default=None, nullable=True)
    first_seen_at: datetime = _utc()
    last_seen_at: datetime = _utc()


class ChampionRecord(SQLModel, table=True):
    """A member's standing as a champion and the profile they enrolled with."""

    __tablename__ = "champion"
    __table_args__ = (Index("ix_champion_match", "status", "listed"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", unique=True)
    status: str = Field(max_length=32, index=True)
    department: str = Field(default="", max_length=256, index=True)
    office: str = Field(default="", max_length=256, index=True)
    team: str = Field(default="", max_length=256, index=True)
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Consent to be shown to colleagues who ask for a champion.
    listed: bool = Field(default=True)
    paused_until: date | None = Field(default=None)
    # Distinct colleagues this champion was suggested to; ties go to the less busy.
    people_pointed: int = Field(default=0)
    decided_by: str | None = Field(default=None, max_length=256)
    decided_at: datetime | None = _utc(default=None, nullable=True)
    decision_reason: str | None = Field(default=None, max_length=1024)
    applied_at: datetime | None = _utc(default=None, nullable=True)
    # Set when the leads were told this champion missed several check-ins in a row; an answer clears it.
    inactive_flagged_at: datetime | None = _utc(default=None, nullable=True)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class ChampionFocusRecord(SQLModel, table=True):
    """One row per (champion, focus area), so "who can help with X" is an indexed lookup."""

    __tablename__ = "champion_focus"

    champion_id: int = Field(foreign_key="champion.id", primary_key=True)
    focus_area: str = Field(max_length=128, primary_key=True, index=True)


class ChampionReferralRecord(SQLModel, table=True):
    """A colleague was pointed to a champion (counted once per pair)."""

    __tablename__ = "champion_referral"

    champion_id: int = Field(foreign_key="champion.id", primary_key=True)
    asker_member_id: int = Field(foreign_key="member.id", primary_key=True)
    first_at: datetime = _utc()


class UnmatchedRequestRecord(SQLModel, table=True):
    """Someone asked for a champion and nobody covers them: a coverage gap, per unit."""

    __tablename__ = "unmatched_request"

    id: int | None = Field(default=None, primary_key=True)
    asker_member_id: int = Field(foreign_key="member.id")
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


class ProgramLeadRecord(SQLModel, table=True):
    """A lead added in chat (the bootstrap leads come from PROGRAM_LEADS)."""

    __tablename__ = "program_lead"

    key: str = Field(primary_key=True, max_length=320)
    added_by: str = Field(max_length=256)
    added_at: datetime = _utc()


class ProgramSettingRecord(SQLModel, table=True):
    """Program settings leads change in chat, one JSON value per name."""

    __tablename__ = "program_setting"

    name: str = Field(primary_key=True, max_length=64)
    value: Any = Field(sa_column=Column(JSON, nullable=False))
    updated_by: str = Field(max_length=256)
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
    champion_id: int = Field(foreign_key="champion.id")
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
    champion_id: int = Field(foreign_key="champion.id", index=True)
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
    giver_member_id: int = Field(foreign_key="member.id")
    champion_id: int = Field(foreign_key="champion.id", index=True)
    message: str = Field(max_length=500)
    giver_day: date
    created_at: datetime = _utc(index=True)


class PointsEntryRecord(SQLModel, table=True):
    """The points ledger: every entry says why and when; a revocation is a new, negative entry."""

    __tablename__ = "points_entry"
    # Covering for leaderboards (sum per champion in a period) and a champion's own total.
    __table_args__ = (Index("ix_points_entry_champion_period", "champion_id", "created_at", "points"),)

    id: int | None = Field(default=None, primary_key=True)
    champion_id: int = Field(foreign_key="champion.id")
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


class ProcessedActivity(SQLModel, table=True):
    """Incoming activities already handled, so a re-delivery does nothing."""

    __tablename__ = "processed_activity"
    __table_args__ = (UniqueConstraint("conversation_id", "activity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: str = Field(max_length=512)
    activity_id: str = Field(max_length=256)
    received_at: datetime = _utc(index=True)


class BotStateRecord(SQLModel, table=True):
    """Dialog state documents, one per key, with an ETag for optimistic concurrency."""

    __tablename__ = "bot_state"

    key: str = Field(sa_column=Column(String(1024), primary_key=True))
    etag: str = Field(max_length=64)
    document: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime = _utc()


class OutboxRecord(SQLModel, table=True):
    """A proactive message waiting to be delivered, being delivered, or done."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "status", "not_before"),)

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(max_length=256, unique=True)
    conversation_id: str | None = Field(default=None, max_length=512)
    teams_user_id: str | None = Field(default=None, max_length=256)
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    status: str = Field(max_length=16)
    not_before: datetime = _utc()
    attempts: int = Field(default=0)
    last_status_code: int | None = Field(default=None)
    last_error: str | None = Field(default=None, max_length=1024)
    sent_activity_id: str | None = Field(default=None, max_length=256)
    created_at: datetime = _utc()
    updated_at: datetime = _utc(index=True)


class JobRunRecord(SQLModel, table=True):
    """One row per (job, scheduled fire time): a second fire of the same time does nothing."""

    __tablename__ = "job_run"
    __table_args__ = (UniqueConstraint("job_id", "fire_time"),)

    id: int | None = Field(default=None, primary_key=True)
    job_id: str = Field(max_length=191)
    fire_time: datetime = _utc()
    started_at: datetime = _utc()
    finished_at: datetime | None = _utc(default=None, nullable=True)
    outcome: str = Field(max_length=16)
    error: str | None = Field(default=None, max_length=1024)


# APScheduler's SQLAlchemyJobStore table, declared here so that Alembic owns the schema
# (the job store only creates it when missing). Same columns as APScheduler 3.11 creates.
APSCHEDULER_JOBS_TABLE = "apscheduler_jobs"
apscheduler_jobs = Table(
    APSCHEDULER_JOBS_TABLE,
    SQLModel.metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)


class EmployeeRecord(SQLModel, table=True):
    """A person in the HR directory; missing from a later import means inactive, not deleted."""

    __tablename__ = "employee"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True)
    display_name: str = Field(max_length=256)
    department: str = Field(max_length=256, index=True)
    office: str = Field(max_length=256, index=True)
    team: str = Field(max_length=256, index=True)
    manager_email: str | None = Field(default=None, max_length=320)
    aad_object_id: str | None = Field(default=None, max_length=64, index=True)
    country: str | None = Field(default=None, max_length=2)
    preferred_language: str | None = Field(default=None, max_length=35)
    timezone: str | None = Field(default=None, max_length=64)
    active: bool = Field(default=True)
    imported_at: datetime = _utc()
    updated_at: datetime = _utc()

"""The tables every feature shares: conversations, members, the directory, champions (who holds the
champion role), leads and settings, and the platform's own (activity de-duplication, dialog state,
the outbox, job runs). A feature keeps its own tables in its `tables.py`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Float, Index, LargeBinary, String, Table, Text, Unicode, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


def utc_field(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


_utc = utc_field


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
    __table_args__ = (
        Index("ix_champion_match", "status", "listed"),
        # Everything a search ranks a department's champions by, in the index itself: the
        # search reads one stretch of it, not a row per champion all over the table.
        Index(
            "ix_champion_department", "department", "listed", "status", "paused_until", "team", "office", "member_id"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", unique=True)
    status: str = Field(max_length=32, index=True)
    department: str = Field(default="", max_length=256)
    office: str = Field(default="", max_length=256, index=True)
    team: str = Field(default="", max_length=256, index=True)
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Consent to be shown to colleagues who ask for a champion.
    listed: bool = Field(default=True)
    paused_until: date | None = Field(default=None)
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


class ProgramRoleRecord(SQLModel, table=True):
    """A lead or sponsor named in chat (the bootstrap ones come from PROGRAM_LEADS and
    PROGRAM_SPONSORS); one role per person."""

    __tablename__ = "program_role"

    key: str = Field(primary_key=True, max_length=320)
    role: str = Field(default="program_lead", max_length=16)
    added_by: str = Field(max_length=256)
    added_at: datetime = _utc()


class ProgramSettingRecord(SQLModel, table=True):
    """Program settings leads change in chat, one JSON value per name."""

    __tablename__ = "program_setting"

    name: str = Field(primary_key=True, max_length=64)
    value: Any = Field(sa_column=Column(JSON, nullable=False))
    updated_by: str = Field(max_length=256)
    updated_at: datetime = _utc()


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
    # The housekeeping job looks for state left untouched past a form's lifetime.
    __table_args__ = (Index("ix_bot_state_updated_at", "updated_at"),)

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
    # The sender that claimed it while SENDING: a sender sends only what is still its own,
    # so a deposed leader cannot send what the new one has taken back.
    claimed_by: str | None = Field(default=None, max_length=64)
    created_at: datetime = _utc()
    updated_at: datetime = _utc(index=True)


class ReplyReportRecord(SQLModel, table=True):
    """How many replies a replica sent in its last second, so the leader's outbox sender
    leaves room for them in Teams' per-app budget (one row per replica, overwritten)."""

    __tablename__ = "reply_report"

    replica: str = Field(primary_key=True, max_length=64)
    replies: int
    reported_at: datetime = _utc(index=True)


class PrivacyRequestRecord(SQLModel, table=True):
    """An access or erasure request and who made it; whom it was about only as a keyed digest."""

    __tablename__ = "privacy_request"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    subject_digest: str = Field(max_length=64, index=True)
    requested_by: str = Field(max_length=256)
    via: str = Field(max_length=16)
    at: datetime = _utc()


class AuditEntryRecord(SQLModel, table=True):
    """One action a lead (or an operator) took: append-only, each entry hashed with the one
    before it, so that a changed or removed entry breaks the chain (`storage.audit`)."""

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _utc(index=True)
    actor: str = Field(max_length=256)
    action: str = Field(max_length=64, index=True)
    subject: str = Field(default="", max_length=512)
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The hash covers `seal` = SHA-256(salt, subject, details); erasing a person blanks those
    # three and the chain still verifies (storage.audit).
    salt: str | None = Field(default=None, max_length=32)
    seal: str = Field(default="", max_length=64)
    previous_hash: str = Field(max_length=64)
    entry_hash: str = Field(max_length=64, unique=True)


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

"""The lottery's tables: a draw and its commitments, who entered with how many tickets, the
committed registry, and the results as append-only events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from storage.models import utc_field as _utc


class LotteryDrawRecord(SQLModel, table=True):
    """A draw: its rules as published, then what it committed to, then what it drew."""

    __tablename__ = "lottery_draw"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    status: str = Field(max_length=16, index=True)  # draft, open, committed, drawn
    prizes: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    alternates: int
    opens_at: datetime = _utc()
    closes_at: datetime = _utc()
    # Who may enter: {"kind": "everyone" | "champions" | "departments" | "offices", "units": [...]}.
    audience: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    rules: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    exclude_recent: int = Field(default=0)  # winners of this many previous draws may not win again
    # The key of the pseudonyms: never published (a name could be tried against them).
    salt: str = Field(max_length=64)
    # Revealed at the draw; its SHA-256 is published when entries close.
    secret: str = Field(max_length=64)
    secret_commitment: str = Field(max_length=64)
    beacon_chain: str = Field(default="", max_length=64)
    beacon_public_key: str = Field(default="", max_length=192)
    beacon_round: int | None = Field(default=None)
    beacon_randomness: str = Field(default="", max_length=64)
    beacon_signature: str = Field(default="", max_length=256)
    beacon_problem: str = Field(default="", max_length=500)  # why the beacon was not used
    registry_hash: str = Field(default="", max_length=64)
    merkle_root: str = Field(default="", max_length=64)
    exclusion_hash: str = Field(default="", max_length=64)
    # For department prizes: [name, weight] per department, committed with the registry.
    department_weights: list[list[Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    seed: str = Field(default="", max_length=64)
    created_by: str = Field(max_length=256)
    created_by_member_id: int | None = Field(default=None, foreign_key="member.id")
    created_at: datetime = _utc()
    committed_at: datetime | None = _utc(default=None, nullable=True)
    drawn_at: datetime | None = _utc(default=None, nullable=True)


class LotteryEntrantRecord(SQLModel, table=True):
    """Someone in a committed draw: their pseudonym, tickets and why (the link to them is personal)."""

    __tablename__ = "lottery_entrant"
    __table_args__ = (Index("ix_lottery_entrant_pseudonym", "draw_id", "pseudonym", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    draw_id: int = Field(foreign_key="lottery_draw.id")
    pseudonym: str = Field(max_length=16)
    email: str | None = Field(default=None, max_length=320, index=True)
    member_id: int | None = Field(default=None, foreign_key="member.id", index=True)
    department: str = Field(default="", max_length=256)
    tickets: int
    first_ticket: str = Field(max_length=8)  # their tickets are consecutive in the registry
    reasons: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))


class LotteryEventRecord(SQLModel, table=True):
    """The results, append-only: winners and alternates as drawn, then replacements,
    deliveries and corrections, each with who and why."""

    __tablename__ = "lottery_event"
    __table_args__ = (Index("ix_lottery_event_draw", "draw_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    draw_id: int = Field(foreign_key="lottery_draw.id")
    kind: str = Field(max_length=16)  # picked, unavailable, replaced, delivered
    slot: int
    prize: int | None = Field(default=None)  # the prize's index; None for an alternate as drawn
    ticket_id: str = Field(max_length=8)
    pseudonym: str = Field(max_length=16)
    reason: str = Field(default="", max_length=500)
    by: str = Field(max_length=256)
    at: datetime = _utc()

"""Draws, who may enter them, their entrants, and their results as events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlmodel import Session, col

from domain.roles import ChampionStatus
from features.lottery.domain import (
    Audience,
    AudienceKind,
    BeaconRound,
    DrawStatus,
    Prize,
    TicketRules,
    rules_from_data,
)
from features.lottery.tables import LotteryDrawRecord, LotteryEntrantRecord, LotteryEventRecord
from storage.models import ChampionRecord, EmployeeRecord, MemberRecord
from storage.sql import affected_rows, inserted_id, table_of

# Events that give someone a prize (an alternate's place as drawn, none).
WINNING = ("picked", "replaced")


@dataclass(frozen=True, slots=True)
class Draw:
    id: int
    name: str
    status: DrawStatus
    prizes: tuple[Prize, ...]
    alternates: int
    opens_at: datetime
    closes_at: datetime
    audience: Audience
    rules: TicketRules
    exclude_recent: int
    salt: str
    secret: str
    secret_commitment: str
    beacon: BeaconRound | None  # the round named at the commit (its randomness once drawn)
    beacon_problem: str
    registry_hash: str
    merkle_root: str
    exclusion_hash: str
    department_weights: tuple[tuple[str, int], ...]
    seed: str
    created_by: str
    created_by_member_id: int | None
    committed_at: datetime | None
    drawn_at: datetime | None


def _draw(record: LotteryDrawRecord) -> Draw:
    assert record.id is not None
    beacon = None
    if record.beacon_round is not None:
        drawn = (record.beacon_randomness, record.beacon_signature, record.beacon_public_key)
        beacon = BeaconRound(record.beacon_chain, record.beacon_round, *drawn)
    audience = record.audience or {}
    return Draw(
        id=record.id,
        name=record.name,
        status=DrawStatus(record.status),
        prizes=tuple(
            Prize(str(prize["name"]), int(prize["quantity"]), bool(prize.get("departments", False)))
            for prize in record.prizes
        ),
        alternates=record.alternates,
        opens_at=record.opens_at,
        closes_at=record.closes_at,
        audience=Audience(AudienceKind(audience.get("kind", "everyone")), tuple(audience.get("units", []))),
        rules=rules_from_data(record.rules),
        exclude_recent=record.exclude_recent,
        salt=record.salt,
        secret=record.secret,
        secret_commitment=record.secret_commitment,
        beacon=beacon,
        beacon_problem=record.beacon_problem,
        registry_hash=record.registry_hash,
        merkle_root=record.merkle_root,
        exclusion_hash=record.exclusion_hash,
        department_weights=tuple((str(name), int(weight)) for name, weight in record.department_weights),
        seed=record.seed,
        created_by=record.created_by,
        created_by_member_id=record.created_by_member_id,
        committed_at=record.committed_at,
        drawn_at=record.drawn_at,
    )


@dataclass(frozen=True, slots=True)
class Person:
    """Someone who may enter: the directory's (or a champion's) email, and the bot's member if any."""

    email: str
    member_id: int | None
    teams_user_id: str | None
    department: str
    aad_object_id: str | None = None


@dataclass(frozen=True, slots=True)
class Entrant:
    id: int
    pseudonym: str
    tickets: int
    first_ticket: str
    member_id: int | None
    department: str
    reasons: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class Event:
    kind: str  # picked, unavailable, replaced, delivered
    slot: int
    prize: int | None
    ticket_id: str
    pseudonym: str
    reason: str
    by: str
    at: datetime


class Draws:
    def __init__(self, session: Session) -> None:
        self._session = session

    def create(self, record: LotteryDrawRecord) -> int:
        return inserted_id(self._session, record)

    def get(self, draw_id: int) -> Draw | None:
        record = self._session.get(LotteryDrawRecord, draw_id)
        return _draw(record) if record is not None else None

    def latest(self, statuses: Sequence[DrawStatus], limit: int = 5) -> list[Draw]:
        records = self._session.execute(
            select(LotteryDrawRecord)
            .where(col(LotteryDrawRecord.status).in_([status.value for status in statuses]))
            .order_by(col(LotteryDrawRecord.id).desc())
            .limit(limit)
        ).scalars()
        return [_draw(record) for record in records]

    def due(self, status: DrawStatus, column: str, now: datetime) -> list[int]:
        moment = col(getattr(LotteryDrawRecord, column))
        rows = self._session.execute(
            select(col(LotteryDrawRecord.id)).where(col(LotteryDrawRecord.status) == status.value, moment <= now)
        )
        return list(rows.scalars())

    def move(self, draw_id: int, expected: DrawStatus, to: DrawStatus, **values: Any) -> bool:
        """Change a draw's status once (a second replica, or a button pressed twice, finds it moved)."""
        result = self._session.execute(
            update(LotteryDrawRecord)
            .where(col(LotteryDrawRecord.id) == draw_id, col(LotteryDrawRecord.status) == expected.value)
            .values(status=to.value, **values)
        )
        return affected_rows(result) > 0

    # --- entrants ------------------------------------------------------------------------

    def add_entrants(self, draw_id: int, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            values = [{"draw_id": draw_id, **row} for row in rows]
            self._session.execute(table_of(LotteryEntrantRecord).insert(), values)

    def entrants(self, draw_id: int) -> list[Entrant]:
        entrant = LotteryEntrantRecord
        rows = self._session.execute(
            select(
                col(entrant.id),
                col(entrant.pseudonym),
                col(entrant.tickets),
                col(entrant.first_ticket),
                col(entrant.member_id),
                col(entrant.department),
                col(entrant.reasons),
            )
            .where(col(entrant.draw_id) == draw_id)
            .order_by(col(entrant.pseudonym))
        ).all()
        return [
            Entrant(entrant_id, name, tickets, first, member, department, tuple(reasons))
            for entrant_id, name, tickets, first, member, department, reasons in rows
        ]

    def entrant_of(self, draw_id: int, member_id: int) -> Entrant | None:
        found = [entrant for entrant in self._entrants_where(draw_id, col(LotteryEntrantRecord.member_id) == member_id)]
        return found[0] if found else None

    def entrant(self, entrant_id: int) -> tuple[int, Entrant] | None:
        """(its draw, the entrant) by id."""
        record = self._session.get(LotteryEntrantRecord, entrant_id)
        if record is None:
            return None
        found = self._entrants_where(record.draw_id, col(LotteryEntrantRecord.id) == entrant_id)
        return (record.draw_id, found[0]) if found else None

    def entrant_by_pseudonym(self, draw_id: int, pseudonym: str) -> Entrant | None:
        found = self._entrants_where(draw_id, col(LotteryEntrantRecord.pseudonym) == pseudonym)
        return found[0] if found else None

    def _entrants_where(self, draw_id: int, condition: Any) -> list[Entrant]:
        entrant = LotteryEntrantRecord
        rows = self._session.execute(select(entrant).where(col(entrant.draw_id) == draw_id, condition)).scalars()
        return [
            Entrant(
                int(row.id or 0),
                row.pseudonym,
                row.tickets,
                row.first_ticket,
                row.member_id,
                row.department,
                tuple(row.reasons),
            )
            for row in rows
        ]

    def recent_winner_emails(self, before_draw: int, draws: int) -> set[str]:
        """Who won (a prize, not an alternate's place) in the last `draws` drawn draws before this one."""
        if draws <= 0:
            return set()
        recent = (
            select(col(LotteryDrawRecord.id))
            .where(col(LotteryDrawRecord.status) == DrawStatus.DRAWN.value, col(LotteryDrawRecord.id) < before_draw)
            .order_by(col(LotteryDrawRecord.id).desc())
            .limit(draws)
        )
        event, entrant = LotteryEventRecord, LotteryEntrantRecord
        rows = self._session.execute(
            select(col(entrant.email))
            .join(
                event, (col(event.draw_id) == col(entrant.draw_id)) & (col(event.pseudonym) == col(entrant.pseudonym))
            )
            .where(
                col(event.draw_id).in_(recent),
                col(event.kind).in_(["picked", "replaced"]),
                col(event.prize).is_not(None),
            )
        ).scalars()
        return {email.casefold() for email in rows if email}

    # --- results -------------------------------------------------------------------------

    def add_event(self, draw_id: int, event: Event) -> None:
        self._session.add(
            LotteryEventRecord(
                draw_id=draw_id,
                kind=event.kind,
                slot=event.slot,
                prize=event.prize,
                ticket_id=event.ticket_id,
                pseudonym=event.pseudonym,
                reason=event.reason,
                by=event.by,
                at=event.at,
            )
        )
        self._session.flush()

    def events(self, draw_id: int) -> list[Event]:
        event = LotteryEventRecord
        rows = self._session.execute(
            select(event).where(col(event.draw_id) == draw_id).order_by(col(event.id))
        ).scalars()
        return [
            Event(row.kind, row.slot, row.prize, row.ticket_id, row.pseudonym, row.reason, row.by, row.at)
            for row in rows
        ]


def population(session: Session, audience: Audience, email: str | None = None) -> list[Person]:
    """Everyone the audience names, from the directory (champions: the active ones), with the
    bot's member record where they have one (to earn from the ledger and get a receipt); with
    `email`, only that person, if the audience names them."""
    whose: list[Any] = [col(MemberRecord.email).is_not(None)]
    if email:
        whose.append(func.lower(col(MemberRecord.email)) == email.casefold())
    members = {
        str(email).casefold(): (int(member_id), str(teams_id))
        for member_id, email, teams_id in session.execute(
            select(col(MemberRecord.id), col(MemberRecord.email), col(MemberRecord.teams_user_id)).where(
                func.lower(col(MemberRecord.email)) == email.casefold()
                if email
                else col(MemberRecord.email).is_not(None)
            )
        ).all()
    }
    if audience.kind is AudienceKind.CHAMPIONS:
        rows = session.execute(
            select(col(MemberRecord.email), col(ChampionRecord.department), col(MemberRecord.aad_object_id))
            .join(ChampionRecord, col(ChampionRecord.member_id) == col(MemberRecord.id))
            .where(col(ChampionRecord.status) == ChampionStatus.ACTIVE.value, *whose)
        ).all()
    else:
        employee = EmployeeRecord
        conditions: list[Any] = [col(employee.active).is_(True)]
        if email:
            conditions.append(func.lower(col(employee.email)) == email.casefold())
        if audience.kind is AudienceKind.DEPARTMENTS:
            conditions.append(func.lower(col(employee.department)).in_([unit.casefold() for unit in audience.units]))
        elif audience.kind is AudienceKind.OFFICES:
            conditions.append(func.lower(col(employee.office)).in_([unit.casefold() for unit in audience.units]))
        rows = session.execute(
            select(col(employee.email), col(employee.department), col(employee.aad_object_id)).where(*conditions)
        ).all()
    people = []
    for email, department, aad_object_id in rows:
        key = str(email).casefold()
        member = members.get(key)
        people.append(
            Person(
                key, member[0] if member else None, member[1] if member else None, str(department or ""), aad_object_id
            )
        )
    return people

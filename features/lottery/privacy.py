"""What draws keep about people: who entered with how many tickets and why, and who won.

The registry is pseudonymous: a pseudonym is a keyed hash whose key never leaves the
database, so only the link kept here (an entrant's email and member) ties it to a person.
Erasure drops that link and keeps the pseudonym and its tickets, so that a committed draw
still verifies and its results still stand.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from features.lottery.tables import LotteryDrawRecord, LotteryEntrantRecord, LotteryEventRecord
from storage.privacy import Erasure, Person, PersonalData, plain, unlink


def export(session: Session, person: Person) -> dict[str, Any]:
    if person.member_id is None:
        return {}
    entrant = LotteryEntrantRecord
    rows = session.execute(
        select(
            col(LotteryDrawRecord.name).label("draw"),
            col(entrant.pseudonym),
            col(entrant.tickets),
            col(entrant.first_ticket),
            col(entrant.reasons),
        )
        .join(LotteryDrawRecord, col(LotteryDrawRecord.id) == col(entrant.draw_id))
        .where(col(entrant.member_id) == person.member_id)
        .order_by(col(entrant.draw_id))
    ).all()
    won = session.execute(
        select(
            col(LotteryDrawRecord.name).label("draw"), col(LotteryEventRecord.kind), col(LotteryEventRecord.ticket_id)
        )
        .join(LotteryDrawRecord, col(LotteryDrawRecord.id) == col(LotteryEventRecord.draw_id))
        .join(
            entrant,
            (col(entrant.draw_id) == col(LotteryEventRecord.draw_id))
            & (col(entrant.pseudonym) == col(LotteryEventRecord.pseudonym)),
        )
        .where(col(entrant.member_id) == person.member_id)
        .order_by(col(LotteryEventRecord.id))
    ).all()
    return {
        "draws_you_entered": [plain(dict(row._mapping)) for row in rows],
        "your_results": [plain(dict(row._mapping)) for row in won],
    }


def erase(session: Session, person: Person, _erasure: Erasure) -> None:
    """Their pseudonym keeps its tickets and results (the draw still verifies); the link to them goes."""
    if person.member_id is not None:
        entrant = LotteryEntrantRecord
        unlink(session, entrant, col(entrant.member_id) == person.member_id, member_id=None, email=None)
        draw = LotteryDrawRecord
        unlink(session, draw, col(draw.created_by_member_id) == person.member_id, created_by_member_id=None)
    if person.keys:
        entrant = LotteryEntrantRecord
        unlink(session, entrant, col(entrant.email).in_(list(person.keys)), member_id=None, email=None)


PERSONAL_DATA = PersonalData(
    export=export,
    erase=erase,
    personal={
        "lottery_entrant": ["email", "member_id"],
        "lottery_draw": ["created_by_member_id"],
    },
    not_personal={
        # A pseudonym is a keyed hash whose key never leaves the database: without the entrant's
        # email (gone at erasure) nothing ties it to anyone. Reasons are counts by kind.
        "lottery_entrant": ["pseudonym", "department", "first_ticket", "reasons"],
        "lottery_draw": [
            "name",
            "status",
            "prizes",
            "audience",
            "rules",
            "salt",
            "secret",
            "secret_commitment",
            "beacon_chain",
            "beacon_public_key",
            "beacon_randomness",
            "beacon_signature",
            "beacon_problem",
            "registry_hash",
            "merkle_root",
            "exclusion_hash",
            "department_weights",
            "seed",
            "created_by",
        ],
        "lottery_event": ["kind", "ticket_id", "pseudonym", "reason", "by"],
    },
)

"""What digests keep about people: a reader's digest day, hour and snooze, which periods' digests
they were sent, and the decisions a lead raised or a sponsor answered (under their name, like
every lead decision in the audit trail). Digests themselves hold aggregates only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from features.digests.tables import DigestDecisionRecord, DigestDeliveryRecord, DigestScheduleRecord
from storage.privacy import Erasure, Person, PersonalData, delete_rows, records


def export(session: Session, person: Person) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if person.member_id is not None:
        data["digest_schedule"] = records(
            session,
            DigestScheduleRecord,
            col(DigestScheduleRecord.member_id) == person.member_id,
            columns=["weekday", "hour", "snoozed_until"],
        )
        data["digests_sent"] = records(
            session,
            DigestDeliveryRecord,
            col(DigestDeliveryRecord.member_id) == person.member_id,
            columns=["kind", "period", "sent", "decided_at"],
        )
    names = [name for name in (person.display_name,) if name]
    if names:
        decision = DigestDecisionRecord
        rows = session.execute(
            select(decision).where(col(decision.raised_by).in_(names) | col(decision.answered_by).in_(names))
        ).scalars()
        data["decisions"] = [
            {"question": row.question, "raised_by": row.raised_by, "answer": row.answer, "answered_by": row.answered_by}
            for row in rows
        ]
    return data


def erase(session: Session, person: Person, _erasure: Erasure) -> None:
    """Their schedule and deliveries go; decisions stay, as every lead decision does in the audit trail."""
    if person.member_id is not None:
        delete_rows(session, DigestScheduleRecord, col(DigestScheduleRecord.member_id) == person.member_id)
        delete_rows(session, DigestDeliveryRecord, col(DigestDeliveryRecord.member_id) == person.member_id)


PERSONAL_DATA = PersonalData(
    export=export,
    erase=erase,
    personal={
        "digest_schedule": ["member_id", "snoozed_until"],
        "digest_delivery": ["member_id"],
        "digest_decision": ["raised_by", "answered_by"],
    },
    not_personal={
        "digest_health": ["period"],
        "digest_delivery": ["kind", "period"],
        # A question leads put to sponsors about the program, and the answer.
        "digest_decision": ["question", "answer"],
    },
)

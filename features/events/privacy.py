"""What events keep about people: that they were invited and what they answered; a champion's
office hours. Erasure removes both (an event's counts lose that person)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from features.events.tables import EventInviteeRecord, EventRecord, OfficeHoursRecord
from storage.privacy import Erasure, Person, PersonalData, delete_rows, plain


def export(session: Session, person: Person) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if person.member_id is not None:
        rows = session.execute(
            select(col(EventRecord.title), col(EventInviteeRecord.answer), col(EventInviteeRecord.answered_at))
            .join(EventRecord, col(EventRecord.id) == col(EventInviteeRecord.event_id))
            .where(col(EventInviteeRecord.member_id) == person.member_id)
        ).all()
        data["events"] = [plain(dict(row._mapping)) for row in rows]
    if person.champion_id is not None:
        hours = session.get(OfficeHoursRecord, person.champion_id)
        if hours is not None:
            data["office_hours"] = plain(
                {"weekday": hours.weekday, "starts": hours.starts, "ends": hours.ends, "topic": hours.topic}
            )
    return data


def erase(session: Session, person: Person, _erasure: Erasure) -> None:
    if person.member_id is not None:
        delete_rows(session, EventInviteeRecord, col(EventInviteeRecord.member_id) == person.member_id)
    if person.champion_id is not None:
        delete_rows(session, OfficeHoursRecord, col(OfficeHoursRecord.champion_id) == person.champion_id)


PERSONAL_DATA = PersonalData(
    export=export,
    erase=erase,
    personal={
        "event_invitee": ["member_id", "answer"],
        "office_hours": ["champion_id", "topic", "timezone"],
    },
    not_personal={
        # A meeting the program holds, under the lead's name who set it up.
        "event": ["title", "meeting_url", "repeat", "audience", "created_by"],
        "office_hours": ["starts", "ends"],
    },
)

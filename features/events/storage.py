"""Reads and writes of events, invitees' answers and office hours."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlmodel import Session, col

from features.events.domain import Answer, AudienceKind, EventDraft, OfficeHours
from features.events.tables import EventInviteeRecord, EventOccurrenceRecord, EventRecord, OfficeHoursRecord
from storage.champions import serving
from storage.models import ChampionRecord, MemberRecord
from storage.prepared import Prepared
from storage.sql import affected_rows, table_of, upsert


@dataclass(frozen=True, slots=True)
class Invitee:
    member_id: int
    teams_user_id: str
    name: str
    email: str | None
    locale: str | None
    timezone: str | None
    answer: Answer | None


@dataclass(frozen=True, slots=True)
class Upcoming:
    event_id: int
    occurrence_id: int
    title: str
    starts_at: datetime
    minutes: int
    meeting_url: str
    yes: int
    no: int
    invited: int


class Events:
    def __init__(self, session: Session) -> None:
        self._session = session

    def create(self, draft: EventDraft, starts: Sequence[datetime], by: str, at: datetime) -> int:
        record = EventRecord(
            title=draft.title,
            minutes=draft.minutes,
            meeting_url=draft.meeting_url,
            repeat=draft.repeat.value,
            audience={"kind": draft.audience.value, "units": list(draft.units)},
            created_by=by,
            created_at=at,
        )
        self._session.add(record)
        self._session.flush()
        assert record.id is not None
        self._session.connection().execute(
            insert(table_of(EventOccurrenceRecord)), [{"event_id": record.id, "starts_at": start} for start in starts]
        )
        return record.id

    def get(self, event_id: int) -> EventRecord | None:
        return self._session.get(EventRecord, event_id)

    def all(self) -> list[EventRecord]:
        return list(self._session.execute(select(EventRecord).order_by(col(EventRecord.id))).scalars())

    def first_start(self, event_id: int) -> datetime | None:
        occurrence = EventOccurrenceRecord
        return self._session.execute(
            select(func.min(col(occurrence.starts_at))).where(col(occurrence.event_id) == event_id)
        ).scalar_one_or_none()

    def audience(self, kind: AudienceKind, units: Sequence[str]) -> list[int]:
        """Member ids of the serving champions an event is for."""
        departments = units if kind is AudienceKind.CHAMPION_DEPARTMENTS else ()
        offices = units if kind is AudienceKind.CHAMPION_OFFICES else ()
        statement = (
            select(col(ChampionRecord.member_id))
            .where(*serving(departments, offices))
            .order_by(col(ChampionRecord.member_id))
        )
        return [int(member_id) for member_id in self._session.execute(statement).scalars()]

    def invite(self, event_id: int, member_ids: Sequence[int]) -> None:
        if member_ids:
            self._session.connection().execute(
                insert(table_of(EventInviteeRecord)),
                [{"event_id": event_id, "member_id": member_id} for member_id in member_ids],
            )

    def invitees(self, event_id: int, answer: Answer | None = None) -> list[Invitee]:
        member = MemberRecord
        statement = (
            select(
                col(member.id),
                col(member.teams_user_id),
                col(member.display_name),
                col(member.email),
                col(member.locale),
                col(member.timezone),
                col(EventInviteeRecord.answer),
            )
            .join(member, col(member.id) == col(EventInviteeRecord.member_id))
            .where(col(EventInviteeRecord.event_id) == event_id)
            .order_by(col(member.display_name))
        )
        if answer is not None:
            statement = statement.where(col(EventInviteeRecord.answer) == answer.value)
        return [
            Invitee(int(row[0]), row[1], row[2] or "", row[3], row[4], row[5], Answer(row[6]) if row[6] else None)
            for row in self._session.execute(statement).all()
        ]

    def answer(self, event_id: int, member_id: int, answer: Answer, at: datetime) -> bool | None:
        """True when the answer changed, False when it was already that, None for someone not invited."""
        invitee = EventInviteeRecord
        result = self._session.execute(
            update(invitee)
            .where(
                col(invitee.event_id) == event_id,
                col(invitee.member_id) == member_id,
                (col(invitee.answer).is_(None)) | (col(invitee.answer) != answer.value),
            )
            .values(answer=answer.value, answered_at=at)
        )
        if affected_rows(result):
            return True
        found = self._session.get(EventInviteeRecord, (event_id, member_id))
        return False if found is not None else None

    def reminders_to_send(self, now: datetime, field: str, before: Any) -> list[tuple[int, int, datetime]]:
        """(occurrence id, event id, start) of occurrences starting within `before` not yet reminded."""
        occurrence = EventOccurrenceRecord
        return [
            (int(row[0]), int(row[1]), row[2])
            for row in self._session.execute(
                select(col(occurrence.id), col(occurrence.event_id), col(occurrence.starts_at)).where(
                    col(occurrence.starts_at) > now,
                    col(occurrence.starts_at) <= now + before,
                    col(getattr(occurrence, field)).is_(None),
                )
            ).all()
        ]

    def mark_reminded(self, occurrence_id: int, field: str, at: datetime) -> bool:
        occurrence = EventOccurrenceRecord
        result = self._session.execute(
            update(occurrence)
            .where(col(occurrence.id) == occurrence_id, col(getattr(occurrence, field)).is_(None))
            .values({field: at})
        )
        return affected_rows(result) > 0

    def upcoming(self, now: datetime, limit: int) -> list[Upcoming]:
        occurrence, invitee = EventOccurrenceRecord, EventInviteeRecord
        counts = (
            select(
                col(invitee.event_id).label("event_id"),
                func.count().label("invited"),
                func.count().filter(col(invitee.answer) == Answer.YES.value).label("yes"),
                func.count().filter(col(invitee.answer) == Answer.NO.value).label("no"),
            )
            .group_by(col(invitee.event_id))
            .subquery()
        )
        rows = self._session.execute(
            select(
                col(EventRecord.id),
                col(occurrence.id),
                col(EventRecord.title),
                col(occurrence.starts_at),
                col(EventRecord.minutes),
                col(EventRecord.meeting_url),
                func.coalesce(counts.c.yes, 0),
                func.coalesce(counts.c.no, 0),
                func.coalesce(counts.c.invited, 0),
            )
            .join(EventRecord, col(EventRecord.id) == col(occurrence.event_id))
            .outerjoin(counts, counts.c.event_id == col(EventRecord.id))
            .where(col(occurrence.starts_at) > now)
            .order_by(col(occurrence.starts_at))
            .limit(limit)
        ).all()
        return [Upcoming(*row) for row in rows]


class OfficeHoursBook:
    def __init__(self, session: Session) -> None:
        self._session = session

    def save(self, champion_id: int, hours: OfficeHours, at: datetime) -> None:
        values = {
            "champion_id": champion_id,
            "weekday": hours.weekday,
            "starts": hours.starts.strftime("%H:%M"),
            "ends": hours.ends.strftime("%H:%M"),
            "topic": hours.topic,
            "timezone": hours.timezone,
            "updated_at": at,
        }
        upsert(self._session, table_of(OfficeHoursRecord), values, keys=("champion_id",), update=values)

    def remove(self, champion_id: int) -> bool:
        result = self._session.execute(
            delete(OfficeHoursRecord).where(col(OfficeHoursRecord.champion_id) == champion_id)
        )
        return affected_rows(result) > 0

    def of(self, champion_ids: Sequence[int]) -> dict[int, OfficeHours]:
        if not champion_ids:
            return {}
        rows = _OFFICE_HOURS_OF.rows(self._session, champions=list(champion_ids))
        return {
            champion_id: OfficeHours(weekday, time.fromisoformat(starts), time.fromisoformat(ends), topic, timezone)
            for champion_id, weekday, starts, ends, topic, timezone in rows
        }


# Read on every "who is my champion" (its suggestions' office hours): prepared, plain columns.
_OFFICE_HOURS_OF = Prepared(
    select(
        col(OfficeHoursRecord.champion_id),
        col(OfficeHoursRecord.weekday),
        col(OfficeHoursRecord.starts),
        col(OfficeHoursRecord.ends),
        col(OfficeHoursRecord.topic),
        col(OfficeHoursRecord.timezone),
    ).where(col(OfficeHoursRecord.champion_id).in_(bindparam("champions", expanding=True)))
)

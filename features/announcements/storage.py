"""Reads and writes of announcements, their audiences and receipts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlmodel import Session, col

from domain.ports import ConversationKind
from features.announcements.domain import Announcement, Audience, AudienceKind, Draft, Status
from features.announcements.tables import AnnouncementReceiptRecord, AnnouncementRecord
from storage.champions import serving
from storage.models import ChampionRecord, ConversationRecord, EmployeeRecord, MemberRecord
from storage.program import ProgramConfig
from storage.sql import affected_rows, table_of


@dataclass(frozen=True, slots=True)
class Person:
    member_id: int
    teams_user_id: str
    locale: str | None
    timezone: str | None


def _draft(record: AnnouncementRecord) -> Draft:
    return Draft(
        text=record.text,
        audience=Audience.from_json(record.audience),
        image_url=record.image_url,
        image_alt=record.image_alt,
        link_title=record.link_title,
        link_url=record.link_url,
        send_at=record.send_at,
    )


def _values(draft: Draft) -> dict[str, Any]:
    return {
        "text": draft.text,
        "image_url": draft.image_url,
        "image_alt": draft.image_alt,
        "link_title": draft.link_title,
        "link_url": draft.link_url,
        "audience": draft.audience.to_json(),
        "send_at": draft.send_at,
    }


class Announcements:
    def __init__(self, session: Session) -> None:
        self._session = session

    def create(self, draft: Draft, by: str, at: datetime) -> int:
        record = AnnouncementRecord(**_values(draft), status=Status.DRAFT.value, created_by=by, created_at=at)
        self._session.add(record)
        self._session.flush()
        assert record.id is not None
        return record.id

    def revise(self, announcement_id: int, draft: Draft) -> bool:
        """A draft only: once scheduled or sent, an announcement stays as it went."""
        return self._move(announcement_id, Status.DRAFT, **_values(draft))

    def _move(self, announcement_id: int, expected: Status, **values: Any) -> bool:
        result = self._session.execute(
            update(AnnouncementRecord)
            .where(col(AnnouncementRecord.id) == announcement_id, col(AnnouncementRecord.status) == expected.value)
            .values(**values)
        )
        return affected_rows(result) > 0

    def schedule(self, announcement_id: int, origin: str) -> bool:
        return self._move(announcement_id, Status.DRAFT, status=Status.SCHEDULED.value, link_origin=origin)

    def mark_sent(self, announcement_id: int, expected: Status, origin: str, at: datetime) -> bool:
        values: dict[str, Any] = {"status": Status.SENT.value, "sent_at": at}
        if origin:
            values["link_origin"] = origin
        return self._move(announcement_id, expected, **values)

    def set_recipients(self, announcement_id: int, count: int) -> None:
        self._session.execute(
            update(AnnouncementRecord).where(col(AnnouncementRecord.id) == announcement_id).values(recipients=count)
        )

    def record(self, announcement_id: int) -> AnnouncementRecord | None:
        return self._session.get(AnnouncementRecord, announcement_id)

    def get(self, announcement_id: int) -> Announcement | None:
        record = self.record(announcement_id)
        return self._announcement(record) if record is not None else None

    def _announcement(self, record: AnnouncementRecord) -> Announcement:
        receipt = AnnouncementReceiptRecord
        acknowledged, clicked = self._session.execute(
            select(func.count(col(receipt.acknowledged_at)), func.count(col(receipt.clicked_at))).where(
                col(receipt.announcement_id) == record.id
            )
        ).one()
        assert record.id is not None
        return Announcement(
            id=record.id,
            draft=_draft(record),
            status=Status(record.status),
            created_by=record.created_by,
            created_at=record.created_at,
            sent_at=record.sent_at,
            recipients=record.recipients,
            acknowledged=int(acknowledged),
            clicked=int(clicked),
        )

    def recent(self, limit: int) -> list[Announcement]:
        records = self._session.execute(
            select(AnnouncementRecord).order_by(col(AnnouncementRecord.id).desc()).limit(limit)
        ).scalars()
        return [self._announcement(record) for record in records]

    def due(self, now: datetime) -> list[int]:
        return list(
            self._session.execute(
                select(col(AnnouncementRecord.id)).where(
                    col(AnnouncementRecord.status) == Status.SCHEDULED.value, col(AnnouncementRecord.send_at) <= now
                )
            ).scalars()
        )


class Receipts:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add_all(self, announcement_id: int, member_ids: Sequence[int]) -> dict[int, int]:
        """A receipt per person; their ids by member id."""
        if member_ids:
            self._session.connection().execute(
                insert(table_of(AnnouncementReceiptRecord)),
                [{"announcement_id": announcement_id, "member_id": member_id} for member_id in member_ids],
            )
        receipt = AnnouncementReceiptRecord
        rows = self._session.execute(
            select(col(receipt.member_id), col(receipt.id)).where(col(receipt.announcement_id) == announcement_id)
        ).all()
        return {int(member_id): int(receipt_id) for member_id, receipt_id in rows if member_id is not None}

    def acknowledge(self, announcement_id: int, member_id: int, at: datetime) -> bool | None:
        """True when acknowledged now, False when already, None for someone it did not go to."""
        receipt = AnnouncementReceiptRecord
        result = self._session.execute(
            update(receipt)
            .where(
                col(receipt.announcement_id) == announcement_id,
                col(receipt.member_id) == member_id,
                col(receipt.acknowledged_at).is_(None),
            )
            .values(acknowledged_at=at)
        )
        if affected_rows(result):
            return True
        exists = self._session.execute(
            select(col(receipt.id)).where(
                col(receipt.announcement_id) == announcement_id, col(receipt.member_id) == member_id
            )
        ).first()
        return False if exists is not None else None

    def click(self, receipt_id: int, at: datetime) -> str | None:
        """The link the receipt's announcement points to; its first click is counted."""
        receipt = self._session.get(AnnouncementReceiptRecord, receipt_id)
        if receipt is None:
            return None
        if receipt.clicked_at is None:
            self._session.execute(
                update(AnnouncementReceiptRecord)
                .where(
                    col(AnnouncementReceiptRecord.id) == receipt_id, col(AnnouncementReceiptRecord.clicked_at).is_(None)
                )
                .values(clicked_at=at)
            )
        record = self._session.get(AnnouncementRecord, receipt.announcement_id)
        return record.link_url if record is not None and record.link_url else None


def audience_people(session: Session, audience: Audience) -> list[Person]:
    """Who an announcement reaches, once each (channels are not people)."""
    member = MemberRecord
    columns = (col(member.id), col(member.teams_user_id), col(member.locale), col(member.timezone))
    kind = audience.kind
    if kind is AudienceKind.CHANNELS:
        return []
    if kind is AudienceKind.EVERYONE:
        statement = (
            select(*columns)
            .join(EmployeeRecord, col(EmployeeRecord.email) == func.lower(col(member.email)))
            .where(col(EmployeeRecord.active).is_(True))
        )
    else:
        departments = audience.units if kind is AudienceKind.CHAMPION_DEPARTMENTS else ()
        offices = audience.units if kind is AudienceKind.CHAMPION_OFFICES else ()
        statement = (
            select(*columns)
            .join(ChampionRecord, col(ChampionRecord.member_id) == col(member.id))
            .where(*serving(departments, offices))
        )
    rows = session.execute(statement.distinct().order_by(col(member.id))).all()
    return [Person(int(member_id), teams_id, locale, timezone) for member_id, teams_id, locale, timezone in rows]


def audience_channels(session: Session, audience: Audience) -> list[str]:
    if audience.kind is not AudienceKind.CHANNELS:
        return []
    channels = [ProgramConfig(session).load().champions_channel_id]
    channels += session.execute(
        select(col(ConversationRecord.id)).where(
            col(ConversationRecord.kind) == ConversationKind.CHANNEL.value,
            col(ConversationRecord.installed).is_(True),
            col(ConversationRecord.id).not_like("%;messageid=%"),
        )
    ).scalars()
    return list(dict.fromkeys(channel for channel in channels if channel))


def known_units(session: Session, kind: AudienceKind) -> list[str]:
    """Departments or offices where champions serve, to check the names a lead typed."""
    column = col(ChampionRecord.department) if kind is AudienceKind.CHAMPION_DEPARTMENTS else col(ChampionRecord.office)
    return sorted(unit for unit in session.execute(select(column).distinct().where(*serving())).scalars() if unit)

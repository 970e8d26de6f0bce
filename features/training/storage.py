"""Reads and writes of training resources, checklists sent and progress."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlmodel import Session, col

from features.training.domain import Resource
from features.training.tables import TrainingProgressRecord, TrainingResourceRecord, TrainingStartRecord
from storage.models import ChampionFocusRecord, ChampionRecord, MemberRecord
from storage.sql import affected_rows, insert_if_absent, table_of


@dataclass(frozen=True, slots=True)
class Trainee:
    champion_id: int
    teams_user_id: str
    name: str
    department: str
    locale: str | None
    timezone: str | None
    focus_areas: tuple[str, ...]

    @property
    def language(self) -> str | None:
        return self.locale[:2].lower() if self.locale else None


class Resources:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self, title: str, url: str, area: str, language: str, required: bool, checklist: bool, by: str, at: datetime
    ) -> int:
        record = TrainingResourceRecord(
            title=title,
            url=url,
            focus_area=area,
            language=language,
            required=required,
            checklist=checklist,
            created_by=by,
            created_at=at,
        )
        self._session.add(record)
        self._session.flush()
        assert record.id is not None
        return record.id

    def all(self) -> list[Resource]:
        rows = self._session.execute(select(TrainingResourceRecord).order_by(col(TrainingResourceRecord.id))).scalars()
        return [
            Resource(row.id or 0, row.title, row.url, row.focus_area, row.language, row.required, row.checklist)
            for row in rows
        ]


class Progress:
    def __init__(self, session: Session) -> None:
        self._session = session

    def done(self, champion_id: int) -> set[int]:
        return set(
            self._session.execute(
                select(col(TrainingProgressRecord.resource_id)).where(
                    col(TrainingProgressRecord.champion_id) == champion_id
                )
            ).scalars()
        )

    def done_by_champion(self) -> dict[int, set[int]]:
        found: dict[int, set[int]] = {}
        for champion_id, resource_id in self._session.execute(
            select(col(TrainingProgressRecord.champion_id), col(TrainingProgressRecord.resource_id))
        ).all():
            found.setdefault(int(champion_id), set()).add(int(resource_id))
        return found

    def set_done(self, champion_id: int, ticked: set[int], offered: set[int], at: datetime) -> None:
        """Ticked items are done (since when they were first ticked); offered items left unticked are not."""
        already = self.done(champion_id)
        new = sorted(ticked - already)
        if new:
            self._session.connection().execute(
                insert(table_of(TrainingProgressRecord)),
                [{"champion_id": champion_id, "resource_id": resource_id, "done_at": at} for resource_id in new],
            )
        unticked = (offered - ticked) & already
        if unticked:
            self._session.execute(
                delete(TrainingProgressRecord).where(
                    col(TrainingProgressRecord.champion_id) == champion_id,
                    col(TrainingProgressRecord.resource_id).in_(sorted(unticked)),
                )
            )


class Starts:
    def __init__(self, session: Session) -> None:
        self._session = session

    def start(self, champion_id: int, at: datetime) -> bool:
        values = {"champion_id": champion_id, "sent_at": at, "reminders": 0}
        return insert_if_absent(self._session, table_of(TrainingStartRecord), values, keys=("champion_id",))

    def started(self) -> dict[int, tuple[datetime, int]]:
        return {
            int(row.champion_id): (row.sent_at, row.reminders)
            for row in self._session.execute(select(TrainingStartRecord)).scalars()
        }

    def count_reminder(self, champion_id: int, expected: int) -> bool:
        result = self._session.execute(
            update(TrainingStartRecord)
            .where(col(TrainingStartRecord.champion_id) == champion_id, col(TrainingStartRecord.reminders) == expected)
            .values(reminders=expected + 1)
        )
        return affected_rows(result) > 0


def trainees(session: Session, champion_ids: Iterable[int] | None = None) -> list[Trainee]:
    """Active champions, with what the training path needs of them."""
    statement = (
        select(
            col(ChampionRecord.id),
            col(MemberRecord.teams_user_id),
            col(MemberRecord.display_name),
            col(ChampionRecord.department),
            col(MemberRecord.locale),
            col(MemberRecord.timezone),
        )
        .join(MemberRecord, col(MemberRecord.id) == col(ChampionRecord.member_id))
        .where(col(ChampionRecord.status) == "active")
        .order_by(col(MemberRecord.display_name))
    )
    if champion_ids is not None:
        statement = statement.where(col(ChampionRecord.id).in_(list(champion_ids)))
    rows = session.execute(statement).all()
    areas: dict[int, list[str]] = {}
    for champion_id, area in session.execute(
        select(col(ChampionFocusRecord.champion_id), col(ChampionFocusRecord.focus_area))
    ).all():
        areas.setdefault(int(champion_id), []).append(area)
    return [
        Trainee(int(row[0]), row[1], row[2] or "", row[3] or "", row[4], row[5], tuple(areas.get(int(row[0]), ())))
        for row in rows
    ]

"""Stories, applause, kudos, the points ledger, levels reached, and leaderboard queries."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from features.recognition.domain import (
    Credit,
    PointsReason,
    RecognitionSettings,
    Season,
    Story,
    StoryDraft,
    StoryStatus,
    season_called,
    seasons_in_order,
)
from features.recognition.tables import (
    ChampionLevelRecord,
    KudosRecord,
    LeaderboardOptOutRecord,
    PointsEntryRecord,
    SeasonRecord,
    StoryApplauseRecord,
    StoryRecord,
)
from storage.champions import Champions, serving
from storage.models import ChampionRecord, MemberRecord
from storage.program import SettingsStore
from storage.repositories import Members
from storage.sql import affected_rows, insert_if_absent, inserted_id, table_of
from storage.workplaces import Workplaces

RECOGNITION_SETTING = "recognition"
STORY_PAGE = 50


class RecognitionConfig:
    def __init__(self, session: Session) -> None:
        self._settings = SettingsStore(session)

    def load(self) -> RecognitionSettings:
        return RecognitionSettings.from_json(self._settings.read(RECOGNITION_SETTING))

    def save(self, settings: RecognitionSettings, by: str, at: datetime) -> None:
        self._settings.write(RECOGNITION_SETTING, settings.to_json(), by, at)


class Stories:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, author_member_id: int, draft: StoryDraft, status: StoryStatus, at: datetime) -> int:
        record = StoryRecord(
            author_member_id=author_member_id,
            title=draft.title,
            body=draft.body,
            impact=draft.impact,
            hours_saved=draft.hours_saved,
            deals_closed=draft.deals_closed,
            figures=draft.figures,
            department=draft.department,
            focus_areas=list(draft.focus_areas),
            credited_champion_id=draft.credited_champion_id,
            status=status.value,
            created_at=at,
            updated_at=at,
            published_at=at if status is StoryStatus.PUBLISHED else None,
        )
        return inserted_id(self._session, record)

    def _select(self) -> Any:
        author = aliased(MemberRecord)
        credited_member = aliased(MemberRecord)
        applause = (
            select(func.count())
            .where(col(StoryApplauseRecord.story_id) == col(StoryRecord.id))
            .correlate(StoryRecord)
            .scalar_subquery()
        )
        hidden = select(col(LeaderboardOptOutRecord.member_id))
        return (
            select(
                StoryRecord,
                col(author.display_name),
                col(author.teams_user_id),
                col(author.locale),
                col(credited_member.display_name),
                applause,
                col(author.id).in_(hidden),
                func.coalesce(col(credited_member.id).in_(hidden), False),
            )
            .join(author, col(author.id) == col(StoryRecord.author_member_id))
            .outerjoin(ChampionRecord, col(ChampionRecord.id) == col(StoryRecord.credited_champion_id))
            .outerjoin(credited_member, col(credited_member.id) == col(ChampionRecord.member_id))
        )

    @staticmethod
    def _story(row: Any) -> Story:
        record, author_name, author_id, author_locale, credited_name, applause, author_hidden, credited_hidden = row
        return Story(
            id=record.id,
            title=record.title,
            body=record.body,
            impact=record.impact,
            hours_saved=record.hours_saved,
            deals_closed=record.deals_closed,
            figures=record.figures,
            department=record.department,
            focus_areas=tuple(record.focus_areas or ()),
            status=StoryStatus(record.status),
            author_name=author_name,
            author_teams_id=author_id,
            author_locale=author_locale,
            credited_champion_id=record.credited_champion_id,
            credited_name=credited_name,
            moderated_by=record.moderated_by,
            reject_reason=record.reject_reason,
            edited=record.edited_by is not None,
            story_of_month=record.story_of_month,
            story_of_month_by=record.story_of_month_by,
            applause=int(applause or 0),
            created_at=record.created_at,
            published_at=record.published_at,
            author_hidden=bool(author_hidden),
            credited_hidden=bool(credited_hidden),
        )

    def get(self, story_id: int) -> Story | None:
        row = self._session.execute(self._select().where(col(StoryRecord.id) == story_id)).first()
        return self._story(row) if row else None

    def pending(self, limit: int = 10) -> list[Story]:
        rows = self._session.execute(
            self._select()
            .where(col(StoryRecord.status) == StoryStatus.PENDING.value)
            .order_by(col(StoryRecord.created_at))
            .limit(limit)
        ).all()
        return [self._story(row) for row in rows]

    def count_pending(self) -> int:
        return int(
            self._session.execute(
                select(func.count()).where(col(StoryRecord.status) == StoryStatus.PENDING.value)
            ).scalar_one()
        )

    def published(self, *, focus_area: str | None = None, unit: str | None = None, limit: int = 5) -> list[Story]:
        statement = self._select().where(col(StoryRecord.status) == StoryStatus.PUBLISHED.value)
        if unit:
            statement = statement.where(func.lower(col(StoryRecord.department)) == unit.lower())
        newest_first = statement.order_by(col(StoryRecord.published_at).desc(), col(StoryRecord.id).desc())
        if not focus_area:
            return [self._story(row) for row in self._session.execute(newest_first.limit(limit)).all()]
        # Focus areas are a JSON list (no portable index): read newest first, a page at a time,
        # until enough match, instead of every published story.
        wanted = focus_area.casefold()
        found: list[Story] = []
        for offset in itertools.count(0, STORY_PAGE):
            rows = self._session.execute(newest_first.limit(STORY_PAGE).offset(offset)).all()
            stories = (self._story(row) for row in rows)
            found += [story for story in stories if wanted in (area.casefold() for area in story.focus_areas)]
            if len(found) >= limit or len(rows) < STORY_PAGE:
                break
        return found[:limit]

    def moderate(
        self,
        story_id: int,
        to: StoryStatus,
        by: str,
        at: datetime,
        *,
        reason: str | None = None,
        edits: dict[str, str] | None = None,
    ) -> bool:
        """Publish or reject a pending story, once; edits a lead made are applied with the decision."""
        values: dict[str, Any] = {"status": to.value, "moderated_by": by, "moderated_at": at, "updated_at": at}
        if to is StoryStatus.PUBLISHED:
            values["published_at"] = at
        if reason is not None:
            values["reject_reason"] = reason
        if edits:
            values.update(edits, edited_by=by)
        result = self._session.execute(
            update(StoryRecord)
            .where(col(StoryRecord.id) == story_id)
            .where(col(StoryRecord.status) == StoryStatus.PENDING.value)
            .values(**values)
        )
        return affected_rows(result) > 0

    def month_taken(self, month: str) -> Story | None:
        row = self._session.execute(self._select().where(col(StoryRecord.story_of_month) == month)).first()
        return self._story(row) if row else None

    def make_story_of_month(self, story_id: int, month: str, by: str, at: datetime) -> bool:
        """False when the story is not published, or another story took the month meanwhile."""
        try:
            # A savepoint: losing the race to another lead's click (the month is unique) must
            # leave this transaction usable to read who won.
            with self._session.begin_nested():
                result = self._session.execute(
                    update(StoryRecord)
                    .where(col(StoryRecord.id) == story_id)
                    .where(col(StoryRecord.status) == StoryStatus.PUBLISHED.value)
                    .where(col(StoryRecord.story_of_month).is_(None))
                    .values(story_of_month=month, story_of_month_by=by, updated_at=at)
                )
        except IntegrityError:
            return False
        return affected_rows(result) > 0

    def applaud(self, story_id: int, member_id: int, at: datetime) -> bool:
        return insert_if_absent(
            self._session,
            table_of(StoryApplauseRecord),
            {"story_id": story_id, "member_id": member_id, "at": at},
            keys=("story_id", "member_id"),
        )


class KudosBook:
    def __init__(self, session: Session) -> None:
        self._session = session

    def given_on(self, giver_member_id: int, day: date) -> int:
        return int(
            self._session.execute(
                select(func.count())
                .where(col(KudosRecord.giver_member_id) == giver_member_id)
                .where(col(KudosRecord.giver_day) == day)
            ).scalar_one()
        )

    def add(self, giver_member_id: int, champion_id: int, message: str, day: date, at: datetime) -> int:
        record = KudosRecord(
            giver_member_id=giver_member_id, champion_id=champion_id, message=message, giver_day=day, created_at=at
        )
        return inserted_id(self._session, record)

    def recent(self, limit: int = 20) -> list[tuple[str, str, str, datetime]]:
        """(giver, champion, message, when), newest first."""
        giver = aliased(MemberRecord)
        receiver = aliased(MemberRecord)
        rows = self._session.execute(
            select(
                col(giver.display_name),
                col(receiver.display_name),
                col(KudosRecord.message),
                col(KudosRecord.created_at),
            )
            .join(giver, col(giver.id) == col(KudosRecord.giver_member_id))
            .join(ChampionRecord, col(ChampionRecord.id) == col(KudosRecord.champion_id))
            .join(receiver, col(receiver.id) == col(ChampionRecord.member_id))
            .order_by(col(KudosRecord.created_at).desc(), col(KudosRecord.id).desc())
            .limit(limit)
        ).all()
        return [(a, b, c, d) for a, b, c, d in rows]


class PointsLedger:
    def __init__(self, session: Session) -> None:
        self._session = session

    def credit_for(self, teams_user_id: str) -> Credit | None:
        """Who a member's points go to: them, their champion record if they champion, their department.

        The department is the HR directory's (else what they told the bot), and a champion's
        enrolled department when neither knows; None for someone the bot has never seen.
        """
        member = Members(self._session).get(teams_user_id)
        if member is None or member.id is None:
            return None
        unit, _ = Workplaces(self._session).unit_of(teams_user_id)
        champion = Champions(self._session).of_user(teams_user_id)
        champion_id = champion.id if champion is not None and champion.status.is_champion else None
        department = unit.department or (champion.profile.unit.department if champion is not None else "")
        return Credit(member.id, department, champion_id)

    def add(
        self,
        credit: Credit,
        points: int,
        reason: PointsReason,
        at: datetime,
        *,
        by: str,
        note: str = "",
        source_key: str | None = None,
    ) -> int | None:
        """Add an entry and return its id; None when `source_key` already earned its points (a replay)."""
        values: dict[str, Any] = {
            "member_id": credit.member_id,
            "champion_id": credit.champion_id,
            "department": credit.department,
            "points": points,
            "reason": reason.value,
            "note": note,
            "source_key": source_key,
            "by": by,
            "created_at": at,
        }
        if source_key is None:
            return inserted_id(self._session, PointsEntryRecord(**values))
        if not insert_if_absent(self._session, table_of(PointsEntryRecord), values, keys=("source_key",)):
            return None
        return self._session.execute(
            select(col(PointsEntryRecord.id)).where(col(PointsEntryRecord.source_key) == source_key)
        ).scalar_one()

    def department_totals(self, since: datetime | None, until: datetime | None = None) -> dict[str, int]:
        """Each department's points in the period, everyone's who played, by the department they earned them in."""
        conditions = []
        if since is not None:
            conditions.append(col(PointsEntryRecord.created_at) >= since)
        if until is not None:
            conditions.append(col(PointsEntryRecord.created_at) < until)
        rows = self._session.execute(
            select(col(PointsEntryRecord.department), func.sum(col(PointsEntryRecord.points)))
            .where(*conditions)
            .group_by(col(PointsEntryRecord.department))
        ).all()
        return {department: int(total or 0) for department, total in rows}

    def member_total(self, member_id: int) -> int:
        return int(
            self._session.execute(
                select(func.coalesce(func.sum(col(PointsEntryRecord.points)), 0)).where(
                    col(PointsEntryRecord.member_id) == member_id
                )
            ).scalar_one()
        )

    def total(self, champion_id: int) -> int:
        return int(
            self._session.execute(
                select(func.coalesce(func.sum(col(PointsEntryRecord.points)), 0)).where(
                    col(PointsEntryRecord.champion_id) == champion_id
                )
            ).scalar_one()
        )

    def entries(self, champion_id: int, limit: int = 10) -> list[PointsEntryRecord]:
        return list(
            self._session.execute(
                select(PointsEntryRecord)
                .where(col(PointsEntryRecord.champion_id) == champion_id)
                .order_by(col(PointsEntryRecord.id).desc())
                .limit(limit)
            ).scalars()
        )

    def by_champion(self, since: datetime | None, until: datetime | None = None) -> list[tuple[int, str, str, float]]:
        """(champion id, name, department, points) for champions with points in the period."""
        points = func.sum(col(PointsEntryRecord.points))
        conditions = []
        if since is not None:
            conditions.append(col(PointsEntryRecord.created_at) >= since)
        if until is not None:
            conditions.append(col(PointsEntryRecord.created_at) < until)
        totals = (
            select(col(PointsEntryRecord.champion_id).label("champion_id"), points.label("points"))
            .where(*conditions)
            .group_by(col(PointsEntryRecord.champion_id))
            .subquery()
        )
        rows = self._session.execute(
            select(
                totals.c.champion_id, col(MemberRecord.display_name), col(ChampionRecord.department), totals.c.points
            )
            .join(ChampionRecord, col(ChampionRecord.id) == totals.c.champion_id)
            .join(MemberRecord, col(MemberRecord.id) == col(ChampionRecord.member_id))
        ).all()
        return [(cid, name, department or "", float(total or 0)) for cid, name, department, total in rows]

    def champions_per_department(self) -> dict[str, int]:
        rows = self._session.execute(
            select(col(ChampionRecord.department), func.count())
            .where(*serving())
            .group_by(col(ChampionRecord.department))
        ).all()
        return {department or "": int(count) for department, count in rows}

    def activity(
        self, since: datetime, until: datetime, member_id: int | None = None
    ) -> list[tuple[int, str, str | None, datetime]]:
        """(member id, reason, source key, when) of positive entries earned by taking part
        (one member's, with `member_id`)."""
        entry = PointsEntryRecord
        earned = [PointsReason.CHECKIN, PointsReason.STORY, PointsReason.KUDOS, PointsReason.CONTEST]
        whose = col(entry.member_id) == member_id if member_id is not None else col(entry.member_id).is_not(None)
        rows = self._session.execute(
            select(col(entry.member_id), col(entry.reason), col(entry.source_key), col(entry.created_at))
            .where(
                col(entry.created_at) >= since,
                col(entry.created_at) <= until,
                whose,
                col(entry.points) > 0,
                col(entry.reason).in_([reason.value for reason in earned]),
            )
            .order_by(col(entry.created_at))
        ).all()
        return [(int(member_id), str(reason), source_key, at) for member_id, reason, source_key, at in rows]


class Seasons:
    def __init__(self, session: Session) -> None:
        self._session = session

    def all(self) -> list[Season]:
        rows = self._session.execute(select(col(SeasonRecord.name), col(SeasonRecord.starts_at))).all()
        return seasons_in_order([(name, starts_at) for name, starts_at in rows])

    def start(self, name: str, by: str, at: datetime) -> bool:
        """False when a season of that name exists (names are unique, whatever the case)."""
        if season_called(self.all(), name) is not None:
            return False
        return insert_if_absent(
            self._session,
            table_of(SeasonRecord),
            {"name": name, "starts_at": at, "started_by": by},
            keys=("name",),
        )


class Levels:
    def __init__(self, session: Session) -> None:
        self._session = session

    def reach(self, champion_id: int, level: str, at: datetime) -> bool:
        return insert_if_absent(
            self._session,
            table_of(ChampionLevelRecord),
            {"champion_id": champion_id, "level": level, "reached_at": at},
            keys=("champion_id", "level"),
        )

    def reached_between(self, start: datetime, end: datetime) -> list[tuple[str, str]]:
        """(champion name, level) reached in [start, end)."""
        rows = self._session.execute(
            select(col(MemberRecord.display_name), col(ChampionLevelRecord.level))
            .join(ChampionRecord, col(ChampionRecord.id) == col(ChampionLevelRecord.champion_id))
            .join(MemberRecord, col(MemberRecord.id) == col(ChampionRecord.member_id))
            .where(and_(col(ChampionLevelRecord.reached_at) >= start, col(ChampionLevelRecord.reached_at) < end))
            # Someone hidden from public posts is left out of the month's levels.
            .where(col(MemberRecord.id).not_in(select(col(LeaderboardOptOutRecord.member_id))))
            .order_by(col(ChampionLevelRecord.reached_at))
        ).all()
        return [(name, level) for name, level in rows]


class LeaderboardOptOuts:
    """Who is hidden from leaderboards and public posts."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def hide(self, member_id: int, at: datetime) -> bool:
        """Hide them; False when they already were."""
        return insert_if_absent(
            self._session,
            table_of(LeaderboardOptOutRecord),
            {"member_id": member_id, "hidden_at": at},
            keys=("member_id",),
        )

    def show(self, member_id: int) -> bool:
        """Name them again; False when they were not hidden."""
        result = self._session.execute(
            delete(LeaderboardOptOutRecord).where(col(LeaderboardOptOutRecord.member_id) == member_id)
        )
        return affected_rows(result) > 0

    def hides(self, member_id: int) -> bool:
        return self._session.get(LeaderboardOptOutRecord, member_id) is not None

    def hidden_among(self, member_ids: Sequence[int]) -> set[int]:
        """Which of these members are hidden."""
        if not member_ids:
            return set()
        rows = self._session.execute(
            select(col(LeaderboardOptOutRecord.member_id)).where(
                col(LeaderboardOptOutRecord.member_id).in_(list(member_ids))
            )
        )
        return set(rows.scalars())

    def hidden_champions(self) -> set[int]:
        """Champion ids of the champions who are hidden."""
        rows = self._session.execute(
            select(col(ChampionRecord.id)).join(
                LeaderboardOptOutRecord, col(LeaderboardOptOutRecord.member_id) == col(ChampionRecord.member_id)
            )
        ).scalars()
        return set(rows)

"""Check-in rounds, each champion's assignment and answer, round figures, and feedback items."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import and_, case, func, insert, select, update
from sqlmodel import Session, col

from domain.roles import ChampionStatus
from features.checkins.domain import (
    STILL_OPEN,
    AssignmentStatus,
    Cadence,
    Checkin,
    LocalSchedule,
    Question,
    questions_from_json,
)
from features.checkins.feedback_domain import UnitFigures
from features.checkins.tables import (
    CheckinAssignmentRecord,
    CheckinRoundRecord,
)
from storage.champions import serving
from storage.models import ChampionRecord, EmployeeRecord, MemberRecord
from storage.program import SettingsStore
from storage.sql import affected_rows, insert_if_absent, table_of

CADENCE_SETTING = "checkins.cadence"
QUESTIONS_SETTING = "checkins.questions"

DueColumn = Literal["due_at", "remind_at", "snoozed_until"]


class CheckinConfig:
    """The cadence and the question set, kept with the other program settings."""

    def __init__(self, session: Session) -> None:
        self._settings = SettingsStore(session)

    def cadence(self) -> Cadence:
        return Cadence.from_json(self._settings.read(CADENCE_SETTING))

    def save_cadence(self, cadence: Cadence, by: str, at: datetime) -> None:
        self._settings.write(CADENCE_SETTING, cadence.to_json(), by, at)

    def questions(self) -> tuple[Question, ...]:
        return questions_from_json(self._settings.read(QUESTIONS_SETTING))

    def save_questions(self, questions: Sequence[Question], by: str, at: datetime) -> None:
        self._settings.write(QUESTIONS_SETTING, [question.to_json() for question in questions], by, at)


@dataclass(frozen=True, slots=True)
class Invitee:
    """A champion a new round is prepared for, with the time zone their check-in follows."""

    champion_id: int
    department: str
    office: str
    team: str
    directory_timezone: str | None
    teams_timezone: str | None


class CheckinRounds:
    def __init__(self, session: Session) -> None:
        self._session = session

    # --- preparing a round ----------------------------------------------------------------

    def last_round_date(self) -> date | None:
        return self._session.execute(select(func.max(col(CheckinRoundRecord.round_date)))).scalar_one_or_none()

    def create_round(
        self, round_date: date, questions: Sequence[Question], cadence: Cadence, at: datetime
    ) -> int | None:
        """The round's id, or None when it exists already (prepared by an earlier tick)."""
        created = insert_if_absent(
            self._session,
            table_of(CheckinRoundRecord),
            {
                "round_date": round_date,
                "questions": [question.to_json() for question in questions],
                "cadence": cadence.to_json(),
                "created_at": at,
            },
            keys=("round_date",),
        )
        if not created:
            return None
        return self._session.execute(
            select(col(CheckinRoundRecord.id)).where(col(CheckinRoundRecord.round_date) == round_date)
        ).scalar_one()

    def invitees(self) -> list[Invitee]:
        """Active and paused champions (a pause may end before their local send time)."""
        email = func.lower(func.coalesce(col(MemberRecord.email), col(MemberRecord.user_principal_name)))
        rows = self._session.execute(
            select(
                col(ChampionRecord.id),
                col(ChampionRecord.department),
                col(ChampionRecord.office),
                col(ChampionRecord.team),
                col(EmployeeRecord.timezone),
                col(MemberRecord.timezone),
            )
            .join(MemberRecord, col(MemberRecord.id) == col(ChampionRecord.member_id))
            .outerjoin(EmployeeRecord, and_(col(EmployeeRecord.email) == email, col(EmployeeRecord.active).is_(True)))
            .where(*serving())
            .order_by(col(ChampionRecord.id))
        ).all()
        return [Invitee(*row) for row in rows]

    def add_assignments(
        self, round_id: int, scheduled: Iterable[tuple[Invitee, str, LocalSchedule]], at: datetime
    ) -> int:
        rows = [
            {
                "round_id": round_id,
                "champion_id": invitee.champion_id,
                "status": AssignmentStatus.SCHEDULED.value,
                "timezone": timezone,
                "department": invitee.department,
                "office": invitee.office,
                "team": invitee.team,
                "due_at": schedule.due_at,
                "remind_at": schedule.remind_at,
                "closes_at": schedule.closes_at,
                "updated_at": at,
            }
            for invitee, timezone, schedule in scheduled
        ]
        if rows:
            self._session.execute(insert(table_of(CheckinAssignmentRecord)), rows)
        return len(rows)

    # --- reading --------------------------------------------------------------------------

    def _views(self, *conditions: Any, order: Any = None, limit: int | None = None) -> list[Checkin]:
        # Plain columns, not ORM objects: a round's batch reads thousands of these.
        assignment, round_, champion, member = CheckinAssignmentRecord, CheckinRoundRecord, ChampionRecord, MemberRecord
        statement = (
            select(
                col(assignment.id),
                col(assignment.round_id),
                col(round_.round_date),
                col(champion.id),
                col(champion.status),
                col(member.teams_user_id),
                col(member.display_name),
                col(member.locale),
                col(assignment.status),
                col(assignment.timezone),
                col(assignment.department),
                col(assignment.office),
                col(assignment.team),
                col(assignment.due_at),
                col(assignment.closes_at),
                col(assignment.snoozed_until),
                col(assignment.answers),
                col(assignment.answered_at),
                col(assignment.skip_reason),
            )
            .join(round_, col(round_.id) == col(assignment.round_id))
            .join(champion, col(champion.id) == col(assignment.champion_id))
            .join(member, col(member.id) == col(champion.member_id))
            .where(*conditions)
            .order_by(order if order is not None else col(assignment.id))
        )
        if limit is not None:
            statement = statement.limit(limit)
        rows = self._session.execute(statement).all()
        questions = {round_id: self.questions_of(round_id) for round_id in {row[1] for row in rows}}
        return [
            Checkin(
                id=row[0],
                round_id=row[1],
                round_date=row[2],
                questions=questions[row[1]],
                champion_id=row[3],
                champion_status=ChampionStatus(row[4]),
                teams_user_id=row[5],
                display_name=row[6],
                locale=row[7],
                status=AssignmentStatus(row[8]),
                timezone=row[9],
                department=row[10],
                office=row[11],
                team=row[12],
                due_at=row[13],
                closes_at=row[14],
                snoozed_until=row[15],
                answers=row[16],
                answered_at=row[17],
                skip_reason=row[18],
            )
            for row in rows
        ]

    def get(self, assignment_id: int) -> Checkin | None:
        found = self._views(col(CheckinAssignmentRecord.id) == assignment_id)
        return found[0] if found else None

    def current_of(self, teams_user_id: str, now: datetime) -> Checkin | None:
        """The champion's newest assignment that is still open (sent or not yet), if any."""
        found = self._views(
            col(MemberRecord.teams_user_id) == teams_user_id,
            col(CheckinAssignmentRecord.closes_at) > now,
            col(CheckinAssignmentRecord.status) != AssignmentStatus.EXCLUDED.value,
            order=col(CheckinRoundRecord.round_date).desc(),
            limit=1,
        )
        return found[0] if found else None

    def due(self, status: AssignmentStatus, when: DueColumn, now: datetime, limit: int) -> list[Checkin]:
        """Assignments in `status` whose `when` time has come, while their round is open."""
        column = col(getattr(CheckinAssignmentRecord, when))
        conditions = [
            col(CheckinAssignmentRecord.status) == status.value,
            column <= now,
            col(CheckinAssignmentRecord.closes_at) > now,
        ]
        if when == "remind_at":
            conditions.append(col(CheckinAssignmentRecord.reminded_at).is_(None))
        return self._views(*conditions, limit=limit)

    def history(self, champion_id: int) -> list[Checkin]:
        return self._views(
            col(CheckinAssignmentRecord.champion_id) == champion_id,
            col(CheckinAssignmentRecord.status) != AssignmentStatus.EXCLUDED.value,
            order=col(CheckinRoundRecord.round_date).desc(),
        )

    def recent_statuses(self, champion_ids: Sequence[int], count: int) -> dict[int, list[AssignmentStatus]]:
        """Each champion's newest `count` finished, counted rounds, newest first."""
        finished = [AssignmentStatus.ANSWERED.value, AssignmentStatus.SKIPPED.value, AssignmentStatus.MISSED.value]
        found: dict[int, list[AssignmentStatus]] = defaultdict(list)
        if not champion_ids:
            return found
        rows = self._session.execute(
            select(col(CheckinAssignmentRecord.champion_id), col(CheckinAssignmentRecord.status))
            .where(col(CheckinAssignmentRecord.champion_id).in_(champion_ids))
            .where(col(CheckinAssignmentRecord.status).in_(finished))
            .order_by(col(CheckinAssignmentRecord.champion_id), col(CheckinAssignmentRecord.round_id).desc())
        ).all()
        for champion_id, status in rows:
            if len(found[champion_id]) < count:
                found[champion_id].append(AssignmentStatus(status))
        return found

    def questions_of(self, round_id: int) -> tuple[Question, ...]:
        stored = self._session.get(CheckinRoundRecord, round_id)
        return questions_from_json(stored.questions) if stored is not None else ()

    def names_of(self, champion_ids: Sequence[int]) -> list[str]:
        return list(
            self._session.execute(
                select(col(MemberRecord.display_name))
                .join(ChampionRecord, col(ChampionRecord.member_id) == col(MemberRecord.id))
                .where(col(ChampionRecord.id).in_(champion_ids))
                .order_by(col(MemberRecord.display_name))
            ).scalars()
        )

    # --- changing -------------------------------------------------------------------------

    def move(
        self, assignment_id: int, expected: Sequence[AssignmentStatus], to: AssignmentStatus, **values: Any
    ) -> bool:
        """Change status only from an `expected` one, so two ticks (or a tick and an answer) never both act."""
        result = self._session.execute(
            update(CheckinAssignmentRecord)
            .where(col(CheckinAssignmentRecord.id) == assignment_id)
            .where(col(CheckinAssignmentRecord.status).in_([status.value for status in expected]))
            .values(status=to.value, **values)
        )
        return affected_rows(result) > 0

    def move_all(
        self, assignment_ids: Sequence[int], expected: Sequence[AssignmentStatus], to: AssignmentStatus, **values: Any
    ) -> set[int]:
        """`move` for many in one statement; the ids that did move."""
        if not assignment_ids:
            return set()
        identifier = col(CheckinAssignmentRecord.id)
        result = self._session.execute(
            update(CheckinAssignmentRecord)
            .where(identifier.in_(list(assignment_ids)))
            .where(col(CheckinAssignmentRecord.status).in_([status.value for status in expected]))
            .values(status=to.value, **values)
            .returning(identifier)
        )
        return set(result.scalars())

    def wake(self, assignment_id: int, now: datetime) -> bool:
        """A snoozed check-in comes back; it stands in for a reminder whose time passed meanwhile."""
        reminded_at = col(CheckinAssignmentRecord.reminded_at)
        remind_at = col(CheckinAssignmentRecord.remind_at)
        result = self._session.execute(
            update(CheckinAssignmentRecord)
            .where(col(CheckinAssignmentRecord.id) == assignment_id)
            .where(col(CheckinAssignmentRecord.status) == AssignmentStatus.SNOOZED.value)
            .values(
                status=AssignmentStatus.SENT.value,
                updated_at=now,
                reminded_at=case((and_(reminded_at.is_(None), remind_at <= now), now), else_=reminded_at),
            )
        )
        return affected_rows(result) > 0

    def mark_reminded(self, assignment_id: int, at: datetime) -> bool:
        result = self._session.execute(
            update(CheckinAssignmentRecord)
            .where(col(CheckinAssignmentRecord.id) == assignment_id)
            .where(col(CheckinAssignmentRecord.status) == AssignmentStatus.SENT.value)
            .where(col(CheckinAssignmentRecord.reminded_at).is_(None))
            .values(reminded_at=at)
        )
        return affected_rows(result) > 0

    def close_due(self, now: datetime, limit: int) -> tuple[list[int], int]:
        """Close what is past its closing time: (champions who missed it, how many were closed)."""
        rows = self._session.execute(
            select(
                col(CheckinAssignmentRecord.id),
                col(CheckinAssignmentRecord.champion_id),
                col(CheckinAssignmentRecord.status),
            )
            .where(col(CheckinAssignmentRecord.closes_at) <= now)
            .where(col(CheckinAssignmentRecord.status).in_(STILL_OPEN))
            .limit(limit)
        ).all()
        missed: list[int] = []
        for assignment_id, champion_id, status in rows:
            # Never sent (the bot was down the whole time): not the champion's miss.
            to = AssignmentStatus.EXCLUDED if status == AssignmentStatus.SCHEDULED.value else AssignmentStatus.MISSED
            if (
                self.move(assignment_id, [AssignmentStatus(status)], to, updated_at=now)
                and to is AssignmentStatus.MISSED
            ):
                missed.append(champion_id)
        return missed, len(rows)

    def save_answers(
        self, view: Checkin, answers: dict[str, Any], sentiment: int | None, hours: float | None, now: datetime
    ) -> bool:
        result = self._session.execute(
            update(CheckinAssignmentRecord)
            .where(col(CheckinAssignmentRecord.id) == view.id)
            .where(col(CheckinAssignmentRecord.closes_at) > now)
            .where(col(CheckinAssignmentRecord.status) != AssignmentStatus.EXCLUDED.value)
            .values(
                status=AssignmentStatus.ANSWERED.value,
                answers=answers,
                sentiment=sentiment,
                hours=hours,
                answered_at=func.coalesce(col(CheckinAssignmentRecord.answered_at), now),
                updated_at=now,
                skip_reason=None,
            )
        )
        return affected_rows(result) > 0

    # --- figures --------------------------------------------------------------------------

    def rounds(self, limit: int = 12) -> list[tuple[int, date]]:
        return [
            (round_id, round_date)
            for round_id, round_date in self._session.execute(
                select(col(CheckinRoundRecord.id), col(CheckinRoundRecord.round_date))
                .order_by(col(CheckinRoundRecord.round_date).desc())
                .limit(limit)
            ).all()
        ]

    def round_on(self, round_date: date) -> tuple[int, date] | None:
        row = self._session.execute(
            select(col(CheckinRoundRecord.id), col(CheckinRoundRecord.round_date)).where(
                col(CheckinRoundRecord.round_date) == round_date
            )
        ).first()
        return (row[0], row[1]) if row else None

    def previous_round(self, round_date: date) -> int | None:
        return self._session.execute(
            select(col(CheckinRoundRecord.id))
            .where(col(CheckinRoundRecord.round_date) < round_date)
            .order_by(col(CheckinRoundRecord.round_date).desc())
            .limit(1)
        ).scalar_one_or_none()

    def unit_figures(self, round_id: int) -> tuple[list[UnitFigures], int, float, datetime | None]:
        """Per department: invited, answered, sentiment; plus skipped, hours, and when the round closes."""
        status = col(CheckinAssignmentRecord.status)
        rows = self._session.execute(
            select(
                col(CheckinAssignmentRecord.department),
                func.count(),
                func.sum(case((status == AssignmentStatus.ANSWERED.value, 1), else_=0)),
                func.coalesce(func.sum(col(CheckinAssignmentRecord.sentiment)), 0),
                func.count(col(CheckinAssignmentRecord.sentiment)),
                func.sum(case((status == AssignmentStatus.SKIPPED.value, 1), else_=0)),
                func.coalesce(func.sum(col(CheckinAssignmentRecord.hours)), 0.0),
                func.max(col(CheckinAssignmentRecord.closes_at)),
            )
            .where(col(CheckinAssignmentRecord.round_id) == round_id)
            .where(status != AssignmentStatus.EXCLUDED.value)
            .group_by(col(CheckinAssignmentRecord.department))
            .order_by(col(CheckinAssignmentRecord.department))
        ).all()
        figures = [
            UnitFigures(unit or "", int(n), int(a or 0), int(s or 0), int(c or 0)) for unit, n, a, s, c, *_ in rows
        ]
        skipped = sum(int(row[5] or 0) for row in rows)
        hours = float(sum(float(row[6] or 0) for row in rows))
        closes = [row[7] for row in rows if row[7] is not None]
        return figures, skipped, hours, max(closes) if closes else None

    def answers_of_round(self, round_id: int, limit: int) -> list[tuple[str, dict[str, Any]]]:
        return [
            (department or "", answers or {})
            for department, answers in self._session.execute(
                select(col(CheckinAssignmentRecord.department), col(CheckinAssignmentRecord.answers))
                .where(col(CheckinAssignmentRecord.round_id) == round_id)
                .where(col(CheckinAssignmentRecord.status) == AssignmentStatus.ANSWERED.value)
                .order_by(col(CheckinAssignmentRecord.department), col(CheckinAssignmentRecord.updated_at).desc())
                .limit(limit)
            ).all()
        ]


def flag_inactive(session: Session, champion_ids: Sequence[int], at: datetime) -> list[int]:
    """Flag these champions as inactive unless they already are; returns those newly flagged."""
    flagged = []
    for champion_id in champion_ids:
        result = session.execute(
            update(ChampionRecord)
            .where(col(ChampionRecord.id) == champion_id)
            .where(col(ChampionRecord.inactive_flagged_at).is_(None))
            .values(inactive_flagged_at=at)
        )
        if affected_rows(result):
            flagged.append(champion_id)
    return flagged


def clear_inactive(session: Session, champion_id: int) -> None:
    session.execute(
        update(ChampionRecord)
        .where(col(ChampionRecord.id) == champion_id)
        .where(col(ChampionRecord.inactive_flagged_at).is_not(None))
        .values(inactive_flagged_at=None)
    )

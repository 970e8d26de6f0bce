"""Hunts in the database: hunts and their plans, teams, each team's clues, answers and players.

Every change that must happen once (a hunt opening or closing, a clue opening or being
solved, a hint being used) is a conditional update that reports whether it happened, so a
replayed card, a second replica or a job rerun changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select, update
from sqlmodel import Session, col

from domain.roles import ChampionStatus
from features.hunts.domain import ClueState, GivenAnswer, Guesses, Hunt, HuntPlan, HuntStatus, Team, TeamsBy
from features.hunts.plans import plan_from_data, plan_to_data
from features.hunts.tables import (
    HuntAdjustmentRecord,
    HuntAnswerRecord,
    HuntCheckRecord,
    HuntClueStateRecord,
    HuntPlayerRecord,
    HuntRecord,
    HuntTeamRecord,
)
from storage.links import ServedFile, json_file
from storage.models import ChampionRecord, EmployeeRecord, MemberRecord
from storage.sql import affected_rows, insert_if_absent, inserted_id, table_of

# Plans read and checked (against the schema) once per version of a hunt, not on every turn.
_PLANS: dict[tuple[int, str, int], HuntPlan] = {}


def _plan(record: HuntRecord) -> HuntPlan:
    assert record.id is not None
    key = (record.id, record.salt, record.revision)  # the salt: another database's hunt 1 is another hunt
    plan = _PLANS.get(key)
    if plan is None:
        if len(_PLANS) > 64:
            _PLANS.clear()
        plan = _PLANS[key] = plan_from_data(record.plan)
    return plan


def _hunt(record: HuntRecord) -> Hunt:
    assert record.id is not None
    return Hunt(
        record.id,
        record.title,
        _plan(record),
        record.salt,
        HuntStatus(record.status),
        record.starts_at,
        record.ends_at,
        record.paused_at,
        TeamsBy(record.teams_by),
        tuple(tuple(group) for group in record.team_groups),
        record.rehearsal,
        str(record.revision),
    )


def _team(record: HuntTeamRecord) -> Team:
    assert record.id is not None
    return Team(
        record.id,
        record.name,
        tuple(record.departments),
        record.headcount,
        record.timezone,
        record.code_word,
        record.hints_granted,
    )


def _state(record: HuntClueStateRecord) -> ClueState:
    guesses = Guesses(
        tuple(datetime.fromisoformat(at) for at in record.recent_misses),
        record.misses_in_a_row,
        record.lockouts,
        record.locked_until,
    )
    return ClueState(
        record.team_id,
        record.clue_key,
        record.leg_key,
        record.position,
        record.variant,
        record.opened_at,
        record.solved_at,
        record.award,
        record.hints_used,
        guesses,
    )


class Hunts:
    def __init__(self, session: Session) -> None:
        self._session = session

    # --- hunts ------------------------------------------------------------------------------

    def create(
        self, title: str, plan: dict[str, Any], salt: str, by: str, at: datetime, *, rehearsal: bool = False
    ) -> int:
        record = HuntRecord(
            title=title[:200],
            plan=plan,
            salt=salt,
            status=HuntStatus.DRAFT.value,
            created_by=by,
            created_at=at,
            updated_at=at,
            rehearsal=rehearsal,
        )
        return inserted_id(self._session, record)

    def get(self, hunt_id: int) -> Hunt | None:
        record = self._session.get(HuntRecord, hunt_id)
        return _hunt(record) if record is not None else None

    def latest(self, statuses: Sequence[HuntStatus], *, rehearsal: bool = False) -> Hunt | None:
        """The most recent hunt in one of `statuses` (the one players mean by "the hunt"), or
        the most recent dry run."""
        record = self._session.execute(
            select(HuntRecord)
            .where(col(HuntRecord.status).in_([status.value for status in statuses]))
            .where(col(HuntRecord.rehearsal).is_(rehearsal))
            .order_by(col(HuntRecord.starts_at).desc(), col(HuntRecord.id).desc())
            .limit(1)
        ).scalar()
        return _hunt(record) if record is not None else None

    def live(self) -> list[Hunt]:
        """Running and paused hunts, dry runs too, newest first: what a turn plays, in one query."""
        records = self._session.execute(
            select(HuntRecord)
            .where(col(HuntRecord.status).in_([HuntStatus.RUNNING.value, HuntStatus.PAUSED.value]))
            .order_by(col(HuntRecord.starts_at).desc(), col(HuntRecord.id).desc())
            .limit(4)
        ).scalars()
        return [_hunt(record) for record in records]

    def newest(self) -> Hunt | None:
        """The hunt created last, whatever its state."""
        record = self._session.execute(
            select(HuntRecord).where(col(HuntRecord.rehearsal).is_(False)).order_by(col(HuntRecord.id).desc()).limit(1)
        ).scalar()
        return _hunt(record) if record is not None else None

    def due(self, status: HuntStatus, column: str, now: datetime) -> list[int]:
        """Hunts in `status` whose `starts_at` or `ends_at` has come."""
        moment = col(getattr(HuntRecord, column))
        return list(
            self._session.execute(
                select(col(HuntRecord.id)).where(col(HuntRecord.status) == status.value, moment <= now)
            ).scalars()
        )

    def schedule(self, hunt_id: int, starts_at: datetime, ends_at: datetime, at: datetime) -> bool:
        return self._move(
            hunt_id,
            (HuntStatus.DRAFT, HuntStatus.SCHEDULED),
            HuntStatus.SCHEDULED,
            at,
            starts_at=starts_at,
            ends_at=ends_at,
        )

    def open(self, hunt_id: int, at: datetime) -> bool:
        return self._move(hunt_id, (HuntStatus.SCHEDULED,), HuntStatus.RUNNING, at, opened_at=at)

    def close(self, hunt_id: int, at: datetime) -> bool:
        return self._move(hunt_id, (HuntStatus.RUNNING,), HuntStatus.CLOSED, at, closed_at=at)

    def pause(self, hunt_id: int, at: datetime) -> bool:
        return self._move(hunt_id, (HuntStatus.RUNNING,), HuntStatus.PAUSED, at, paused_at=at)

    def resume(self, hunt_id: int, ends_at: datetime, at: datetime) -> bool:
        return self._move(hunt_id, (HuntStatus.PAUSED,), HuntStatus.RUNNING, at, paused_at=None, ends_at=ends_at)

    def update_plan(self, hunt_id: int, plan: dict[str, Any], version: str, at: datetime) -> bool:
        """A lead's edit, if nobody changed the plan since they opened it and the hunt is not over."""
        if not version.isdigit():
            return False
        result = self._session.execute(
            update(HuntRecord)
            .where(col(HuntRecord.id) == hunt_id, col(HuntRecord.revision) == int(version))
            .where(col(HuntRecord.status) != HuntStatus.CLOSED)
            .values(plan=plan, title=str(plan["title"]["en"])[:200], revision=int(version) + 1, updated_at=at)
        )
        return affected_rows(result) > 0

    def set_teams(self, hunt_id: int, by: TeamsBy, groups: Sequence[Sequence[str]], at: datetime) -> bool:
        """How the hunt's teams are formed when it opens (not after)."""
        result = self._session.execute(
            update(HuntRecord)
            .where(col(HuntRecord.id) == hunt_id)
            .where(col(HuntRecord.status).in_([HuntStatus.DRAFT, HuntStatus.SCHEDULED]))
            .values(teams_by=by.value, team_groups=[list(group) for group in groups], updated_at=at)
        )
        return affected_rows(result) > 0

    def extend(self, hunt_id: int, ends_at: datetime, at: datetime) -> bool:
        """A new end for a hunt not yet over (its status stays)."""
        result = self._session.execute(
            update(HuntRecord)
            .where(col(HuntRecord.id) == hunt_id)
            .where(col(HuntRecord.status).in_([HuntStatus.SCHEDULED, HuntStatus.RUNNING, HuntStatus.PAUSED]))
            .values(ends_at=ends_at, updated_at=at)
        )
        return affected_rows(result) > 0

    def _move(self, hunt_id: int, expected: Sequence[HuntStatus], to: HuntStatus, at: datetime, **values: Any) -> bool:
        result = self._session.execute(
            update(HuntRecord)
            .where(col(HuntRecord.id) == hunt_id)
            .where(col(HuntRecord.status).in_([status.value for status in expected]))
            .values(status=to.value, updated_at=at, **values)
        )
        return affected_rows(result) > 0

    # --- teams ------------------------------------------------------------------------------

    def add_team(
        self, hunt_id: int, name: str, departments: Sequence[str], headcount: int, timezone: str, code_word: str
    ) -> int:
        record = HuntTeamRecord(
            hunt_id=hunt_id,
            name=name,
            departments=list(departments),
            headcount=headcount,
            timezone=timezone,
            code_word=code_word,
        )
        return inserted_id(self._session, record)

    def teams(self, hunt_id: int) -> list[Team]:
        records = self._session.execute(
            select(HuntTeamRecord).where(col(HuntTeamRecord.hunt_id) == hunt_id).order_by(col(HuntTeamRecord.name))
        ).scalars()
        return [_team(record) for record in records]

    def team(self, team_id: int) -> Team | None:
        record = self._session.get(HuntTeamRecord, team_id)
        return _team(record) if record is not None else None

    def grant_hints(self, team_ids: Sequence[int]) -> None:
        if team_ids:
            self._session.execute(
                update(HuntTeamRecord)
                .where(col(HuntTeamRecord.id).in_(team_ids))
                .values(hints_granted=col(HuntTeamRecord.hints_granted) + 1)
            )

    def team_of_unit(self, hunt_id: int, unit: str) -> Team | None:
        """The team a department (or office) plays in."""
        # A team is named after its unit unless a lead grouped several: one lookup first.
        named = self._session.execute(
            select(HuntTeamRecord).where(col(HuntTeamRecord.hunt_id) == hunt_id, col(HuntTeamRecord.name) == unit)
        ).scalar()
        if named is not None:
            return _team(named)
        wanted = unit.strip().casefold()
        for team in self.teams(hunt_id):
            if any(name.casefold() == wanted for name in team.departments):
                return team
        return None

    # --- clues ------------------------------------------------------------------------------

    def deal(self, hunt_id: int, team_id: int, dealt: Sequence[tuple[str, str, int, int, datetime | None]]) -> None:
        """A team's copy of every clue: (clue key, leg key, position in the leg, variant, opened at)."""
        self._session.add_all(
            HuntClueStateRecord(
                team_id=team_id,
                clue_key=key,
                hunt_id=hunt_id,
                leg_key=leg,
                position=position,
                variant=variant,
                opened_at=opened_at,
            )
            for key, leg, position, variant, opened_at in dealt
        )
        self._session.flush()

    def states(self, team_id: int) -> list[ClueState]:
        records = self._session.execute(
            select(HuntClueStateRecord)
            .where(col(HuntClueStateRecord.team_id) == team_id)
            .order_by(col(HuntClueStateRecord.leg_key), col(HuntClueStateRecord.position))
        ).scalars()
        return [_state(record) for record in records]

    def state(self, team_id: int, clue_key: str) -> ClueState | None:
        record = self._session.get(HuntClueStateRecord, (team_id, clue_key))
        return _state(record) if record is not None else None

    def unopened(self, hunt_id: int) -> list[ClueState]:
        records = self._session.execute(
            select(HuntClueStateRecord).where(
                col(HuntClueStateRecord.hunt_id) == hunt_id, col(HuntClueStateRecord.opened_at).is_(None)
            )
        ).scalars()
        return [_state(record) for record in records]

    def open_clue(self, team_id: int, clue_key: str, at: datetime) -> bool:
        return self._change_clue(team_id, clue_key, col(HuntClueStateRecord.opened_at).is_(None), opened_at=at)

    def solve(self, team_id: int, clue_key: str, member_id: int, award: int, at: datetime) -> bool:
        """Once: a second right answer (or a replayed card) finds it solved."""
        return self._change_clue(
            team_id,
            clue_key,
            col(HuntClueStateRecord.solved_at).is_(None),
            solved_at=at,
            solved_by_member_id=member_id,
            award=award,
            misses_in_a_row=0,
        )

    def record_miss(self, team_id: int, clue_key: str, guesses: Guesses) -> None:
        self._change_clue(
            team_id,
            clue_key,
            col(HuntClueStateRecord.solved_at).is_(None),
            recent_misses=[at.isoformat() for at in guesses.recent],
            misses_in_a_row=guesses.misses_in_a_row,
            lockouts=guesses.lockouts,
            locked_until=guesses.locked_until,
        )

    def use_hint(self, team_id: int, clue_key: str, seen: int) -> bool:
        """The team opens its next hint: only if it had seen `seen` (a pressed-twice button opens one)."""
        return self._change_clue(
            team_id,
            clue_key,
            col(HuntClueStateRecord.hints_used) == seen,
            col(HuntClueStateRecord.solved_at).is_(None),
            hints_used=seen + 1,
        )

    def _change_clue(self, team_id: int, clue_key: str, *conditions: Any, **values: Any) -> bool:
        result = self._session.execute(
            update(HuntClueStateRecord)
            .where(col(HuntClueStateRecord.team_id) == team_id, col(HuntClueStateRecord.clue_key) == clue_key)
            .where(*conditions)
            .values(**values)
        )
        return affected_rows(result) > 0

    def teams_done_with_leg(self, hunt_id: int, leg_key: str) -> list[int]:
        """The teams that solved every clue of a leg."""
        state = HuntClueStateRecord
        return list(
            self._session.execute(
                select(col(state.team_id))
                .where(col(state.hunt_id) == hunt_id, col(state.leg_key) == leg_key)
                .group_by(col(state.team_id))
                .having(func.count() == func.count(col(state.solved_at)))
            ).scalars()
        )

    def solved_before(self, hunt_id: int, clue_key: str) -> int:
        """How many teams solved this clue already (its value decays with each)."""
        return int(
            self._session.execute(
                select(func.count()).where(
                    col(HuntClueStateRecord.hunt_id) == hunt_id,
                    col(HuntClueStateRecord.clue_key) == clue_key,
                    col(HuntClueStateRecord.solved_at).is_not(None),
                )
            ).scalar_one()
        )

    def hints_used(self, team_id: int) -> int:
        return int(
            self._session.execute(
                select(func.coalesce(func.sum(col(HuntClueStateRecord.hints_used)), 0)).where(
                    col(HuntClueStateRecord.team_id) == team_id
                )
            ).scalar_one()
        )

    # --- answers and players ------------------------------------------------------------------

    def add_answer(
        self, hunt_id: int, team_id: int, clue_key: str, member_id: int | None, answer: str, verdict: str, at: datetime
    ) -> None:
        self._session.add(
            HuntAnswerRecord(
                hunt_id=hunt_id,
                team_id=team_id,
                clue_key=clue_key,
                member_id=member_id,
                answer=answer[:500],
                verdict=verdict,
                at=at,
            )
        )

    def add_player(self, hunt_id: int, member_id: int, team_id: int, at: datetime) -> bool:
        values = {"hunt_id": hunt_id, "member_id": member_id, "team_id": team_id, "first_played_at": at}
        return insert_if_absent(self._session, table_of(HuntPlayerRecord), values, keys=("hunt_id", "member_id"))

    def member_points_since(self, hunt_id: int, member_id: int, since: datetime) -> int:
        """What a person's solves in this hunt earned them since `since` (for the daily cap)."""
        return int(
            self._session.execute(
                select(func.coalesce(func.sum(col(HuntClueStateRecord.award)), 0)).where(
                    col(HuntClueStateRecord.hunt_id) == hunt_id,
                    col(HuntClueStateRecord.solved_by_member_id) == member_id,
                    col(HuntClueStateRecord.solved_at) >= since,
                )
            ).scalar_one()
        )

    def solve_times(self, hunt_id: int) -> list[tuple[str, str, datetime | None, datetime | None]]:
        """(team, clue, opened, solved) for every team's every clue but the final."""
        state, team = HuntClueStateRecord, HuntTeamRecord
        rows = self._session.execute(
            select(col(team.name), col(state.clue_key), col(state.opened_at), col(state.solved_at))
            .join(team, col(team.id) == col(state.team_id))
            .where(col(state.hunt_id) == hunt_id, col(state.leg_key) != "")
        ).all()
        return [(name, key, opened, solved) for name, key, opened, solved in rows]

    def answers_given(self, hunt_id: int, limit: int = 5000) -> list[GivenAnswer]:
        """The latest answers of the hunt, with their team's name (for flags)."""
        answer, team = HuntAnswerRecord, HuntTeamRecord
        rows = self._session.execute(
            select(
                col(team.name),
                col(answer.clue_key),
                col(answer.member_id),
                col(answer.answer),
                col(answer.verdict),
                col(answer.at),
            )
            .join(team, col(team.id) == col(answer.team_id))
            .where(col(answer.hunt_id) == hunt_id)
            .order_by(col(answer.id).desc())
            .limit(limit)
        ).all()
        return [GivenAnswer(*row) for row in rows]

    def adjust(self, hunt_id: int, team_id: int, points: int, reason: str, by: str, at: datetime) -> None:
        self._session.add(
            HuntAdjustmentRecord(hunt_id=hunt_id, team_id=team_id, points=points, reason=reason, by=by, at=at)
        )

    def team_named(self, hunt_id: int, name: str) -> Team | None:
        wanted = name.strip().casefold()
        return next((team for team in self.teams(hunt_id) if team.name.casefold() == wanted), None)

    def verified_counts(self, hunt_id: int) -> dict[str, int]:
        """Per action clue: how many checks found the work done (records fixed in the business system)."""
        check = HuntCheckRecord
        rows = self._session.execute(
            select(col(check.clue_key), func.sum(col(check.found)))
            .where(col(check.hunt_id) == hunt_id, col(check.status) == CheckStatus.DONE.value)
            .group_by(col(check.clue_key))
        ).all()
        return {key: int(found or 0) for key, found in rows}

    # --- standings ----------------------------------------------------------------------------

    def player_points(self, hunt_id: int, limit: int = 50) -> list[tuple[int, str, str, int]]:
        """(member id, display name, team, points their solves earned), most points first."""
        state, team = HuntClueStateRecord, HuntTeamRecord
        points = func.sum(col(state.award))
        rows = self._session.execute(
            select(col(MemberRecord.id), col(MemberRecord.display_name), col(team.name), points)
            .join(MemberRecord, col(MemberRecord.id) == col(state.solved_by_member_id))
            .join(team, col(team.id) == col(state.team_id))
            .where(col(state.hunt_id) == hunt_id, col(state.solved_at).is_not(None))
            .group_by(col(MemberRecord.id), col(MemberRecord.display_name), col(team.name))
            .order_by(points.desc(), func.min(col(state.solved_at)))
            .limit(limit)
        ).all()
        return [
            (int(member_id), str(name), str(team_name), int(total or 0)) for member_id, name, team_name, total in rows
        ]

    def played_before(self, hunt_id: int, member_ids: Sequence[int]) -> set[int]:
        """Which of these people played an earlier hunt."""
        if not member_ids:
            return set()
        player = HuntPlayerRecord
        rows = self._session.execute(
            select(col(player.member_id))
            .where(col(player.hunt_id) < hunt_id, col(player.member_id).in_(list(member_ids)))
            .distinct()
        )
        return set(rows.scalars())

    def tallies(self, hunt_id: int, until: datetime | None) -> list[tuple[Team, int, int, int]]:
        """Per team: (team, points, players, clues solved), counting only what happened before `until`."""
        state, player, adjustment = HuntClueStateRecord, HuntPlayerRecord, HuntAdjustmentRecord
        solved = [col(state.hunt_id) == hunt_id, col(state.solved_at).is_not(None)]
        played = [col(player.hunt_id) == hunt_id]
        adjusted = [col(adjustment.hunt_id) == hunt_id]
        if until is not None:
            solved.append(col(state.solved_at) < until)
            played.append(col(player.first_played_at) < until)
            adjusted.append(col(adjustment.at) < until)
        solves = {
            team_id: (int(points or 0), int(count))
            for team_id, points, count in self._session.execute(
                select(col(state.team_id), func.sum(col(state.award)), func.count())
                .where(*solved)
                .group_by(col(state.team_id))
            ).all()
        }
        players = dict(
            self._session.execute(
                select(col(player.team_id), func.count()).where(*played).group_by(col(player.team_id))
            ).all()
        )
        adjustments = dict(
            self._session.execute(
                select(col(adjustment.team_id), func.sum(col(adjustment.points)))
                .where(*adjusted)
                .group_by(col(adjustment.team_id))
            ).all()
        )
        return [
            (
                team,
                solves.get(team.id, (0, 0))[0] + int(adjustments.get(team.id, 0) or 0),
                int(players.get(team.id, 0)),
                solves.get(team.id, (0, 0))[1],
            )
            for team in self.teams(hunt_id)
        ]


@dataclass(frozen=True, slots=True)
class Check:
    id: int
    hunt_id: int
    team_id: int
    clue_key: str
    member_id: int | None
    attempts: int


class CheckStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    NOT_YET = "not_yet"
    UNKNOWN_USER = "unknown_user"
    ERROR = "error"


class Checks:
    """Action clues' checks: queued by a player, claimed once by whichever worker gets there."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def checking(self, team_id: int, clue_key: str) -> bool:
        """Whether a check of this clue for this team is already queued or running."""
        found = self._session.execute(
            select(col(HuntCheckRecord.id)).where(
                col(HuntCheckRecord.team_id) == team_id,
                col(HuntCheckRecord.clue_key) == clue_key,
                col(HuntCheckRecord.status).in_([CheckStatus.PENDING.value, CheckStatus.RUNNING.value]),
            )
        ).first()
        return found is not None

    def add(self, hunt_id: int, team_id: int, clue_key: str, member_id: int, at: datetime) -> int:
        record = HuntCheckRecord(
            hunt_id=hunt_id,
            team_id=team_id,
            clue_key=clue_key,
            member_id=member_id,
            status=CheckStatus.PENDING.value,
            requested_at=at,
            next_attempt_at=at,
        )
        return inserted_id(self._session, record)

    def claim(self, now: datetime, stale_before: datetime, limit: int) -> list[int]:
        """Checks due now (or left running by a replica that stopped), each claimed by one worker."""
        check = HuntCheckRecord
        due = (col(check.status) == CheckStatus.PENDING.value) & (col(check.next_attempt_at) <= now)
        stale = (col(check.status) == CheckStatus.RUNNING.value) & (col(check.claimed_at) < stale_before)
        candidates = self._session.execute(
            select(col(check.id), col(check.status), col(check.claimed_at))
            .where(due | stale)
            .order_by(col(check.next_attempt_at))
            .limit(limit)
        ).all()
        claimed = []
        for check_id, status, claimed_at in candidates:
            result = self._session.execute(
                update(check)
                .where(col(check.id) == check_id, col(check.status) == status)
                .where(col(check.claimed_at).is_(None) if claimed_at is None else col(check.claimed_at) == claimed_at)
                .values(status=CheckStatus.RUNNING.value, claimed_at=now)
            )
            if affected_rows(result):
                claimed.append(check_id)
        return claimed

    def get(self, check_id: int) -> Check | None:
        record = self._session.get(HuntCheckRecord, check_id)
        if record is None or record.id is None:
            return None
        return Check(record.id, record.hunt_id, record.team_id, record.clue_key, record.member_id, record.attempts)

    def finish(
        self, check_id: int, status: CheckStatus, at: datetime, found: int | None = None, error: str = ""
    ) -> bool:
        return self._move(check_id, status, finished_at=at, found=found, error=error[:500] or None)

    def retry(self, check_id: int, attempts: int, at: datetime, error: str) -> bool:
        return self._move(
            check_id, CheckStatus.PENDING, attempts=attempts, next_attempt_at=at, claimed_at=None, error=error[:500]
        )

    def _move(self, check_id: int, to: CheckStatus, **values: Any) -> bool:
        result = self._session.execute(
            update(HuntCheckRecord)
            .where(col(HuntCheckRecord.id) == check_id, col(HuntCheckRecord.status) == CheckStatus.RUNNING.value)
            .values(status=to.value, **values)
        )
        return affected_rows(result) > 0


def read_hunt_file(session: Session, hunt_id: int) -> ServedFile | None:
    """A hunt as a hunt file (its plan, never its salt), behind a lead's download link."""
    record = session.get(HuntRecord, hunt_id)
    if record is None:
        return None
    plan = _plan(record)
    return json_file(f"{plan.key}.json", plan_to_data(plan), download=True)


def units_with_headcount(session: Session, by: TeamsBy = TeamsBy.DEPARTMENT) -> list[tuple[str, int, str | None]]:
    """(department or office, active employees, the time zone most of them are in) from the directory."""
    employee = EmployeeRecord
    unit = col(employee.office) if by is TeamsBy.OFFICE else col(employee.department)
    rows = session.execute(
        select(unit, col(employee.timezone), func.count())
        .where(col(employee.active).is_(True), unit != "")
        .group_by(unit, col(employee.timezone))
    ).all()
    found: dict[str, tuple[int, list[tuple[int, str | None]]]] = {}
    for name, timezone, count in rows:
        total, zones = found.get(name, (0, []))
        found[name] = (total + int(count), [*zones, (int(count), timezone)])
    result = []
    for name, (total, zones) in sorted(found.items()):
        common = max((zone for zone in zones if zone[1]), default=(0, None), key=lambda zone: zone[0])[1]
        result.append((name, total, common))
    return result


def champion_units(session: Session) -> list[tuple[str, int, str | None]]:
    """(department, active champions) for a dry run with champions only."""
    rows = session.execute(
        select(col(ChampionRecord.department), func.count())
        .where(col(ChampionRecord.status) == ChampionStatus.ACTIVE.value, col(ChampionRecord.department) != "")
        .group_by(col(ChampionRecord.department))
        .order_by(col(ChampionRecord.department))
    ).all()
    return [(str(department), int(count), None) for department, count in rows]


def captains_of(session: Session, by: TeamsBy, units: Sequence[str]) -> list[tuple[int, str, str]]:
    """(member id, Teams id, name) of the active champions of a team's departments (or offices)."""
    unit = col(ChampionRecord.office) if by is TeamsBy.OFFICE else col(ChampionRecord.department)
    rows = session.execute(
        select(col(MemberRecord.id), col(MemberRecord.teams_user_id), col(MemberRecord.display_name))
        .join(ChampionRecord, col(ChampionRecord.member_id) == col(MemberRecord.id))
        .where(col(ChampionRecord.status) == ChampionStatus.ACTIVE.value, unit.in_(list(units)))
        .order_by(col(ChampionRecord.id))
    ).all()
    return [(int(member_id), str(teams_id), str(name)) for member_id, teams_id, name in rows]

"""Enrolment's storage: the champion roster's changes, coverage targets and figures, nominations."""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Integer,
    Select,
    Subquery,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    union,
    union_all,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from domain.people import ChampionProfile, UnitKind
from domain.roles import ChampionStatus
from features.enrolment.domain import (
    MAX_SUGGESTIONS,
    Candidate,
    ChampionQuery,
    Closeness,
    Referral,
    Target,
    TargetMode,
    TargetSetting,
    UnitFigures,
)
from features.enrolment.tables import (
    ChampionReferralCountRecord,
    ChampionReferralRecord,
    CoverageTargetRecord,
    NominationReasonRecord,
    NominationRecord,
    UnmatchedRequestRecord,
)
from storage.champions import Champions, ChampionView, view_columns
from storage.models import ChampionFocusRecord, ChampionRecord, EmployeeRecord, MemberRecord
from storage.prepared import Prepared
from storage.repositories import Members
from storage.sql import (
    affected_rows,
    insert_if_absent,
    table_of,
    upsert,
    without_waiting_for_disk,
)


@dataclass(frozen=True, slots=True)
class _RankingShape:
    """What makes one search's statement differ from another's (the rest are parameters)."""

    stages: tuple[Closeness, ...]
    with_focus: bool
    team_known: bool  # and the department: a team is the same only in the same department
    department_known: bool
    office_known: bool


def _available_to() -> list[ColumnElement[bool]]:
    """Conditions on the champion row: listed, available today, not the asker."""
    champion, member = ChampionRecord, MemberRecord
    return [
        col(champion.listed).is_(True),
        # Not the asker (found once; -1 when the asker has no member row yet).
        col(champion.member_id)
        != func.coalesce(
            select(col(member.id)).where(col(member.teams_user_id) == bindparam("asker")).scalar_subquery(), -1
        ),
        # Available: active, or paused until a day that has come (the daily job may lag).
        or_(
            col(champion.status) == bindparam("active"),
            and_(col(champion.status) == bindparam("paused"), col(champion.paused_until) <= bindparam("today")),
        ),
    ]


def _focus_ids() -> Select[int]:
    return select(col(ChampionFocusRecord.champion_id)).where(
        func.lower(col(ChampionFocusRecord.focus_area)) == bindparam("focus")
    )


def _new_referrals(insert_of: Any, source: Select[Any]) -> Any:
    """The referrals of `source` (champion, asker, when) whose champion and asker still exist,
    unless that colleague was pointed to that champion before; returns their champions."""
    referrals = table_of(ChampionReferralRecord)
    champion_id, asker, _ = source.selected_columns
    still_there = source.where(
        select(col(ChampionRecord.id)).where(col(ChampionRecord.id) == champion_id).exists(),
        select(col(MemberRecord.id)).where(col(MemberRecord.id) == asker).exists(),
    )
    return (
        insert_of(referrals)
        .from_select(["champion_id", "asker_member_id", "first_at"], still_there)
        .on_conflict_do_nothing(index_elements=["champion_id", "asker_member_id"])
        .returning(referrals.c.champion_id)
    )


def _referrals_counted_at_once() -> Prepared:
    """PostgreSQL: a batch of referrals, given as three arrays, and the counts of those new."""
    counts = table_of(ChampionReferralCountRecord)
    pointed = (
        func.unnest(
            bindparam("champions", type_=postgresql.ARRAY(Integer)),
            bindparam("askers", type_=postgresql.ARRAY(Integer)),
            bindparam("moments", type_=postgresql.ARRAY(DateTime(timezone=True))),
        )
        .table_valued("champion_id", "asker_member_id", "first_at")
        .render_derived()
    )
    source = select(pointed.c.champion_id, pointed.c.asker_member_id, pointed.c.first_at)
    first_time = _new_referrals(postgresql.insert, source).cte("first_time")
    added = (
        select(first_time.c.champion_id, func.count().label("added"))
        .group_by(first_time.c.champion_id)
        .subquery("added")
    )
    return Prepared(
        update(counts).where(counts.c.champion_id == added.c.champion_id).values(people=counts.c.people + added.c.added)
    )


_REFERRALS_COUNTED_AT_ONCE = _referrals_counted_at_once()
# SQLite: one referral (returns its champion when it was new), and a champion's count.
_RECORD_REFERRAL = Prepared(
    _new_referrals(
        sqlite_insert,
        select(
            bindparam("champion", type_=Integer),
            bindparam("asker", type_=Integer),
            bindparam("at", type_=table_of(ChampionReferralRecord).c.first_at.type),
        ),
    )
)
_ADD_TO_COUNT = Prepared(
    update(ChampionReferralCountRecord)
    .where(col(ChampionReferralCountRecord.champion_id) == bindparam("counted"))
    .values(people=col(ChampionReferralCountRecord.people) + bindparam("added", type_=Integer))
)
_UNMATCHED = table_of(UnmatchedRequestRecord)
_UNMATCHED_COLUMNS = ("asker_member_id", "department", "office", "team", "focus_area", "asked_at")
_RECORD_UNMATCHED = {
    "sqlite": Prepared(insert(_UNMATCHED).values({name: bindparam(name) for name in _UNMATCHED_COLUMNS})),
    # Without waiting for the disk: a gap lost in a crash changes nothing that matters.
    "postgresql": Prepared(
        insert(_UNMATCHED).from_select(
            _UNMATCHED_COLUMNS,
            select(*(bindparam(name, type_=_UNMATCHED.c[name].type) for name in _UNMATCHED_COLUMNS)).select_from(
                without_waiting_for_disk()
            ),
        )
    ),
}


@functools.cache
def _department_statement(team_known: bool, with_focus: bool) -> Prepared:
    """The best few of the asker's department (its team first), read in the order they rank.

    Each part walks an index of the counts in ranking order (fewest colleagues pointed to,
    then who enrolled first) and stops at `places` champions available to the asker, so a
    search reads a handful of rows however many champions the department has.
    """
    champion, counted = ChampionRecord, ChampionReferralCountRecord
    conditions = [col(counted.department) == bindparam("department"), *_available_to()]
    if with_focus:
        conditions.append(col(champion.id).in_(_focus_ids()))

    def part(tier: Closeness, *where: ColumnElement[bool]) -> Subquery:
        return (
            select(
                literal(int(tier)).label("tier"),
                col(counted.people).label("people"),
                col(counted.champion_id).label("id"),
            )
            .select_from(counted)
            .join(champion, col(champion.id) == col(counted.champion_id))
            .where(*conditions, *where)
            .order_by(col(counted.people), col(counted.champion_id))
            .limit(bindparam("places"))
            .subquery()
        )

    if team_known:
        team = col(counted.team) == bindparam("team")
        parts = [part(Closeness.TEAM, team), part(Closeness.DEPARTMENT, ~team)]
    else:
        parts = [part(Closeness.DEPARTMENT)]
    best = union_all(*(select(found.c.tier, found.c.people, found.c.id) for found in parts)).subquery()
    return _with_profiles(best)


@functools.cache
def _ranking_statement(shape: _RankingShape) -> Prepared:
    """The search for one shape beyond the department, prepared once."""
    champion, counted = ChampionRecord, ChampionReferralCountRecord
    focus = _focus_ids()
    near = {
        Closeness.DEPARTMENT: col(champion.department) == bindparam("department"),
        Closeness.OFFICE: col(champion.office) == bindparam("office"),
        Closeness.FOCUS_AREA: col(champion.id).in_(focus),
    }
    # The query starts from these ids (index lookups, joined as a union), never from all
    # listed champions: with one OR the planner walked every one of them. One lookup alone is a
    # plain condition, which PostgreSQL plans better.
    if len(shape.stages) > 1:
        lookups = (
            focus if stage is Closeness.FOCUS_AREA else select(col(champion.id)).where(near[stage])
            for stage in shape.stages
        )
        ids = union(*lookups).subquery("near")
        nearby = select().select_from(ids).join(champion, col(champion.id) == ids.c[0])
    else:
        nearby = select().select_from(champion).where(near[shape.stages[0]])
    # `closeness` in SQL: the same team (in the same department), department, office, else
    # only the focus area. Names match exactly here, as the lookups do.
    whens = []
    if shape.team_known:
        same_team = and_(col(champion.team) == bindparam("team"), col(champion.department) == bindparam("department"))
        whens.append((same_team, int(Closeness.TEAM)))
    if shape.department_known:
        whens.append((col(champion.department) == bindparam("department"), int(Closeness.DEPARTMENT)))
    if shape.office_known:
        whens.append((col(champion.office) == bindparam("office"), int(Closeness.OFFICE)))
    tier = case(*whens, else_=int(Closeness.FOCUS_AREA)) if whens else literal(int(Closeness.FOCUS_AREA))
    conditions = [tier <= int(shape.stages[-1]), *_available_to()]
    if shape.with_focus:
        conditions.append(col(champion.id).in_(focus))
    best = (
        nearby.add_columns(col(champion.id).label("id"), col(counted.people).label("people"), tier.label("tier"))
        .join(counted, col(counted.champion_id) == col(champion.id))
        .where(*conditions)
        .order_by(tier, col(counted.people), col(champion.id))
        .limit(bindparam("places"))
        .subquery()
    )
    return _with_profiles(best)


def _with_profiles(best: Subquery) -> Prepared:
    """The best few (`id`, `people`, `tier`), best first, with their profiles and names read in
    the same statement (one round trip fewer): `view_columns()`, then the people pointed to each."""
    return Prepared(
        view_columns()
        .add_columns(best.c.people)
        .join(best, best.c.id == col(ChampionRecord.id))
        .order_by(best.c.tier, best.c.people, best.c.id)
        .limit(bindparam("places"))
    )


class ChampionRoster(Champions):
    """Enrolment's view of champions: who to suggest, applications and decisions, pauses, referrals."""

    def candidates(self, query: ChampionQuery, today: date) -> list[Candidate]:
        """The champions to suggest to this asker, best first: `suggest_champions`'s ranking,
        done by the database, which returns the top `MAX_SUGGESTIONS` (the ranking's order is
        total: closeness, fewest colleagues pointed to, who enrolled first).

        It looks closest first: the office (which may be everyone) only when the department
        gives fewer than `MAX_SUGGESTIONS`. The department is read in ranking order from an
        index, so a search reads a few rows however many champions there are.
        """
        unit, focus_area = query.unit, query.focus_area
        # Each closeness is looked up by an index of its own, closest first. The team is found
        # with its department (a team is the same only in the same department) and ranked first
        # there: a team alone rarely has enough champions to be worth a statement of its own.
        stages = [
            closeness
            for closeness, wanted in (
                (Closeness.DEPARTMENT, unit.department),
                (Closeness.OFFICE, unit.office),
                (Closeness.FOCUS_AREA, focus_area),
            )
            if wanted
        ]
        found: list[tuple[ChampionView, int]] = []
        for number in range(len(stages)):
            # Everyone as close as this stage is found by its lookups and those before it.
            found = self._ranked(query, today, stages[: number + 1], focus_area is not None)
            if len(found) >= MAX_SUGGESTIONS:
                break
        return [
            Candidate(
                champion_id=view.id,
                teams_user_id=view.teams_user_id,
                display_name=view.display_name,
                upn=view.email,
                unit=view.profile.unit,
                focus_areas=view.profile.focus_areas,
                languages=view.profile.languages,
                people_pointed=people_pointed,
                status=view.status,
                paused_until=view.paused_until,
            )
            for view, people_pointed in found
        ]

    def _ranked(
        self,
        query: ChampionQuery,
        today: date,
        stages: Sequence[Closeness],
        with_focus: bool,
    ) -> list[tuple[ChampionView, int]]:
        """The best few found by these stages, best first, with how many colleagues were pointed to each."""
        unit = query.unit
        team_known = bool(unit.team and unit.department)
        looked_up = tuple(stages)
        if looked_up == (Closeness.DEPARTMENT,):
            statement = _department_statement(team_known, with_focus)
        else:
            shape = _RankingShape(looked_up, with_focus, team_known, bool(unit.department), bool(unit.office))
            statement = _ranking_statement(shape)
        rows = statement.rows(
            self._session,
            team=unit.team,
            department=unit.department,
            office=unit.office,
            focus=(query.focus_area or "").lower(),
            asker=query.asker_teams_user_id,
            today=today,
            active=ChampionStatus.ACTIVE.value,
            paused=ChampionStatus.PAUSED.value,
            places=MAX_SUGGESTIONS,
        )
        views = self._built([row[:-1] for row in rows])
        return [(view, row[-1]) for view, row in zip(views, rows, strict=True)]

    # --- writing ----------------------------------------------------------------------

    def apply(self, teams_user_id: str, profile: ChampionProfile, status: ChampionStatus, at: datetime) -> int:
        """Create or re-open the member's application (a declined or former champion may apply again)."""
        member = Members(self._session).get(teams_user_id)
        if member is None or member.id is None:
            raise LookupError(f"unknown member {teams_user_id!r}")
        table = table_of(ChampionRecord)
        values = _profile_columns(profile) | {
            "status": status.value,
            "paused_until": None,
            "decided_by": None,
            "decided_at": None,
            "decision_reason": None,
            "applied_at": at,
            "updated_at": at,
        }
        existing = self._session.execute(
            select(col(ChampionRecord.id)).where(col(ChampionRecord.member_id) == member.id)
        ).scalar_one_or_none()
        if existing is None:
            champion_id = self._session.execute(
                insert(table).values(member_id=member.id, created_at=at, **values).returning(table.c.id)
            ).scalar_one()
        else:
            champion_id = existing
            self._session.execute(update(table).where(table.c.id == existing).values(**values))
        self._replace_focus(champion_id, profile.focus_areas)
        self._place_for_searches(champion_id, profile)
        return int(champion_id)

    def update_profile(self, champion_id: int, profile: ChampionProfile, at: datetime) -> None:
        self._session.execute(
            update(ChampionRecord)
            .where(col(ChampionRecord.id) == champion_id)
            .values(**_profile_columns(profile), updated_at=at)
        )
        self._replace_focus(champion_id, profile.focus_areas)
        self._place_for_searches(champion_id, profile)

    def _place_for_searches(self, champion_id: int, profile: ChampionProfile) -> None:
        """The champion's count row (0 when new), in their department and team, as searches read it."""
        units = {"department": profile.unit.department, "team": profile.unit.team}
        upsert(
            self._session,
            table_of(ChampionReferralCountRecord),
            {"champion_id": champion_id, "people": 0, **units},
            keys=("champion_id",),
            update=units,
        )

    def _replace_focus(self, champion_id: int, areas: Sequence[str]) -> None:
        self._session.execute(delete(ChampionFocusRecord).where(col(ChampionFocusRecord.champion_id) == champion_id))
        if areas:
            self._session.execute(
                insert(table_of(ChampionFocusRecord)),
                [{"champion_id": champion_id, "focus_area": area} for area in areas],
            )

    def transition(
        self,
        champion_id: int,
        expected: Sequence[ChampionStatus],
        to: ChampionStatus,
        at: datetime,
        *,
        decided_by: str | None = None,
        reason: str | None = None,
        paused_until: date | None = None,
    ) -> bool:
        """Move the champion to `to` only from an `expected` status: a replayed card changes nothing."""
        values: dict[str, object] = {"status": to.value, "updated_at": at, "paused_until": paused_until}
        if decided_by is not None:
            values.update(decided_by=decided_by, decided_at=at, decision_reason=reason)
        elif reason is not None:
            values["decision_reason"] = reason
        result = self._session.execute(
            update(ChampionRecord)
            .where(col(ChampionRecord.id) == champion_id)
            .where(col(ChampionRecord.status).in_([status.value for status in expected]))
            .values(**values)
        )
        return affected_rows(result) > 0

    def pauses_ending(self, today: date) -> list[ChampionView]:
        return self._views(
            col(ChampionRecord.status) == ChampionStatus.PAUSED.value,
            col(ChampionRecord.paused_until) <= today,
        )

    def record_referrals(self, asker_member_id: int, champion_ids: Sequence[int], at: datetime) -> None:
        """One search's referrals (see `record_referrals_of`)."""
        self.record_referrals_of([Referral(asker_member_id, tuple(champion_ids), at)])

    def record_referrals_of(self, referrals: Sequence[Referral]) -> None:
        """Count each colleague once per champion, so ties spread new askers fairly: searches
        hand theirs over (`storage.write_behind`), and they are written here together. The
        champion rows are not touched, so searches never queue behind each other on them; a
        colleague pointed to the same champions again changes nothing; a champion or asker
        erased since the search is skipped.

        The statements' text never depends on how many there are (the database keeps each
        text it has seen prepared): on PostgreSQL one statement over arrays; on SQLite, where
        a statement costs no round trip, one per referral and one per champion counted."""
        first_at: dict[tuple[int, int], datetime] = {}
        for referral in referrals:
            for champion_id in referral.champion_ids:
                first_at.setdefault((champion_id, referral.asker_member_id), referral.at)
        if not first_at:
            return
        if self._session.get_bind().dialect.name == "postgresql":
            _REFERRALS_COUNTED_AT_ONCE.rows(
                self._session,
                champions=[champion_id for champion_id, _ in first_at],
                askers=[asker for _, asker in first_at],
                moments=list(first_at.values()),
            )
            return
        added: Counter[int] = Counter()
        for (champion_id, asker), at in first_at.items():
            if _RECORD_REFERRAL.rows(self._session, champion=champion_id, asker=asker, at=at):
                added[champion_id] += 1
        for champion_id, count in sorted(added.items()):
            _ADD_TO_COUNT.rows(self._session, counted=champion_id, added=count)


def _profile_columns(profile: ChampionProfile) -> dict[str, object]:
    return {
        "department": profile.unit.department,
        "office": profile.unit.office,
        "team": profile.unit.team,
        "languages": list(profile.languages),
        "listed": profile.listed,
    }


class Coverage:
    def __init__(self, session: Session) -> None:
        self._session = session

    def set_target(self, setting: TargetSetting, by: str, at: datetime) -> None:
        values = {
            "unit_kind": setting.kind.value,
            "unit_name": setting.unit_name,
            "mode": setting.target.mode.value,
            "value": setting.target.value,
            "set_by": by,
            "updated_at": at,
        }
        upsert(
            self._session,
            table_of(CoverageTargetRecord),
            values,
            keys=("unit_kind", "unit_name"),
            update={key: values[key] for key in ("mode", "value", "set_by", "updated_at")},
        )

    def targets(self) -> list[TargetSetting]:
        rows = self._session.execute(select(CoverageTargetRecord)).scalars()
        return [
            TargetSetting(UnitKind(row.unit_kind), row.unit_name, Target(TargetMode(row.mode), row.value))
            for row in rows
        ]

    def record_unmatched(
        self, asker_member_id: int, department: str, office: str, team: str, focus_area: str | None, at: datetime
    ) -> None:
        """A coverage gap: one statement, which on PostgreSQL commits without waiting for the
        disk (as `ChampionRoster.record_referrals`)."""
        _RECORD_UNMATCHED[self._session.get_bind().dialect.name].rows(
            self._session,
            asker_member_id=asker_member_id,
            department=department or None,
            office=office or None,
            team=team or None,
            focus_area=focus_area,
            asked_at=at,
        )

    def figures(self, kinds: Iterable[UnitKind] = tuple(UnitKind)) -> dict[tuple[UnitKind, str], UnitFigures]:
        """Headcount (active employees), active champions and unmatched requests per unit of these kinds."""
        wanted = set(kinds)
        counts: dict[tuple[UnitKind, str], dict[str, int]] = defaultdict(
            lambda: {"headcount": 0, "champions": 0, "unmatched_requests": 0}
        )
        columns = {
            UnitKind.OFFICE: (EmployeeRecord.office, ChampionRecord.office, UnmatchedRequestRecord.office),
            UnitKind.DEPARTMENT: (
                EmployeeRecord.department,
                ChampionRecord.department,
                UnmatchedRequestRecord.department,
            ),
            UnitKind.TEAM: (EmployeeRecord.team, ChampionRecord.team, UnmatchedRequestRecord.team),
        }
        for kind, (employee_column, champion_column, request_column) in columns.items():
            if kind not in wanted:
                continue
            for name, count in self._session.execute(
                select(col(employee_column), func.count())
                .where(col(EmployeeRecord.active).is_(True))
                .group_by(col(employee_column))
            ).all():
                if name:
                    counts[(kind, name)]["headcount"] = count
            for name, count in self._session.execute(
                select(col(champion_column), func.count())
                .where(col(ChampionRecord.status) == ChampionStatus.ACTIVE.value)
                .group_by(col(champion_column))
            ).all():
                if name:
                    counts[(kind, name)]["champions"] = count
            for name, count in self._session.execute(
                select(col(request_column), func.count()).group_by(col(request_column))
            ).all():
                if name:
                    counts[(kind, name)]["unmatched_requests"] = count
        return {unit: UnitFigures(**values) for unit, values in counts.items()}


@dataclass(frozen=True, slots=True)
class NominationView:
    id: int
    nominee_name: str
    nominee_email: str | None
    nominee_teams_user_id: str | None
    status: str
    reasons: tuple[tuple[str, str], ...]  # (nominator's name, reason)
    decided_by: str | None


class NominationStatus:
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class Nominations:
    def __init__(self, session: Session) -> None:
        self._session = session

    def nominate(
        self,
        *,
        nominee_key: str,
        nominee_name: str,
        nominee_email: str | None,
        nominee_teams_user_id: str | None,
        nominator_member_id: int,
        reason: str,
        at: datetime,
    ) -> tuple[int, bool]:
        """(the nomination id, whether it is new); a second nomination adds its reason to the open one."""
        table = table_of(NominationRecord)
        created = insert_if_absent(
            self._session,
            table,
            {
                "nominee_key": nominee_key,
                "nominee_name": nominee_name,
                "nominee_email": nominee_email,
                "nominee_teams_user_id": nominee_teams_user_id,
                "status": NominationStatus.PENDING,
                "created_at": at,
            },
            keys=("nominee_key",),
            where=col(NominationRecord.status) == NominationStatus.PENDING,
        )
        nomination_id = self._session.execute(
            select(col(NominationRecord.id))
            .where(col(NominationRecord.nominee_key) == nominee_key)
            .where(col(NominationRecord.status) == NominationStatus.PENDING)
        ).scalar_one()
        reasons = table_of(NominationReasonRecord)
        added = insert_if_absent(
            self._session,
            reasons,
            {
                "nomination_id": nomination_id,
                "nominator_member_id": nominator_member_id,
                "reason": reason,
                "created_at": at,
            },
            keys=("nomination_id", "nominator_member_id"),
        )
        if not added:  # the same person nominating again: their newer reason wins
            self._session.execute(
                update(NominationReasonRecord)
                .where(col(NominationReasonRecord.nomination_id) == nomination_id)
                .where(col(NominationReasonRecord.nominator_member_id) == nominator_member_id)
                .values(reason=reason, created_at=at)
            )
        return int(nomination_id), created

    def get(self, nomination_id: int) -> NominationView | None:
        record = self._session.get(NominationRecord, nomination_id)
        if record is None:
            return None
        reasons = self._session.execute(
            select(col(MemberRecord.display_name), col(NominationReasonRecord.reason))
            .join(MemberRecord, col(MemberRecord.id) == col(NominationReasonRecord.nominator_member_id))
            .where(col(NominationReasonRecord.nomination_id) == nomination_id)
            .order_by(col(NominationReasonRecord.created_at), col(NominationReasonRecord.id))
        ).all()
        return NominationView(
            id=nomination_id,
            nominee_name=record.nominee_name,
            nominee_email=record.nominee_email,
            nominee_teams_user_id=record.nominee_teams_user_id,
            status=record.status,
            reasons=tuple((name, reason) for name, reason in reasons),
            decided_by=record.decided_by,
        )

    def nominators(self, nomination_id: int) -> list[MemberRecord]:
        return list(
            self._session.execute(
                select(MemberRecord)
                .join(NominationReasonRecord, col(MemberRecord.id) == col(NominationReasonRecord.nominator_member_id))
                .where(col(NominationReasonRecord.nomination_id) == nomination_id)
            ).scalars()
        )

    def decide(self, nomination_id: int, approve: bool, by: str, reason: str | None, at: datetime) -> bool:
        result = self._session.execute(
            update(NominationRecord)
            .where(col(NominationRecord.id) == nomination_id)
            .where(col(NominationRecord.status) == NominationStatus.PENDING)
            .values(
                status=NominationStatus.APPROVED if approve else NominationStatus.DECLINED,
                decided_by=by,
                decided_at=at,
                decision_reason=reason,
            )
        )
        return affected_rows(result) > 0

    def pending(self, limit: int = 20) -> list[NominationView]:
        ids = self._session.execute(
            select(col(NominationRecord.id))
            .where(col(NominationRecord.status) == NominationStatus.PENDING)
            .order_by(col(NominationRecord.created_at))
            .limit(limit)
        ).scalars()
        return [view for view in (self.get(nomination_id) for nomination_id in list(ids)) if view is not None]

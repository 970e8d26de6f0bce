"""Champions' profiles, matching candidates, referrals, and where members work."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, delete, func, insert, or_, select, update
from sqlmodel import Session, col

from domain.champions import Candidate, ChampionProfile, Unit
from domain.roles import ChampionStatus
from storage.models import (
    ChampionFocusRecord,
    ChampionRecord,
    ChampionReferralRecord,
    EmployeeRecord,
    MemberRecord,
)
from storage.repositories import Members
from storage.sql import affected_rows, insert_if_absent, table_of


@dataclass(frozen=True, slots=True)
class ChampionView:
    """A champion as their profile card and the lead's approval card show them."""

    id: int
    member_id: int
    teams_user_id: str
    display_name: str
    email: str | None
    status: ChampionStatus
    profile: ChampionProfile
    paused_until: date | None
    decided_by: str | None
    decision_reason: str | None
    people_pointed: int


class ChampionRoster:
    def __init__(self, session: Session) -> None:
        self._session = session

    # --- reading ----------------------------------------------------------------------

    def _views(self, *conditions: object) -> list[ChampionView]:
        rows = self._session.execute(
            select(ChampionRecord, MemberRecord)
            .join(MemberRecord, col(MemberRecord.id) == col(ChampionRecord.member_id))
            .where(*conditions)  # type: ignore[arg-type]
        ).all()
        focus = self._focus_areas([champion.id for champion, _ in rows if champion.id is not None])
        return [
            ChampionView(
                id=champion.id or 0,
                member_id=member.id or 0,
                teams_user_id=member.teams_user_id,
                display_name=member.display_name,
                email=member.email or member.user_principal_name,
                status=ChampionStatus(champion.status),
                profile=ChampionProfile(
                    unit=Unit(champion.department, champion.office, champion.team),
                    focus_areas=focus.get(champion.id or 0, ()),
                    languages=tuple(champion.languages or ()),
                    listed=champion.listed,
                ),
                paused_until=champion.paused_until,
                decided_by=champion.decided_by,
                decision_reason=champion.decision_reason,
                people_pointed=champion.people_pointed,
            )
            for champion, member in rows
        ]

    def _focus_areas(self, champion_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        if not champion_ids:
            return {}
        areas: dict[int, list[str]] = defaultdict(list)
        rows = self._session.execute(
            select(col(ChampionFocusRecord.champion_id), col(ChampionFocusRecord.focus_area))
            .where(col(ChampionFocusRecord.champion_id).in_(champion_ids))
            .order_by(col(ChampionFocusRecord.focus_area))
        ).all()
        for champion_id, area in rows:
            areas[champion_id].append(area)
        return {champion_id: tuple(found) for champion_id, found in areas.items()}

    def of_user(self, teams_user_id: str) -> ChampionView | None:
        found = self._views(col(MemberRecord.teams_user_id) == teams_user_id)
        return found[0] if found else None

    def by_id(self, champion_id: int) -> ChampionView | None:
        found = self._views(col(ChampionRecord.id) == champion_id)
        return found[0] if found else None

    def candidates(self, unit: Unit, focus_area: str | None) -> list[Candidate]:
        """Listed champions who could be suggested: same team, department or office, or the focus area."""
        champion = ChampionRecord
        near = [
            condition
            for value, condition in (
                (unit.team, col(champion.team) == unit.team),
                (unit.department, col(champion.department) == unit.department),
                (unit.office, col(champion.office) == unit.office),
            )
            if value
        ]
        if focus_area:
            near.append(
                col(champion.id).in_(
                    select(col(ChampionFocusRecord.champion_id)).where(
                        func.lower(col(ChampionFocusRecord.focus_area)) == focus_area.lower()
                    )
                )
            )
        if not near:
            return []
        views = self._views(
            col(champion.status).in_((ChampionStatus.ACTIVE.value, ChampionStatus.PAUSED.value)),
            col(champion.listed).is_(True),
            or_(*near),
        )
        return [
            Candidate(
                champion_id=view.id,
                teams_user_id=view.teams_user_id,
                display_name=view.display_name,
                upn=view.email,
                unit=view.profile.unit,
                focus_areas=view.profile.focus_areas,
                languages=view.profile.languages,
                people_pointed=view.people_pointed,
                status=view.status,
                paused_until=view.paused_until,
            )
            for view in views
        ]

    def pending(self) -> list[ChampionView]:
        return self._views(col(ChampionRecord.status) == ChampionStatus.PENDING.value)

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
        return int(champion_id)

    def update_profile(self, champion_id: int, profile: ChampionProfile, at: datetime) -> None:
        self._session.execute(
            update(ChampionRecord)
            .where(col(ChampionRecord.id) == champion_id)
            .values(**_profile_columns(profile), updated_at=at)
        )
        self._replace_focus(champion_id, profile.focus_areas)

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
        """Count each colleague once per champion, so ties spread new askers fairly."""
        table = table_of(ChampionReferralRecord)
        for champion_id in champion_ids:
            first = insert_if_absent(
                self._session,
                table,
                {"champion_id": champion_id, "asker_member_id": asker_member_id, "first_at": at},
                keys=("champion_id", "asker_member_id"),
            )
            if first:
                self._session.execute(
                    update(ChampionRecord)
                    .where(col(ChampionRecord.id) == champion_id)
                    .values(people_pointed=col(ChampionRecord.people_pointed) + 1)
                )


def _profile_columns(profile: ChampionProfile) -> dict[str, object]:
    return {
        "department": profile.unit.department,
        "office": profile.unit.office,
        "team": profile.unit.team,
        "languages": list(profile.languages),
        "listed": profile.listed,
    }


class Workplaces:
    """Where members work: the HR directory first, what they told the bot otherwise."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def employee_of(self, member: MemberRecord) -> EmployeeRecord | None:
        keys = [key.lower() for key in (member.email, member.user_principal_name) if key]
        conditions: list[ColumnElement[bool]] = [col(EmployeeRecord.email).in_(keys)] if keys else []
        if member.aad_object_id:
            conditions.append(col(EmployeeRecord.aad_object_id) == member.aad_object_id.lower())
        if not conditions:
            return None
        return (
            self._session.execute(
                select(EmployeeRecord)
                .where(or_(*conditions))
                .order_by(col(EmployeeRecord.active).desc(), col(EmployeeRecord.id))
                .limit(1)
            )
            .scalars()
            .first()
        )

    def unit_of(self, teams_user_id: str) -> tuple[Unit, bool]:
        """(the member's unit, whether it came from the HR directory)."""
        member = Members(self._session).get(teams_user_id)
        if member is None:
            return Unit(), False
        employee = self.employee_of(member)
        if employee is not None:
            return Unit(employee.department, employee.office, employee.team), True
        return Unit(member.declared_department or "", member.declared_office or ""), False

    def needs_asking(self, teams_user_id: str) -> bool:
        """Ask once, only people the directory does not know, only when there are lists to pick from."""
        member = Members(self._session).get(teams_user_id)
        if member is None or member.unit_asked_at is not None or self.employee_of(member) is not None:
            return False
        return bool(self.known(col(EmployeeRecord.department), limit=1))

    def known(self, column: object, *conditions: ColumnElement[bool], limit: int = 200) -> list[str]:
        """The distinct non-empty values of a directory column among active employees, sorted."""
        rows = self._session.execute(
            select(column)  # type: ignore[call-overload]
            .where(col(EmployeeRecord.active).is_(True), *conditions)
            .group_by(column)
            .order_by(column)
            .limit(limit)
        ).scalars()
        return [value for value in rows if value]

    def departments(self) -> list[str]:
        return self.known(col(EmployeeRecord.department))

    def offices(self) -> list[str]:
        return self.known(col(EmployeeRecord.office))

    def teams_in(self, department: str) -> list[str]:
        return self.known(col(EmployeeRecord.team), col(EmployeeRecord.department) == department)

    def declare(self, teams_user_id: str, department: str | None, office: str | None, at: datetime) -> None:
        self._session.execute(
            update(MemberRecord)
            .where(col(MemberRecord.teams_user_id) == teams_user_id)
            .values(declared_department=department, declared_office=office, unit_asked_at=at)
        )

    def manager_member(self, teams_user_id: str) -> tuple[str | None, MemberRecord | None]:
        """(the manager's email from the directory, the manager as a member the bot can reach)."""
        member = Members(self._session).get(teams_user_id)
        employee = self.employee_of(member) if member else None
        if employee is None or not employee.manager_email:
            return None, None
        manager_email = employee.manager_email.lower()
        manager = self.member_by_email(manager_email)
        return manager_email, manager

    def member_by_email(self, email: str) -> MemberRecord | None:
        email = email.lower()
        found = (
            self._session.execute(
                select(MemberRecord)
                .where(
                    or_(
                        func.lower(col(MemberRecord.email)) == email,
                        func.lower(col(MemberRecord.user_principal_name)) == email,
                    )
                )
                .order_by(col(MemberRecord.last_seen_at).desc())
                .limit(1)
            )
            .scalars()
            .first()
        )
        if found is not None:
            return found
        employee = self._session.execute(
            select(EmployeeRecord).where(col(EmployeeRecord.email) == email)
        ).scalar_one_or_none()
        if employee is None or not employee.aad_object_id:
            return None
        return (
            self._session.execute(
                select(MemberRecord).where(col(MemberRecord.aad_object_id) == employee.aad_object_id).limit(1)
            )
            .scalars()
            .first()
        )

    def search_employees(self, text: str, limit: int = 5) -> list[EmployeeRecord]:
        """Active employees whose email is `text` or whose name contains every word typed."""
        text = " ".join(text.split())
        if not text:
            return []
        if "@" in text:
            return list(
                self._session.execute(
                    select(EmployeeRecord).where(col(EmployeeRecord.email) == text.lower()).limit(limit)
                ).scalars()
            )
        statement = select(EmployeeRecord).where(col(EmployeeRecord.active).is_(True))
        for word in text.lower().split()[:4]:
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            statement = statement.where(func.lower(col(EmployeeRecord.display_name)).like(f"%{escaped}%", escape="\\"))
        return list(self._session.execute(statement.order_by(col(EmployeeRecord.display_name)).limit(limit)).scalars())

"""How the network stands, for the digests: the same coverage the `coverage` command shows,
what waits for a lead, and who is on a long pause. Other features read it through
`features.enrolment.program_pulse`."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlmodel import Session, col

from domain.people import UnitKind
from domain.roles import ChampionStatus
from features.enrolment.domain import UnitCoverage
from features.enrolment.queries import coverage
from features.enrolment.storage import NominationStatus
from features.enrolment.tables import NominationRecord
from storage.champions import serving
from storage.models import ChampionRecord, EmployeeRecord, MemberRecord

# A pause longer than this (or without an end) puts a champion "at risk" in the lead digest.
LONG_PAUSE = timedelta(days=28)


@dataclass(frozen=True, slots=True)
class ChampionRef:
    champion_id: int
    name: str
    department: str


@dataclass(frozen=True, slots=True)
class ProgramPulse:
    departments: tuple[UnitCoverage, ...]  # worst gap first, as `coverage` orders them
    employees: int
    active_champions: int
    applications_waiting: int
    nominations_waiting: int
    # Pending nominees by the department the directory puts them in ("" when it doesn't know).
    nominees: tuple[tuple[str, str], ...]  # (department, name)
    long_pauses: tuple[ChampionRef, ...]
    champions: dict[int, ChampionRef]  # every active or paused champion, for naming them

    @property
    def units_at_target(self) -> float | None:
        """The share of departments with people in them whose coverage meets the target."""
        staffed = [unit for unit in self.departments if unit.headcount > 0]
        return sum(1 for unit in staffed if unit.gap == 0) / len(staffed) if staffed else None

    @property
    def champions_per_employee(self) -> float | None:
        return self.active_champions / self.employees if self.employees else None


def program_pulse(session: Session, today: date) -> ProgramPulse:
    departments = tuple(coverage(session, [UnitKind.DEPARTMENT]))
    employees = session.execute(select(func.count()).where(col(EmployeeRecord.active).is_(True))).scalar_one()
    statuses = Counter(
        dict(
            session.execute(select(col(ChampionRecord.status), func.count()).group_by(col(ChampionRecord.status))).all()
        )
    )
    nominees = session.execute(
        select(func.coalesce(col(EmployeeRecord.department), ""), col(NominationRecord.nominee_name))
        .select_from(NominationRecord)
        .outerjoin(
            EmployeeRecord, func.lower(col(EmployeeRecord.email)) == func.lower(col(NominationRecord.nominee_email))
        )
        .where(col(NominationRecord.status) == NominationStatus.PENDING)
        .order_by(col(NominationRecord.created_at))
    ).all()
    rows = session.execute(
        select(
            col(ChampionRecord.id),
            col(MemberRecord.display_name),
            col(ChampionRecord.department),
            col(ChampionRecord.status),
            col(ChampionRecord.paused_until),
        )
        .join(MemberRecord, col(MemberRecord.id) == col(ChampionRecord.member_id))
        .where(*serving())
    ).all()
    champions = {row[0]: ChampionRef(row[0], row[1] or "", row[2] or "") for row in rows}
    long_pauses = tuple(
        champions[row[0]]
        for row in rows
        if row[3] == ChampionStatus.PAUSED.value and (row[4] is None or row[4] - today > LONG_PAUSE)
    )
    return ProgramPulse(
        departments=departments,
        employees=int(employees),
        active_champions=int(statuses.get(ChampionStatus.ACTIVE.value, 0)),
        applications_waiting=int(statuses.get(ChampionStatus.PENDING.value, 0)),
        nominations_waiting=len(nominees),
        nominees=tuple((department or "", name) for department, name in nominees),
        long_pauses=long_pauses,
        champions=champions,
    )

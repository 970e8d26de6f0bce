"""Where members work: the HR directory first, what they told the bot otherwise."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, bindparam, func, or_, select, update
from sqlmodel import Session, col

from domain.identity import UserIdentity
from domain.people import Unit, Workplace
from storage.models import EmployeeRecord, MemberRecord
from storage.prepared import Prepared
from storage.repositories import Members
from storage.sql import table_of


class Workplaces:
    def __init__(self, session: Session) -> None:
        self._session = session

    def employee_of(self, person: MemberRecord | UserIdentity) -> EmployeeRecord | None:
        emails, object_id = _person_keys(person)
        if not (emails or object_id):
            return None
        lookup = _directory_lookup(select(EmployeeRecord), bool(emails), object_id is not None)
        return self._session.execute(lookup, _lookup_values(emails, object_id)).scalars().first()

    def workplace_of(self, person: MemberRecord | UserIdentity, declared: Unit, asked: bool) -> Workplace:
        """The directory's unit for this person (three columns), else what they declared."""
        emails, object_id = _person_keys(person)
        row = None
        if emails or object_id:
            lookup = _unit_lookup(bool(emails), object_id is not None)
            row = lookup.first(self._session, **_lookup_values(emails, object_id))
        return workplace_from(Unit(*row) if row is not None else None, declared, asked)

    def member_workplace(self, teams_user_id: str) -> Workplace | None:
        """Where a member works, as their turn would find it; None for someone never seen."""
        member = Members(self._session).get(teams_user_id)
        if member is None:
            return None
        declared = Unit(member.declared_department or "", member.declared_office or "")
        return self.workplace_of(member, declared, member.unit_asked_at is not None)

    def unit_of(self, teams_user_id: str) -> tuple[Unit, bool]:
        """(the member's unit, whether it came from the HR directory)."""
        workplace = self.member_workplace(teams_user_id)
        return (workplace.unit, workplace.from_directory) if workplace is not None else (Unit(), False)

    def needs_asking(self, teams_user_id: str) -> bool:
        """Ask once, only people the directory does not know, only when there are lists to pick from."""
        workplace = self.member_workplace(teams_user_id)
        if workplace is None or not workplace.may_need_asking:
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


def workplace_from(directory_unit: Unit | None, declared: Unit, asked: bool) -> Workplace:
    """The directory's unit when it knows the person, else what they declared."""
    if directory_unit is not None:
        return Workplace(directory_unit, from_directory=True, asked=asked)
    return Workplace(declared, from_directory=False, asked=asked)


def first_in_directory(what: Select[Any], employees: Any, emails: Any = None, object_id: Any = None) -> Select[Any]:
    """`what` of the directory's row for someone (an active one first), found in `employees`
    (the employee table, or an alias of it) by their email or UPN (`emails`: what an IN takes)
    or their Entra object id; a way not given is not tried."""
    conditions: list[ColumnElement[bool]] = []
    if emails is not None:
        conditions.append(employees.c.email.in_(emails))
    if object_id is not None:
        conditions.append(employees.c.aad_object_id == object_id)
    return what.where(or_(*conditions)).order_by(employees.c.active.desc(), employees.c.id).limit(1)


def _directory_lookup(what: Select[Any], by_email: bool, by_object_id: bool) -> Select[Any]:
    """`what` of someone's directory row, by the `emails` and `object_id` parameters."""
    return first_in_directory(
        what,
        table_of(EmployeeRecord),
        bindparam("emails", expanding=True) if by_email else None,
        bindparam("object_id") if by_object_id else None,
    )


@functools.cache
def _unit_lookup(by_email: bool, by_object_id: bool) -> Prepared:
    """The directory's unit for someone, prepared once per way of knowing them: every turn asks."""
    unit = cast(
        Select[Any], select(col(EmployeeRecord.department), col(EmployeeRecord.office), col(EmployeeRecord.team))
    )
    return Prepared(_directory_lookup(unit, by_email, by_object_id))


def _lookup_values(emails: list[str], object_id: str | None) -> dict[str, Any]:
    values: dict[str, Any] = {"emails": emails} if emails else {}
    if object_id is not None:
        values["object_id"] = object_id
    return values


def _person_keys(person: MemberRecord | UserIdentity) -> tuple[list[str], str | None]:
    """How the HR directory may know a member: email or UPN (lower case), or Entra object id."""
    emails = [key.lower() for key in (person.email, person.user_principal_name) if key]
    return emails, person.aad_object_id.lower() if person.aad_object_id else None

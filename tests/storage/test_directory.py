from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from domain.directory import Employee, ImportSummary
from storage.directory import EmployeeDirectory
from storage.workplaces import Workplaces

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
ALICE = Employee("alice@contoso.example", "Alice", "Sales", "Milan", "North", "marco@contoso.example")
MARCO = Employee("marco@contoso.example", "Marco", "Sales", "Milan", "North", None)
CHAI = Employee("chai@contoso.example", "Chai", "Ops", "Bangkok", "Field", None, country="TH")


def apply(database, employees, at=NOW) -> ImportSummary:
    return database.transaction(lambda s: EmployeeDirectory(s).apply_import(employees, at))


def test_import_creates_updates_and_marks_missing_people_inactive(database):
    assert apply(database, [ALICE, MARCO]) == ImportSummary(created=2, updated=0, reactivated=0, deactivated=0)

    moved = replace(ALICE, office="Rome")
    later = NOW + timedelta(days=7)
    assert apply(database, [moved, CHAI], later) == ImportSummary(created=1, updated=1, reactivated=0, deactivated=1)

    alice = database.transaction(lambda s: EmployeeDirectory(s).get("Alice@Contoso.example"))
    marco = database.transaction(lambda s: EmployeeDirectory(s).get("marco@contoso.example"))
    assert (alice.office, alice.active, alice.updated_at, alice.imported_at) == ("Rome", True, later, NOW)
    assert marco.active is False  # kept, not deleted

    assert apply(database, [moved, CHAI, MARCO]) == ImportSummary(created=0, updated=0, reactivated=1, deactivated=0)
    assert database.transaction(lambda s: EmployeeDirectory(s).get("marco@contoso.example")).active is True


def test_an_unchanged_import_changes_nothing(database):
    apply(database, [ALICE, MARCO])
    assert apply(database, [ALICE, MARCO]) == ImportSummary(created=0, updated=0, reactivated=0, deactivated=0)


def test_the_lists_people_pick_from_come_from_active_employees(database):
    south = Employee("sara@contoso.example", "Sara", "Sales", "Rome", "South", None)
    gone = Employee("gino@contoso.example", "Gino", "Sales", "Turin", "West", None)
    apply(database, [ALICE, MARCO, CHAI, south, gone])
    apply(database, [ALICE, MARCO, CHAI, south], NOW + timedelta(days=1))  # Gino left

    def lists(session):
        workplaces = Workplaces(session)
        return workplaces.departments(), workplaces.offices(), workplaces.teams_in("Sales")

    assert database.transaction(lists) == (["Ops", "Sales"], ["Bangkok", "Milan", "Rome"], ["North", "South"])

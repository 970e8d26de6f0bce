"""What enrolment's handlers read: one typed function per question, each run in its own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from domain.people import ProgramSettings, Unit, UnitKind
from features.enrolment.domain import ChampionQuery, UnitCoverage, coverage_report, suggest_champions
from features.enrolment.storage import ChampionRoster, Coverage, Nominations, NominationView
from storage.champions import Champions, ChampionView
from storage.directory import EmployeeDirectory
from storage.models import EmployeeRecord
from storage.program import Leads, ProgramConfig
from storage.repositories import Members
from storage.workplaces import Workplaces


@dataclass(frozen=True, slots=True)
class Choices:
    """What the enrolment forms offer to pick from."""

    departments: list[str]
    offices: list[str]
    settings: ProgramSettings


@dataclass(frozen=True, slots=True)
class JoinStart:
    """Where someone stands before the join form: their application, if any, and where they work."""

    champion: ChampionView | None
    unit: Unit
    choices: Choices


def needs_workplace(session: Session, teams_user_id: str) -> bool:
    """Neither the directory nor the member has said where they work, and they were not asked yet."""
    return Workplaces(session).needs_asking(teams_user_id)


def choices(session: Session) -> Choices:
    workplaces = Workplaces(session)
    return Choices(workplaces.departments(), workplaces.offices(), ProgramConfig(session).load())


def teams_in(session: Session, department: str) -> list[str]:
    return list(Workplaces(session).teams_in(department))


def program_settings(session: Session) -> ProgramSettings:
    return ProgramConfig(session).load()


@dataclass(frozen=True, slots=True)
class LeadContact:
    name: str
    upn: str  # for a Teams chat link


def lead_to_ask(session: Session, bootstrap_leads: Iterable[str]) -> LeadContact | None:
    """A lead someone who found no champion can chat with: one the bot knows by name, else a lead
    from the settings by address (a Teams chat link needs only the address)."""
    for member in Leads(session).reachable_members(bootstrap_leads):
        address = member.user_principal_name or member.email
        if member.display_name and address:
            return LeadContact(member.display_name, address)
    address = next((key for key in (*bootstrap_leads, *Leads(session).all()) if "@" in key), None)
    if address is None:
        return None
    employee = EmployeeDirectory(session).get(address.lower())
    return LeadContact(employee.display_name if employee else address, address)


def join_start(session: Session, teams_user_id: str) -> JoinStart:
    unit, _ = Workplaces(session).unit_of(teams_user_id)
    return JoinStart(Champions(session).of_user(teams_user_id), unit, choices(session))


def champion_of(session: Session, teams_user_id: str) -> ChampionView | None:
    return Champions(session).of_user(teams_user_id)


def champion(session: Session, champion_id: int) -> ChampionView | None:
    return Champions(session).by_id(champion_id)


def employees_matching(session: Session, text: str, limit: int) -> list[EmployeeRecord]:
    return Workplaces(session).search_employees(text, limit)


def is_champion(session: Session, teams_user_id: str | None, email: str | None) -> bool:
    """Whether the person (by Teams id, else by email) already champions."""
    member = Members(session).get(teams_user_id) if teams_user_id else Workplaces(session).member_by_email(email or "")
    status = Champions(session).status_of(member.teams_user_id) if member else None
    return status is not None and status.is_champion


def waiting_decisions(session: Session) -> tuple[list[ChampionView], list[NominationView]]:
    """Applications and nominations waiting for a lead."""
    return ChampionRoster(session).pending(), Nominations(session).pending()


def nomination(session: Session, nomination_id: int) -> NominationView | None:
    return Nominations(session).get(nomination_id)


def coverage(session: Session, kinds: Iterable[UnitKind] = tuple(UnitKind)) -> list[UnitCoverage]:
    """Every unit's coverage against its target, worst first (units of these kinds)."""
    figures = Coverage(session)
    return coverage_report(figures.figures(kinds), figures.targets())


def champions_for(
    session: Session, teams_user_id: str, topic: str | None, today: date, limit: int = 4
) -> list[tuple[int, str]]:
    """(champion id, name) of the champions who would be suggested to this person for a topic
    (any topic when nobody has that one), best first; nothing is recorded (a question routes
    to them, it is not a "who is my champion")."""
    unit = Workplaces(session).unit_of(teams_user_id)[0]
    roster = ChampionRoster(session)
    for focus in (topic, None) if topic else (None,):
        query = ChampionQuery(teams_user_id, unit, focus)
        found = suggest_champions(query, roster.candidates(query, today), today, limit)
        if found:
            return [(suggestion.candidate.champion_id, suggestion.candidate.display_name) for suggestion in found]
    return []

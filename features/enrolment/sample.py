"""Sample champions for `python app.py demo`: a few people from the demo directory, approved,
so that a new user sees the whole program (who is my champion, coverage with a gap) at once."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from domain.identity import UserIdentity
from domain.people import ChampionProfile, Unit
from domain.roles import ChampionStatus
from features.enrolment.storage import ChampionRoster
from storage.directory import EmployeeDirectory
from storage.repositories import Members

# (Teams user id, email, focus areas, languages); their units come from the directory.
SAMPLE_CHAMPIONS = (
    ("29:demo-tina", "tina.rossi@example.com", ("Sales", "Reporting"), ("Italiano", "English")),
    ("29:demo-dario", "dario.ferri@example.com", ("Sales",), ("Italiano",)),
    ("29:demo-olga", "olga.marino@example.com", ("Reporting",), ("Italiano", "English")),
    ("29:demo-somchai", "somchai.k@example.com", ("Field Service",), ("ไทย", "English")),
)


def load_sample_champions(session: Session, now: datetime) -> int:
    """Approve the sample champions who are in the directory and not champions yet; how many."""
    members, roster, directory = Members(session), ChampionRoster(session), EmployeeDirectory(session)
    added = 0
    for teams_user_id, email, focus, languages in SAMPLE_CHAMPIONS:
        employee = directory.get(email)
        if employee is None or roster.of_user(teams_user_id) is not None:
            continue
        members.record_seen(UserIdentity(teams_user_id, employee.display_name), now)
        members.save_profile(teams_user_id, email, email, now)
        unit = Unit(employee.department, employee.office, employee.team)
        roster.apply(teams_user_id, ChampionProfile(unit, focus, languages, listed=True), ChampionStatus.ACTIVE, now)
        added += 1
    return added

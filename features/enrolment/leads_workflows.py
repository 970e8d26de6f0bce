"""What leads change for the whole program: its settings, the list of leads, coverage targets."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlmodel import Session

from domain.commands import normalize_text
from domain.roles import Role
from features.enrolment.domain import EVERY_UNIT, TargetSetting
from features.enrolment.storage import Coverage
from storage.audit import AuditTrail
from storage.privacy import plain
from storage.program import Appointments, Leads, ProgramConfig, Sponsors


def save_program_settings(session: Session, changes: dict[str, Any], by: str, now: datetime) -> None:
    config = ProgramConfig(session)
    before = config.load()
    config.save(changes, by, now)
    changed = {name: value for name, value in changes.items() if plain(getattr(before, name, None)) != plain(value)}
    if changed:
        was = {name: getattr(before, name, None) for name in changed}
        AuditTrail(session).record(by, "settings.program", ", ".join(sorted(changed)), now, before=was, after=changed)


# Each role a lead gives in chat, with the name of its audit entries.
_APPOINTMENTS: dict[Role, tuple[type[Appointments], str]] = {
    Role.PROGRAM_LEAD: (Leads, "lead"),
    Role.SPONSOR: (Sponsors, "sponsor"),
}


def appoint(session: Session, role: Role, key: str, by: str, now: datetime) -> bool:
    """False when the email or object id already holds a role given in chat."""
    appointments, action = _APPOINTMENTS[role]
    added = appointments(session).add(key, by, now)
    if added:
        AuditTrail(session).record(by, f"{action}.add", key.lower(), now)
    return added


def dismiss(session: Session, role: Role, key: str, by: str, now: datetime) -> bool:
    """False when nobody was given that role in chat under that key."""
    appointments, action = _APPOINTMENTS[role]
    removed = appointments(session).remove(key)
    if removed:
        AuditTrail(session).record(by, f"{action}.remove", key.lower(), now)
    return removed


def appointed(session: Session, role: Role) -> list[str]:
    """Who was given the role in chat."""
    return _APPOINTMENTS[role][0](session).all()


def set_target(session: Session, setting: TargetSetting, by: str, now: datetime) -> str | None:
    """Save the target under the unit's name as the program knows it; None for a unit nobody works in."""
    name = setting.unit_name
    coverage = Coverage(session)
    if name != EVERY_UNIT:
        known = [unit for kind, unit in coverage.figures() if kind is setting.kind]
        match = next((unit for unit in known if normalize_text(unit) == normalize_text(name)), None)
        if known and match is None:
            return None
        name = match or name
    coverage.set_target(replace(setting, unit_name=name), by, now)
    target = {"mode": setting.target.mode.value, "value": setting.target.value}
    AuditTrail(session).record(by, "coverage.target", f"{setting.kind.value} {name}", now, after=target)
    return name

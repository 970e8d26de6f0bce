"""What leads change for the whole program: its settings, the list of leads, coverage targets."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlmodel import Session

from domain.commands import normalize_text
from features.enrolment.domain import EVERY_UNIT, TargetSetting
from features.enrolment.storage import Coverage
from storage.audit import AuditTrail
from storage.privacy import plain
from storage.program import Leads, ProgramConfig


def save_program_settings(session: Session, changes: dict[str, Any], by: str, now: datetime) -> None:
    config = ProgramConfig(session)
    before = config.load()
    config.save(changes, by, now)
    changed = {name: value for name, value in changes.items() if plain(getattr(before, name, None)) != plain(value)}
    if changed:
        was = {name: getattr(before, name, None) for name in changed}
        AuditTrail(session).record(by, "settings.program", ", ".join(sorted(changed)), now, before=was, after=changed)


def add_lead(session: Session, key: str, by: str, now: datetime) -> bool:
    """False when the email or object id was already a lead."""
    added = Leads(session).add(key, by, now)
    if added:
        AuditTrail(session).record(by, "lead.add", key.lower(), now)
    return added


def remove_lead(session: Session, key: str, by: str, now: datetime) -> bool:
    """False when no lead was added in chat with that key."""
    removed = Leads(session).remove(key)
    if removed:
        AuditTrail(session).record(by, "lead.remove", key.lower(), now)
    return removed


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

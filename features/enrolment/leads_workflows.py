"""What leads change for the whole program: its settings, the list of leads, coverage targets."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlmodel import Session

from domain.commands import normalize_text
from features.enrolment.domain import EVERY_UNIT, TargetSetting
from features.enrolment.storage import Coverage
from storage.program import Leads, ProgramConfig


def save_program_settings(session: Session, changes: dict[str, Any], by: str, now: datetime) -> None:
    ProgramConfig(session).save(changes, by, now)


def add_lead(session: Session, key: str, by: str, now: datetime) -> bool:
    """False when the email or object id was already a lead."""
    return Leads(session).add(key, by, now)


def remove_lead(session: Session, key: str) -> bool:
    """False when no lead was added in chat with that key."""
    return Leads(session).remove(key)


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
    return name

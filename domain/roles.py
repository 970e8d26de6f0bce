"""Roles in the program, decided here so that every surface agrees on them."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from domain.identity import UserIdentity


class Role(StrEnum):
    EMPLOYEE = "employee"
    CHAMPION = "champion"
    PROGRAM_LEAD = "program_lead"


class ChampionStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    PAUSED = "paused"
    DECLINED = "declined"
    STEPPED_DOWN = "stepped_down"

    @property
    def is_champion(self) -> bool:
        # A paused champion is still a champion (on holiday), just not matched to employees.
        return self in (ChampionStatus.ACTIVE, ChampionStatus.PAUSED)


# Applied or serving (paused included): a place leads count on, left by stepping down; who
# holds one can edit their profile.
HOLDING_A_PLACE = (ChampionStatus.ACTIVE, ChampionStatus.PAUSED, ChampionStatus.PENDING)


class ProgramRoles:
    """Decides a user's role from the lead lists and their champion status.

    Bootstrap leads (PROGRAM_LEADS) cannot be removed in chat; leads added in chat are
    stored and passed in as `added_lead`.
    """

    def __init__(self, bootstrap_leads: Iterable[str]) -> None:
        self._leads = frozenset(lead.strip().lower() for lead in bootstrap_leads if lead.strip())

    @property
    def bootstrap_leads(self) -> frozenset[str]:
        return self._leads

    def is_bootstrap_lead_key(self, key: str) -> bool:
        return key.strip().lower() in self._leads

    def is_lead(self, identity: UserIdentity) -> bool:
        return not self._leads.isdisjoint(identity.lead_keys())

    def role_of(
        self, identity: UserIdentity, champion_status: ChampionStatus | None, *, added_lead: bool = False
    ) -> Role:
        if added_lead or self.is_lead(identity):
            return Role.PROGRAM_LEAD
        if champion_status is not None and champion_status.is_champion:
            return Role.CHAMPION
        return Role.EMPLOYEE

"""Roles in the program, decided here so that every surface agrees on them."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from domain.identity import UserIdentity


class Role(StrEnum):
    EMPLOYEE = "employee"
    CHAMPION = "champion"
    # An executive who reads the program's aggregates and decides; never individual answers.
    SPONSOR = "sponsor"
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
# Serving: a champion colleagues can be pointed to, or will be after a pause.
SERVING = (ChampionStatus.ACTIVE, ChampionStatus.PAUSED)


# Roles given by a list (the settings, or leads in chat), highest first: a lead who is also
# listed as a sponsor acts as a lead; a sponsor who champions acts as a sponsor.
LISTED_ROLES = (Role.PROGRAM_LEAD, Role.SPONSOR)


def _keys(values: Iterable[str]) -> frozenset[str]:
    return frozenset(value.strip().lower() for value in values if value.strip())


class ProgramRoles:
    """Decides a user's role from the lead and sponsor lists and their champion status.

    Bootstrap leads and sponsors (PROGRAM_LEADS, PROGRAM_SPONSORS) cannot be removed in
    chat; the roles given in chat are stored and passed in as `listed`.
    """

    def __init__(self, bootstrap_leads: Iterable[str], bootstrap_sponsors: Iterable[str] = ()) -> None:
        self._leads = _keys(bootstrap_leads)
        self._sponsors = _keys(bootstrap_sponsors)

    @property
    def bootstrap_leads(self) -> frozenset[str]:
        return self._leads

    @property
    def bootstrap_sponsors(self) -> frozenset[str]:
        return self._sponsors

    def bootstrap(self, role: Role) -> frozenset[str]:
        return self._leads if role is Role.PROGRAM_LEAD else self._sponsors if role is Role.SPONSOR else frozenset()

    def is_bootstrap_lead_key(self, key: str) -> bool:
        return key.strip().lower() in self._leads

    def is_bootstrap_key(self, role: Role, key: str) -> bool:
        return key.strip().lower() in self.bootstrap(role)

    def is_lead(self, identity: UserIdentity) -> bool:
        return not self._leads.isdisjoint(identity.lead_keys())

    def role_of(
        self, identity: UserIdentity, champion_status: ChampionStatus | None, *, listed: Role | None = None
    ) -> Role:
        keys = identity.lead_keys()
        for role in LISTED_ROLES:
            if listed is role or not self.bootstrap(role).isdisjoint(keys):
                return role
        if champion_status is not None and champion_status.is_champion:
            return Role.CHAMPION
        return Role.EMPLOYEE

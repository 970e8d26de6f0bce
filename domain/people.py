"""Who people are to the program: where they work, a champion's public profile, the program's settings."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote


class UnitKind(StrEnum):
    OFFICE = "office"
    DEPARTMENT = "department"
    TEAM = "team"


@dataclass(frozen=True, slots=True)
class Unit:
    """Where someone works; any part may be unknown (empty)."""

    department: str = ""
    office: str = ""
    team: str = ""

    def name_of(self, kind: UnitKind) -> str:
        return {UnitKind.OFFICE: self.office, UnitKind.DEPARTMENT: self.department, UnitKind.TEAM: self.team}[kind]

    @property
    def known(self) -> bool:
        return bool(self.department or self.office or self.team)

    @property
    def label(self) -> str:
        """Most specific first, as people name where someone works: "North, Sales, Milan"."""
        return ", ".join(part for part in (self.team, self.department, self.office) if part)


@dataclass(frozen=True, slots=True)
class Workplace:
    """Where a member works as their turn found it: from the HR directory, else as they told the bot."""

    unit: Unit
    from_directory: bool
    # They were asked where they work (answered or not): never asked twice.
    asked: bool

    @property
    def may_need_asking(self) -> bool:
        """Nobody knows where they work and they were not asked (asking also needs lists to offer)."""
        return not self.from_directory and not self.asked


@dataclass(frozen=True, slots=True)
class ChampionProfile:
    """What a champion enrols with and can edit later."""

    unit: Unit
    focus_areas: tuple[str, ...]
    languages: tuple[str, ...]
    # Consent to be suggested to colleagues; without it they champion without being listed.
    listed: bool = True


COMMITMENT_PERIODS = ("week", "month")
MAX_COMMITMENT_HOURS = 40


@dataclass(frozen=True, slots=True)
class ProgramSettings:
    """What leads configure for enrolment; defaults make a fresh install usable."""

    # What being a champion asks, as numbers so that every reader sees it in their own language.
    commitment_hours: int = 2
    commitment_period: str = "month"  # one of COMMITMENT_PERIODS
    focus_areas: tuple[str, ...] = ("Sales", "Customer Service", "Field Service", "Reporting")
    auto_approve: bool = False
    training_url: str = ""
    community_url: str = ""
    # The channel (conversation id) where new champions are announced.
    champions_channel_id: str = ""
    champions_channel_name: str = ""


def chat_link(upn: str) -> str:
    """Teams deep link that opens a 1:1 chat."""
    return f"https://teams.microsoft.com/l/chat/0/0?users={quote(upn, safe='@')}"

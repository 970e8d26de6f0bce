"""Enrolment: which champion an employee should talk to, what champions enrol with, and coverage.

Coverage is the plan of how many champions each office, department or team should have, and the gaps."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import IntEnum, StrEnum

from domain.answers import AnswerError
from domain.commands import normalize_text
from domain.people import COMMITMENT_PERIODS, MAX_COMMITMENT_HOURS, Unit, UnitKind
from domain.roles import ChampionStatus

MAX_SUGGESTIONS = 3
MAX_LANGUAGES = 8


@dataclass(frozen=True, slots=True)
class Candidate:
    """A champion who might be suggested, as storage found them."""

    champion_id: int
    teams_user_id: str
    display_name: str
    upn: str | None
    unit: Unit
    focus_areas: tuple[str, ...]
    languages: tuple[str, ...]
    people_pointed: int
    status: ChampionStatus = ChampionStatus.ACTIVE
    paused_until: date | None = None

    def available_on(self, today: date) -> bool:
        if self.status is ChampionStatus.ACTIVE:
            return True
        # A pause ends on its end date even if the daily job has not flipped it back yet.
        return self.status is ChampionStatus.PAUSED and self.paused_until is not None and self.paused_until <= today


class Closeness(IntEnum):
    """Why a champion was suggested, closest first."""

    TEAM = 0
    DEPARTMENT = 1
    OFFICE = 2
    FOCUS_AREA = 3


@dataclass(frozen=True, slots=True)
class Suggestion:
    candidate: Candidate
    closeness: Closeness


@dataclass(frozen=True, slots=True)
class Referral:
    """Who a search pointed a colleague (a member) to, and when."""

    asker_member_id: int
    champion_ids: tuple[int, ...]
    at: datetime


@dataclass(frozen=True, slots=True)
class ChampionQuery:
    """Who is asking (their unit, possibly unknown) and for what (an optional focus area)."""

    asker_teams_user_id: str
    unit: Unit
    focus_area: str | None = None


def closeness(asker: Unit, champion: Unit) -> Closeness | None:
    same = _same_name
    # Team names repeat across departments ("Team A"); a team is the same only in the same department.
    if asker.team and same(asker.team, champion.team) and same(asker.department, champion.department):
        return Closeness.TEAM
    if asker.department and same(asker.department, champion.department):
        return Closeness.DEPARTMENT
    if asker.office and same(asker.office, champion.office):
        return Closeness.OFFICE
    return None


def suggest_champions(
    query: ChampionQuery, candidates: Iterable[Candidate], today: date, limit: int = MAX_SUGGESTIONS
) -> list[Suggestion]:
    """Same team first, then department, then office, then anyone with the focus area asked for.

    With a focus area, only champions who have it qualify. Ties go to the champion fewer
    colleagues were already pointed to, then to who enrolled first (an order the database
    keeps in an index, so a search reads a few champions however many a department has);
    paused champions and the asker are skipped.
    """
    focus = normalize_text(query.focus_area) if query.focus_area else None
    ranked: list[tuple[tuple[int, int, int], Suggestion]] = []
    for candidate in candidates:
        if candidate.teams_user_id == query.asker_teams_user_id or not candidate.available_on(today):
            continue
        if focus is not None and focus not in {normalize_text(area) for area in candidate.focus_areas}:
            continue
        tier = closeness(query.unit, candidate.unit)
        if tier is None:
            if focus is None:
                continue
            tier = Closeness.FOCUS_AREA
        key = (int(tier), candidate.people_pointed, candidate.champion_id)
        ranked.append((key, Suggestion(candidate, tier)))
    ranked.sort(key=lambda item: item[0])
    return [suggestion for _, suggestion in ranked[:limit]]


def _same_name(left: str, right: str) -> bool:
    return bool(left) and normalize_text(left) == normalize_text(right)


def parse_languages(answer: str) -> tuple[str, ...]:
    """Languages a champion helps in, as typed ("English, Italiano"), de-duplicated."""
    languages: list[str] = []
    for part in answer.replace(";", ",").split(","):
        name = " ".join(part.split())
        if not name:
            continue
        if len(name) > 40:
            raise AnswerError("answer.too_long", limit=40)
        if name.casefold() not in {language.casefold() for language in languages}:
            languages.append(name)
    if not languages:
        raise AnswerError("answer.empty")
    if len(languages) > MAX_LANGUAGES:
        raise AnswerError("answer.too_many", limit=MAX_LANGUAGES)
    return tuple(languages)


def parse_end_date(answer: str, today: date, max_days: int = 366) -> date:
    """A pause's end date (YYYY-MM-DD, as Input.Date sends it), after today and within a year."""
    try:
        end = date.fromisoformat(answer.strip())
    except ValueError:
        raise AnswerError("answer.not_a_date") from None
    if end <= today:
        raise AnswerError("answer.date_not_future")
    if (end - today).days > max_days:
        raise AnswerError("answer.date_too_far", days=max_days)
    return end


def parse_focus_areas(answer: str) -> tuple[str, ...]:
    areas: list[str] = []
    for part in answer.split(","):
        name = " ".join(part.split())
        if name and name.casefold() not in {area.casefold() for area in areas}:
            if len(name) > 64:
                raise AnswerError("answer.too_long", limit=64)
            areas.append(name)
    if not areas:
        raise AnswerError("answer.empty")
    if len(areas) > 20:
        raise AnswerError("answer.too_many", limit=20)
    return tuple(areas)


# --- coverage ---------------------------------------------------------------------------

EVERY_UNIT = "*"
MAX_TARGET = 10_000


class TargetMode(StrEnum):
    ABSOLUTE = "absolute"
    PER_EMPLOYEES = "per_employees"


@dataclass(frozen=True, slots=True)
class Target:
    mode: TargetMode
    value: int

    def required(self, headcount: int) -> int:
        if self.mode is TargetMode.ABSOLUTE:
            return self.value
        return math.ceil(headcount / self.value) if headcount else 0

    def describe(self) -> str:
        return str(self.value) if self.mode is TargetMode.ABSOLUTE else f"1/{self.value}"


@dataclass(frozen=True, slots=True)
class TargetSetting:
    kind: UnitKind
    unit_name: str  # EVERY_UNIT for the default of that kind
    target: Target


# Words leads may use for the unit kinds, in every shipped language.
_KIND_WORDS: dict[str, UnitKind] = {
    "office": UnitKind.OFFICE,
    "ufficio": UnitKind.OFFICE,
    "sede": UnitKind.OFFICE,
    "สำนักงาน": UnitKind.OFFICE,
    "department": UnitKind.DEPARTMENT,
    "dept": UnitKind.DEPARTMENT,
    "reparto": UnitKind.DEPARTMENT,
    "dipartimento": UnitKind.DEPARTMENT,
    "แผนก": UnitKind.DEPARTMENT,
    "team": UnitKind.TEAM,
    "squadra": UnitKind.TEAM,
    "ทีม": UnitKind.TEAM,
}
_EVERY_WORDS = {"*", "all", "every", "each", "tutti", "ogni", "ทั้งหมด", "ทุก"}
# "3" or "1 per 50" (also "1 ogni 50", "1 ต่อ 50", "1/50").
_TARGET_AT_END = re.compile(r"^(?P<name>.+?)\s+(?:(?P<one>1)\s*(?:per|ogni|ต่อ|/)\s*(?P<per>\d+)|(?P<absolute>\d+))$")


def parse_target(argument: str) -> TargetSetting:
    """`office Milan 3`, `department Sales 1 per 50`, `team all 1` -> a target setting."""
    words = argument.strip().split(maxsplit=1)
    if len(words) < 2 or normalize_text(words[0]) not in _KIND_WORDS:
        raise AnswerError("target.usage")
    kind = _KIND_WORDS[normalize_text(words[0])]
    match = _TARGET_AT_END.match(words[1].strip())
    if match is None:
        raise AnswerError("target.usage")
    name = " ".join(match["name"].split())
    if normalize_text(name) in _EVERY_WORDS:
        name = EVERY_UNIT
    if match["per"] is not None:
        target = Target(TargetMode.PER_EMPLOYEES, int(match["per"]))
    else:
        target = Target(TargetMode.ABSOLUTE, int(match["absolute"]))
    if target.mode is TargetMode.PER_EMPLOYEES and not 1 <= target.value <= MAX_TARGET:
        raise AnswerError("target.out_of_range", limit=MAX_TARGET)
    if target.mode is TargetMode.ABSOLUTE and not 0 <= target.value <= MAX_TARGET:
        raise AnswerError("target.out_of_range", limit=MAX_TARGET)
    return TargetSetting(kind, name, target)


@dataclass(frozen=True, slots=True)
class UnitCoverage:
    kind: UnitKind
    name: str
    headcount: int
    champions: int
    target: Target | None
    unmatched_requests: int

    @property
    def required(self) -> int | None:
        return self.target.required(self.headcount) if self.target else None

    @property
    def uncovered(self) -> bool:
        """People work here and no champion does: a gap even before a lead sets a target."""
        return self.headcount > 0 and self.champions == 0

    @property
    def gap(self) -> int:
        """Champions missing to reach the target; without one, a unit with nobody still needs one."""
        required = self.required
        if required is None:
            return 1 if self.uncovered else 0
        return max(0, required - self.champions)


@dataclass(frozen=True, slots=True)
class UnitFigures:
    """What storage counts per unit."""

    headcount: int = 0
    champions: int = 0
    unmatched_requests: int = 0


def coverage_report(
    figures: Mapping[tuple[UnitKind, str], UnitFigures], targets: Iterable[TargetSetting]
) -> list[UnitCoverage]:
    """Every unit with its target and gap, worst first.

    Worst = biggest gap, then most "no champion found" requests, then fewest champions per
    employee, so units without a target still surface when people cannot find anyone.
    """
    by_unit: dict[tuple[UnitKind, str], Target] = {}
    defaults: dict[UnitKind, Target] = {}
    for setting in targets:
        if setting.unit_name == EVERY_UNIT:
            defaults[setting.kind] = setting.target
        else:
            by_unit[(setting.kind, normalize_text(setting.unit_name))] = setting.target
    rows = [
        UnitCoverage(
            kind=kind,
            name=name,
            headcount=unit.headcount,
            champions=unit.champions,
            target=by_unit.get((kind, normalize_text(name)), defaults.get(kind)),
            unmatched_requests=unit.unmatched_requests,
        )
        for (kind, name), unit in figures.items()
    ]
    rows.sort(
        key=lambda row: (
            -row.gap,
            not row.uncovered,
            -row.unmatched_requests,
            row.champions / row.headcount if row.headcount else math.inf,
            row.kind.value,
            row.name.casefold(),
        )
    )
    return rows


def parse_commitment(hours: object, period: object) -> dict[str, int | str]:
    """The settings card's hours and period: whole hours from 1, a week or a month."""
    try:
        value = int(str(hours).strip())
    except ValueError:
        value = 0  # refused below with the others
    if not 1 <= value <= MAX_COMMITMENT_HOURS or period not in COMMITMENT_PERIODS:
        raise AnswerError("settings.bad_commitment", limit=MAX_COMMITMENT_HOURS)
    return {"commitment_hours": value, "commitment_period": str(period)}

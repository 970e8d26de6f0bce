"""Coverage plan: how many champions each office, department or team should have, and the gaps."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from domain.champions import AnswerError, UnitKind
from domain.commands import normalize_text

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
    def gap(self) -> int:
        required = self.required
        return max(0, required - self.champions) if required is not None else 0


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
            -row.unmatched_requests,
            row.champions / row.headcount if row.headcount else math.inf,
            row.kind.value,
            row.name.casefold(),
        )
    )
    return rows

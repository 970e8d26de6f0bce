"""Digests: what a lead reads each week and a sponsor each month, decided in plain Python.

The figures come from the other slices' pulses; this module decides periods and when each
reader is due, what changed since last week, what needs a lead, and what a group is large
enough to show (3 people for leads, 5 for sponsors)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from domain.periods import parse_week, week_of

# No figure about fewer people than this is shown: leads see a group's answers from 3
# respondents, sponsors any figure from 5 people.
LEAD_MIN_GROUP = 3
SPONSOR_MIN_GROUP = 5
NEEDS_SHOWN = 5
GAPS_SHOWN = 3
AT_RISK_SHOWN = 5
QUOTES_SHOWN = 2
THEMES_FOR_SPONSORS = 3
DECISIONS_SHOWN = 3
WINS_SHOWN = 2
QUOTE_LENGTH = 160
WEEKDAYS = 7
SPONSOR_HOUR = 9
SPONSOR_LATE = timedelta(days=3)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_MENTION = re.compile(r"@\w+")


# --- periods ---------------------------------------------------------------------------------


def week_number(week: str) -> int:
    """A week as one number (202649), for links that carry an integer."""
    monday = parse_week(week)
    if monday is None:
        raise ValueError(week)
    year, number, _ = monday.isocalendar()
    return year * 100 + number


def week_from_number(number: int) -> str | None:
    return week_of(monday) if (monday := parse_week(f"{number // 100}-W{number % 100}")) else None


def local_span(first: date, last: date, timezone: str) -> tuple[datetime, datetime]:
    """[first 00:00, the day after last 00:00) in `timezone`, in UTC."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(first, time(), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(), tzinfo=zone).astimezone(UTC)
    return start, end


def week_span(week: str, timezone: str) -> tuple[datetime, datetime]:
    monday = parse_week(week)
    if monday is None:
        raise ValueError(week)
    return local_span(monday, monday + timedelta(days=6), timezone)


def previous_week(week: str) -> str:
    monday = parse_week(week)
    if monday is None:
        raise ValueError(week)
    return week_of(monday - timedelta(days=7))


def month_of(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def month_span(month: str, timezone: str) -> tuple[datetime, datetime]:
    year, number = (int(part) for part in month.split("-"))
    first = date(year, number, 1)
    following = date(year + number // 12, number % 12 + 1, 1)
    return local_span(first, following - timedelta(days=1), timezone)


def previous_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def first_working_day(year: int, month: int) -> date:
    """The month's first Monday-to-Friday day (public holidays differ by country: not counted)."""
    day = date(year, month, 1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


# --- when each reader is due -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Schedule:
    """A lead's digest day and hour (their own time zone), and a snooze."""

    weekday: int = 0  # Monday
    hour: int = 9
    snoozed_until: date | None = None

    def __post_init__(self) -> None:
        if not (0 <= self.weekday < WEEKDAYS and 0 <= self.hour < 24):
            raise ValueError("weekday 0-6 and hour 0-23")


def lead_due(schedule: Schedule, now: datetime, timezone: str) -> str | None:
    """The week whose digest is due for this lead now (their day and hour have come, local
    time, daylight saving included), or None: not yet this week, or snoozed."""
    local = now.astimezone(ZoneInfo(timezone))
    if schedule.snoozed_until is not None and local.date() <= schedule.snoozed_until:
        return None
    monday = local.date() - timedelta(days=local.weekday())
    due_day = monday + timedelta(days=schedule.weekday)
    due = datetime.combine(due_day, time(schedule.hour), tzinfo=ZoneInfo(timezone))
    return week_of(local.date()) if local >= due else None


def sponsor_due(now: datetime, timezone: str) -> str | None:
    """The month whose sponsor digest is due now: from 09:00 local on the month's first working
    day, about the month before, for three days (a bot down that morning still sends it; a
    sponsor named later in the month waits for the next one)."""
    local = now.astimezone(ZoneInfo(timezone))
    first = first_working_day(local.year, local.month)
    due = datetime.combine(first, time(SPONSOR_HOUR), tzinfo=ZoneInfo(timezone))
    return previous_month(month_of(local.date())) if due <= local < due + SPONSOR_LATE else None


# --- figures ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Change:
    now: float | None
    before: float | None = None

    @property
    def delta(self) -> float | None:
        return None if self.now is None or self.before is None else self.now - self.before


class Health(StrEnum):
    COVERAGE = "coverage"  # share of departments at their target
    ACTIVITY = "activity"  # share of champions who checked in within two rounds
    VOICE = "voice"  # the latest round's response rate
    RECOGNITION = "recognition"  # share of champions recognised in 30 days


def health_line(now: Mapping[str, float | None], before: Mapping[str, float | None]) -> dict[Health, Change]:
    return {figure: Change(now.get(figure.value), before.get(figure.value)) for figure in Health}


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


class Need(StrEnum):
    """What waits for a lead, in the order leads should act on it; each opens with a command."""

    APPLICATIONS = "applications"
    NOMINATIONS = "nominations"
    FEEDBACK_AGED = "feedback_aged"
    FEEDBACK = "feedback"
    QUESTIONS = "questions"  # colleagues' questions the leads hold
    STORIES = "stories"
    HUNT_EVIDENCE = "hunt_evidence"
    HUNT_FLAGS = "hunt_flags"
    DRAWS = "draws"


NEED_COMMANDS: Mapping[Need, str] = {
    Need.APPLICATIONS: "approvals",
    Need.NOMINATIONS: "approvals",
    Need.FEEDBACK_AGED: "feedback",
    Need.FEEDBACK: "feedback",
    Need.QUESTIONS: "open_questions",
    Need.STORIES: "stories",
    Need.HUNT_EVIDENCE: "hunt_evidence",
    Need.HUNT_FLAGS: "hunt_flags",
    Need.DRAWS: "draws",
}


def needs_you(counts: Mapping[Need, int]) -> tuple[tuple[Need, int], ...]:
    """Up to five items with something waiting, most urgent first."""
    return tuple((need, counts[need]) for need in Need if counts.get(need, 0) > 0)[:NEEDS_SHOWN]


@dataclass(frozen=True, slots=True)
class Gap:
    department: str
    headcount: int
    champions: int
    missing: int
    candidates: tuple[str, ...]


def coverage_gaps(
    units: Iterable[tuple[str, int, int, int]], nominees: Iterable[tuple[str, str]], thanked: Iterable[tuple[str, str]]
) -> tuple[Gap, ...]:
    """Departments short of champions, worst first (as `coverage` orders them), each with its
    candidates: pending nominees, then people often thanked who are not serving champions."""
    candidates: dict[str, list[str]] = {}
    for department, name in [*nominees, *thanked]:
        names = candidates.setdefault(department.casefold(), [])
        if name and name not in names:
            names.append(name)
    return tuple(
        Gap(name, headcount, champions, missing, tuple(candidates.get(name.casefold(), ())[:3]))
        for name, headcount, champions, missing in units
        if missing > 0
    )[:GAPS_SHOWN]


class Risk(StrEnum):
    MISSED = "missed"  # the last two check-ins missed
    PAUSED = "paused"  # a long pause
    UNRECOGNISED = "unrecognised"  # nothing in 60 days


@dataclass(frozen=True, slots=True)
class AtRisk:
    name: str
    department: str
    risks: tuple[Risk, ...]


def at_risk(
    champions: Mapping[int, tuple[str, str]],
    missed: Iterable[int],
    paused: Iterable[int],
    active: Iterable[int],
    recognised: Iterable[int],
) -> tuple[tuple[AtRisk, ...], int]:
    """Champions at risk, most risks first, and how many there are in all."""
    found: dict[int, list[Risk]] = {}
    for champion_id in missed:
        found.setdefault(champion_id, []).append(Risk.MISSED)
    for champion_id in paused:
        found.setdefault(champion_id, []).append(Risk.PAUSED)
    for champion_id in set(active) - set(recognised):
        found.setdefault(champion_id, []).append(Risk.UNRECOGNISED)
    rows = [
        AtRisk(champions[champion_id][0], champions[champion_id][1], tuple(risks))
        for champion_id, risks in found.items()
        if champion_id in champions
    ]
    rows.sort(key=lambda row: (-len(row.risks), row.name.casefold()))
    return tuple(rows[:AT_RISK_SHOWN]), len(rows)


def anonymised(text: str) -> str:
    """A quote without the addresses or @names it may carry, shortened."""
    cleaned = _MENTION.sub("@…", _EMAIL.sub("…", " ".join(text.split())))
    return cleaned if len(cleaned) <= QUOTE_LENGTH else cleaned[: QUOTE_LENGTH - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class Voice:
    themes: tuple[tuple[str, int], ...]  # (theme id, answers), most first; empty below the threshold
    respondents: int
    quotes: tuple[tuple[str, str], ...]  # (theme id, quote)
    hidden_groups: int  # departments whose answers were too few to show


def voice(
    by_theme: Mapping[str, int],
    respondents: Mapping[str, int],
    quotes: Sequence[tuple[str, str, str]],  # (theme id, department, text), newest first
    minimum: int,
    shown: int = QUOTES_SHOWN,
    one_per_theme: bool = False,
) -> Voice:
    """The voice of the business, only from groups large enough: the counts by theme when the
    whole has `minimum` respondents, quotes from departments with `minimum` respondents."""
    total = sum(respondents.values())
    large = {department for department, count in respondents.items() if count >= minimum}
    themes = tuple(sorted(by_theme.items(), key=lambda item: (-item[1], item[0]))) if total >= minimum else ()
    chosen: list[tuple[str, str]] = []
    for theme, department, text in quotes:
        if department not in large or (one_per_theme and any(theme == seen for seen, _ in chosen)):
            continue
        chosen.append((theme, anonymised(text)))
        if len(chosen) == shown:
            break
    return Voice(themes, total, tuple(chosen), len(set(respondents) - large))


def verdict(coverage: float | None, active: float | None, voice_rate: float | None) -> str:
    """A one-line verdict for sponsors: the network is on track, needs attention, or at risk."""
    figures = [value for value in (coverage, active, voice_rate) if value is not None]
    if not figures:
        return "starting"
    lowest = min(figures)
    return "on_track" if lowest >= 0.7 else "attention" if lowest >= 0.4 else "at_risk"


@dataclass(frozen=True, slots=True)
class Decision:
    id: int
    question: str
    raised_by: str
    raised_at: datetime


class Answer(StrEnum):
    APPROVE = "approve"
    DISCUSS = "discuss"


@dataclass(frozen=True, slots=True)
class Contests:
    """The congratulatory part: the hunt's podium and biggest mover, and the draws."""

    hunt_title: str = ""
    hunt_top: tuple[tuple[str, int], ...] = ()
    hunt_mover: tuple[str, int] | None = None
    tickets_issued: int = 0
    last_draw: str = ""
    next_draw: str = ""
    next_closes_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Figures:
    """Everything a digest shows, ready for the card and the CSV; built by the workflows."""

    period: str
    health: dict[Health, Change]
    needs: tuple[tuple[Need, int], ...] = ()
    gaps: tuple[Gap, ...] = ()
    at_risk: tuple[AtRisk, ...] = ()
    at_risk_total: int = 0
    voice: Voice = field(default_factory=lambda: Voice((), 0, (), 0))
    # Colleagues' questions by topic in the period ("" for none chosen); only topics asked 3 times or more.
    questions_by_topic: tuple[tuple[str, int], ...] = ()
    themes: Mapping[str, tuple[str | None, str | None]] = field(default_factory=dict)  # id -> (key, text)
    response_trend: tuple[tuple[date, float], ...] = ()
    sentiment_trend: tuple[tuple[date, float], ...] = ()
    feedback_closed: int = 0
    raisers_told: int = 0
    triage_hours: float | None = None
    participation: tuple[tuple[str, int], ...] = ()  # (department, points), most first
    coverage_by_department: tuple[tuple[str, int, int], ...] = ()  # (department, champions, required)
    contests: Contests = field(default_factory=lambda: Contests())
    # Sponsors' own.
    verdict: str = ""
    active_champions: int = 0
    employees: int = 0
    network: tuple[int, int] = (0, 0)  # champions in departments of 5 or more, and the plan for them
    decisions: tuple[Decision, ...] = ()
    wins: tuple[tuple[int, str, str, str], ...] = ()  # (story id, title, impact, department)
    champions_of_month: tuple[tuple[int, str, int], ...] = ()  # (champion id, name, points)
    risky_departments: tuple[str, ...] = ()
    feedback_aged: int = 0
    activity_this_period: int = 0  # answers, points entries, feedback closed: 0 means a quiet period

    @property
    def quiet(self) -> bool:
        """Nothing happened and nothing waits: no digest this time."""
        return self.activity_this_period == 0 and not self.needs


def figures_rows(figures: Figures) -> tuple[list[str], list[list[Any]]]:
    """The digest's figures as rows: section, item, value (shares as fractions, 0 to 1)."""
    rows: list[list[Any]] = []
    for figure in Health:
        change = figures.health[figure]
        rows.append(["health", figure.value, change.now if change.now is not None else ""])
        rows.append(["health_change", figure.value, change.delta if change.delta is not None else ""])
    rows += [["needs", need.value, count] for need, count in figures.needs]
    rows += [["coverage_gap", gap.department, gap.missing] for gap in figures.gaps]
    rows += [["coverage", name, champions] for name, champions, _ in figures.coverage_by_department]
    rows += [["at_risk", row.name, "+".join(risk.value for risk in row.risks)] for row in figures.at_risk]
    rows += [["voice", theme, count] for theme, count in figures.voice.themes]
    rows += [["questions", topic, count] for topic, count in figures.questions_by_topic]
    rows += [["response_rate", day.isoformat(), rate] for day, rate in figures.response_trend]
    rows += [
        ["feedback", "closed", figures.feedback_closed],
        ["feedback", "raisers_told", figures.raisers_told],
        ["feedback", "median_triage_hours", figures.triage_hours if figures.triage_hours is not None else ""],
    ]
    rows += [["participation", name, points] for name, points in figures.participation]
    contests = figures.contests
    rows += [["hunt_top", team, score] for team, score in contests.hunt_top]
    if contests.last_draw:
        rows.append(["tickets", contests.last_draw, contests.tickets_issued])
    return ["period", "section", "item", "value"], [[figures.period, *row] for row in rows]

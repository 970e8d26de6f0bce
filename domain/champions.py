"""Champions: who they are, where they work, and which of them an employee should talk to."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum, StrEnum

from domain.commands import normalize_text
from domain.roles import ChampionStatus

MAX_SUGGESTIONS = 3
MAX_LANGUAGES = 8
MAX_FIELD = 256


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


@dataclass(frozen=True, slots=True)
class ChampionProfile:
    """What a champion enrols with and can edit later."""

    unit: Unit
    focus_areas: tuple[str, ...]
    languages: tuple[str, ...]
    # Consent to be suggested to colleagues; without it they champion without being listed.
    listed: bool = True


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
    colleagues were already pointed to; paused champions and the asker are skipped.
    """
    focus = normalize_text(query.focus_area) if query.focus_area else None
    ranked: list[tuple[tuple[int, int, str, int], Suggestion]] = []
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
        key = (int(tier), candidate.people_pointed, candidate.display_name.casefold(), candidate.champion_id)
        ranked.append((key, Suggestion(candidate, tier)))
    ranked.sort(key=lambda item: item[0])
    return [suggestion for _, suggestion in ranked[:limit]]


def _same_name(left: str, right: str) -> bool:
    return bool(left) and normalize_text(left) == normalize_text(right)


def chat_link(upn: str) -> str:
    """Teams deep link that opens a 1:1 chat."""
    from urllib.parse import quote

    return f"https://teams.microsoft.com/l/chat/0/0?users={quote(upn, safe='@')}"


# --- answers in the enrolment form -------------------------------------------------------


class AnswerError(ValueError):
    """A wrong answer; `reason` is a message key explaining what is expected."""

    def __init__(self, reason: str, **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.params = params


def pick_from(options: Sequence[str], answer: str) -> str:
    """The option the answer names (case- and space-insensitive), or its number in the list."""
    cleaned = answer.strip()
    if cleaned.isdigit() and 1 <= int(cleaned) <= len(options):
        return options[int(cleaned) - 1]
    wanted = normalize_text(cleaned)
    for option in options:
        if normalize_text(option) == wanted:
            return option
    raise AnswerError("answer.not_in_list", options=", ".join(options[:12]))


def pick_many(options: Sequence[str], answer: str) -> tuple[str, ...]:
    """Several options, separated by commas (a card's multi-select sends them that way)."""
    parts = [part for part in (piece.strip() for piece in answer.split(",")) if part]
    if not parts:
        raise AnswerError("answer.pick_at_least_one", options=", ".join(options[:12]))
    picked: list[str] = []
    for part in parts:
        option = pick_from(options, part)
        if option not in picked:
            picked.append(option)
    return tuple(picked)


def free_text(answer: str, limit: int = MAX_FIELD) -> str:
    cleaned = " ".join(answer.split())
    if not cleaned:
        raise AnswerError("answer.empty")
    if len(cleaned) > limit:
        raise AnswerError("answer.too_long", limit=limit)
    return cleaned


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


@dataclass(frozen=True, slots=True)
class ProgramSettings:
    """What leads configure for enrolment; defaults make a fresh install usable."""

    time_commitment: str = "2 hours a month"
    focus_areas: tuple[str, ...] = ("Sales", "Customer Service", "Field Service", "Reporting")
    auto_approve: bool = False
    training_url: str = ""
    community_url: str = ""
    # The channel (conversation id) where new champions are announced.
    champions_channel_id: str = ""
    champions_channel_name: str = ""


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


def parse_url(answer: str) -> str:
    """An https link, or "" to clear it."""
    cleaned = answer.strip()
    if not cleaned or cleaned == "-":
        return ""
    if not cleaned.startswith("https://") or " " in cleaned or len(cleaned) > 1000:
        raise AnswerError("answer.not_a_link")
    return cleaned

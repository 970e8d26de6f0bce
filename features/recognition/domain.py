"""Recognition: stories, kudos, the points ledger, levels and leaderboards. Pure rules."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from domain.answers import AnswerError

MAX_TITLE = 120
MAX_STORY = 2000
MAX_IMPACT = 1000
MAX_REASON = 300
MAX_KUDOS = 300
LEADERBOARD_SIZE = 10


class PointsReason(StrEnum):
    ENROLMENT = "enrolment"
    CHECKIN = "checkin"
    STORY = "story"
    STORY_OF_THE_MONTH = "story_of_the_month"
    KUDOS = "kudos"
    CONTEST = "contest"
    # A sponsor's "thank them" from the monthly digest.
    SPONSOR_THANKS = "sponsor_thanks"
    # A colleague's question answered (ask a champion).
    QUESTION_ANSWERED = "question_answered"
    AWARD = "award"
    REVOKE = "revoke"


# What each action is worth unless leads change it.
DEFAULT_POINTS: Mapping[PointsReason, int] = {
    PointsReason.ENROLMENT: 50,
    PointsReason.CHECKIN: 10,
    PointsReason.STORY: 30,
    PointsReason.STORY_OF_THE_MONTH: 100,
    PointsReason.KUDOS: 5,
    PointsReason.CONTEST: 50,
    PointsReason.SPONSOR_THANKS: 20,
    PointsReason.QUESTION_ANSWERED: 15,
}
CONFIGURABLE = tuple(DEFAULT_POINTS)


@dataclass(frozen=True, slots=True)
class Level:
    key: str  # message key suffix: level.<key>
    threshold: int


LEVELS: tuple[Level, ...] = (
    Level("bronze", 100),
    Level("silver", 300),
    Level("gold", 750),
    Level("platinum", 1500),
)


def levels_reached(before: int, after: int) -> list[Level]:
    """Levels crossed by going from `before` to `after` points (none when points go down)."""
    return [level for level in LEVELS if before < level.threshold <= after]


def level_of(points: int) -> Level | None:
    reached = [level for level in LEVELS if points >= level.threshold]
    return reached[-1] if reached else None


@dataclass(frozen=True, slots=True)
class RecognitionSettings:
    moderation: bool = True
    kudos_per_day: int = 3
    announce_levels: bool = True
    points: Mapping[str, int] = field(default_factory=lambda: {r.value: v for r, v in DEFAULT_POINTS.items()})
    # Channels where published stories are posted; empty means the champions' channel.
    story_channels: tuple[str, ...] = ()

    def value_of(self, reason: PointsReason) -> int:
        return int(self.points.get(reason.value, DEFAULT_POINTS.get(reason, 0)))

    def to_json(self) -> dict[str, Any]:
        return {
            "moderation": self.moderation,
            "kudos_per_day": self.kudos_per_day,
            "announce_levels": self.announce_levels,
            "points": dict(self.points),
            "story_channels": list(self.story_channels),
        }

    @classmethod
    def from_json(cls, value: Mapping[str, Any] | None) -> RecognitionSettings:
        if not value:
            return cls()
        defaults = cls()
        return cls(
            moderation=bool(value.get("moderation", defaults.moderation)),
            kudos_per_day=int(value.get("kudos_per_day", defaults.kudos_per_day)),
            announce_levels=bool(value.get("announce_levels", defaults.announce_levels)),
            points={**defaults.points, **{k: int(v) for k, v in (value.get("points") or {}).items()}},
            story_channels=tuple(value.get("story_channels") or ()),
        )


def parse_recognition_settings(data: Mapping[str, Any], current: RecognitionSettings) -> RecognitionSettings:
    try:
        kudos = int(str(data.get("kudos_per_day", "")).strip())
    except ValueError:
        raise AnswerError("recognition.bad_kudos_limit") from None
    if not 1 <= kudos <= 50:
        raise AnswerError("recognition.bad_kudos_limit")
    points: dict[str, int] = {}
    for reason in CONFIGURABLE:
        try:
            value = int(str(data.get(f"points_{reason.value}", "")).strip())
        except ValueError:
            raise AnswerError("recognition.bad_points") from None
        if not 0 <= value <= 10_000:
            raise AnswerError("recognition.bad_points")
        points[reason.value] = value
    return replace(
        current,
        moderation=str(data.get("moderation")).lower() == "true",
        announce_levels=str(data.get("announce_levels")).lower() == "true",
        kudos_per_day=kudos,
        points=points,
    )


# --- stories ------------------------------------------------------------------------------


class StoryStatus(StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class StoryDraft:
    title: str
    body: str
    impact: str
    hours_saved: float | None
    deals_closed: int | None
    department: str
    focus_areas: tuple[str, ...]
    credited_champion_id: int | None = None
    figures: str | None = None  # as the author wrote them


@dataclass(frozen=True, slots=True)
class Story:
    id: int
    title: str
    body: str
    impact: str
    hours_saved: float | None
    deals_closed: int | None
    department: str
    focus_areas: tuple[str, ...]
    status: StoryStatus
    author_name: str
    author_teams_id: str
    author_locale: str | None
    credited_champion_id: int | None
    credited_name: str | None
    moderated_by: str | None
    reject_reason: str | None
    edited: bool
    story_of_month: str | None
    applause: int
    created_at: datetime
    published_at: datetime | None
    story_of_month_by: str | None = None
    figures: str | None = None  # as the author wrote them
    # Asked not to be named in public posts (`hide me from leaderboards`).
    author_hidden: bool = False
    credited_hidden: bool = False


def story_text(answer: str, limit: int) -> str:
    """Kept as written (line breaks too); only surrounding space is trimmed. Too long is refused."""
    text = answer.replace("\r\n", "\n").strip()
    if not text:
        raise AnswerError("answer.empty")
    if len(text) > limit:
        raise AnswerError("story.too_long", limit=limit, length=len(text))
    if "\x00" in text:
        raise AnswerError("story.bad_characters")
    return text


MAX_FIGURES = 200
_PLAIN_FIGURE = re.compile(r"(?P<number>\d+(?:[.,]\d+)?)\s*(?P<unit>[^\d,;]+)")
_HOURS_WORDS = ("hour", "hours", "h", "hrs", "ore", "ora", "ชั่วโมง", "ชม")
_DEALS_WORDS = ("deal", "deals", "contratti", "contratto", "trattative", "ดีล", "สัญญา")
_SAVED_WORDS = ("", "saved", "risparmiate", "risparmiata", "ที่ประหยัดได้", "closed", "chiusi", "chiuso", "ที่ปิดได้")


def parse_figures(answer: str) -> dict[str, str | float | int | None]:
    """The story's figures as the author wrote them ("25 minutes per quote", "10 hours a week").

    Any wording is kept as written, as long as it has a number. Hours saved and deals closed
    are also read out when a part says just that ("12 hours", "3 deals closed"), never guessed
    from a rate or a period.
    """
    text = " ".join(answer.split())
    if len(text) > MAX_FIGURES:
        raise AnswerError("answer.too_long", limit=MAX_FIGURES)
    if not any(character.isdigit() for character in text):
        raise AnswerError("story.bad_figures")
    hours: float | None = None
    deals: int | None = None
    for part in re.split(r"[,;]|\band\b|\be\b|และ", text.lower()):
        match = _PLAIN_FIGURE.fullmatch(part.strip())
        if match is None:
            continue
        number = float(match.group("number").replace(",", "."))
        unit, _, rest = match.group("unit").strip().partition(" ")
        if rest.strip() not in _SAVED_WORDS or number > 100_000:
            continue
        if unit in _HOURS_WORDS and hours is None:
            hours = round(number, 1)
        elif unit in _DEALS_WORDS and deals is None and number.is_integer():
            deals = int(number)
    return {"text": text, "hours": hours, "deals": deals}


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def previous_month(day: date) -> date:
    return date(day.year - 1, 12, 1) if day.month == 1 else date(day.year, day.month - 1, 1)


# --- kudos --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KudosRequest:
    who: str
    what: str


_KUDOS_FOR = re.compile(r"^(?P<who>.+?)\s+(?:for|per|เรื่อง|สำหรับ)\s+(?P<what>.+)$", re.IGNORECASE | re.DOTALL)


def parse_kudos(argument: str) -> KudosRequest:
    """'Rita for helping with quotes' -> who and what; both are needed."""
    match = _KUDOS_FOR.match(argument.strip())
    if match is None:
        raise AnswerError("kudos.usage")
    what = " ".join(match.group("what").split())
    if len(what) > MAX_KUDOS:
        raise AnswerError("answer.too_long", limit=MAX_KUDOS)
    return KudosRequest(match.group("who").strip(), what)


# --- points and leaderboards --------------------------------------------------------------


class Period(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    ALL_TIME = "all_time"


def period_start(period: Period, today: date) -> date | None:
    if period is Period.MONTH:
        return date(today.year, today.month, 1)
    if period is Period.QUARTER:
        return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return None


@dataclass(frozen=True, slots=True)
class Ranked:
    rank: int
    name: str
    points: float
    # Departments: champions counted, to show points per champion.
    champions: int = 0
    key: int | str = 0
    # Asked not to be named: shown to others as "a colleague" (to themselves by name).
    hidden: bool = False


def rank(rows: Sequence[tuple[Any, str, float]], champions: Mapping[Any, int] | None = None) -> list[Ranked]:
    """Competition ranking: equal points share a rank (1, 2, 2, 4); ties listed by name."""
    ordered = sorted(rows, key=lambda row: (-row[2], row[1].casefold()))
    ranked: list[Ranked] = []
    for index, (key, name, points) in enumerate(ordered):
        position = ranked[-1].rank if ranked and ranked[-1].points == points else index + 1
        ranked.append(Ranked(position, name, points, (champions or {}).get(key, 0), key))
    return ranked


def per_champion(rows: Sequence[tuple[str, str, float]], champions: Mapping[str, int]) -> list[Ranked]:
    """Departments by points per active champion, so a small department can win."""
    averaged = [(key, name, round(points / champions[key], 1)) for key, name, points in rows if champions.get(key)]
    return rank(averaged, dict(champions))


@dataclass(frozen=True, slots=True)
class PointsChange:
    """Awarding or revoking by a lead: `award Rita 20 for running the demo day`."""

    who: str
    points: int
    reason: str


_POINTS_CHANGE = re.compile(
    r"^(?P<who>.+?)\s+(?P<points>\d{1,5})\s+(?:points?\s+|punti\s+|คะแนน\s+)?(?:for|per|เพราะ|เรื่อง)\s+(?P<reason>.+)$",
    re.IGNORECASE | re.DOTALL,
)


def parse_points_change(argument: str) -> PointsChange:
    match = _POINTS_CHANGE.match(argument.strip())
    if match is None:
        raise AnswerError("points.usage")
    points = int(match.group("points"))
    if not 1 <= points <= 10_000:
        raise AnswerError("points.usage")
    reason = " ".join(match.group("reason").split())
    if len(reason) > MAX_REASON:
        raise AnswerError("answer.too_long", limit=MAX_REASON)
    return PointsChange(match.group("who").strip(), points, reason)


def parse_period(argument: str, words: Mapping[str, Period]) -> Period:
    text = " ".join(argument.casefold().split())
    if not text:
        return Period.MONTH
    found = words.get(text)
    if found is None:
        raise AnswerError("leaderboard.usage")
    return found


# --- seasons: leaderboards that start again without deleting anything ---------------------

SEASON_NAME_LENGTH = 40


@dataclass(frozen=True, slots=True)
class Season:
    """A season runs from its start until the next season's (the newest: until now)."""

    name: str
    starts_at: datetime
    ends_at: datetime | None = None


def season_name(text: str) -> str:
    """A season's name as leads type it ("2026-Q4", "Spring launch"); refused when empty or long."""
    name = " ".join(text.split())
    if not name:
        raise AnswerError("season.usage")
    if len(name) > SEASON_NAME_LENGTH:
        raise AnswerError("season.too_long", limit=SEASON_NAME_LENGTH)
    return name


def seasons_in_order(starts: Sequence[tuple[str, datetime]]) -> list[Season]:
    """Each season with its end (the next one's start), oldest first."""
    ordered = sorted(starts, key=lambda item: item[1])
    return [
        Season(name, start, ordered[index + 1][1] if index + 1 < len(ordered) else None)
        for index, (name, start) in enumerate(ordered)
    ]


def season_at(seasons: Sequence[Season], moment: datetime) -> Season | None:
    """The season running at `moment`, if any had started."""
    return next(
        (s for s in reversed(seasons) if s.starts_at <= moment and (s.ends_at is None or moment < s.ends_at)), None
    )


def season_called(seasons: Sequence[Season], name: str) -> Season | None:
    wanted = " ".join(name.casefold().split())
    return next((season for season in seasons if season.name.casefold() == wanted), None)


def exact_champion(candidates: Sequence[tuple[int, str, str]], text: str) -> tuple[int, str, str] | None:
    """One candidate, or the one whose whole name is what was typed."""
    if len(candidates) == 1:
        return candidates[0]
    wanted = " ".join(text.split()).casefold()
    exact = [candidate for candidate in candidates if candidate[1].casefold() == wanted]
    return exact[0] if len(exact) == 1 else None


@dataclass(frozen=True, slots=True)
class Credit:
    """Who a ledger entry credits: a member, the champion they are (if they are one), their department."""

    member_id: int
    department: str
    champion_id: int | None = None

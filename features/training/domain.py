"""A training path for champions: resources by focus area and language, an onboarding
checklist, and progress; decided in plain Python."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from domain.answers import AnswerError, https_link

MAX_TITLE = 120
LANGUAGES = ("en", "it", "th")
ANY = ""
# A required checklist item not done this long after the checklist came is reminded, once a
# period, at most this many times.
REMIND_AFTER = timedelta(days=14)
REMINDERS = 2


@dataclass(frozen=True, slots=True)
class Resource:
    id: int
    title: str
    url: str
    focus_area: str  # "" for every focus area
    language: str  # "" for any language
    required: bool
    checklist: bool  # part of the onboarding checklist

    def suits(self, focus_areas: Iterable[str] | None, language: str | None) -> bool:
        """For these focus areas (None: whatever the area) and this language (None: any)."""
        areas = None if focus_areas is None else {area.casefold() for area in focus_areas}
        area_fits = areas is None or not self.focus_area or self.focus_area.casefold() in areas
        language_fits = not self.language or language is None or self.language == language
        return area_fits and language_fits


def parse_resource(data: Mapping[str, Any], focus_areas: Sequence[str]) -> tuple[str, str, str, str, bool, bool]:
    """(title, url, focus area, language, required, checklist) from the lead's card."""
    title = " ".join(str(data.get("title") or "").split())
    if not title:
        raise AnswerError("training.title_missing")
    if len(title) > MAX_TITLE:
        raise AnswerError("training.title_too_long", limit=MAX_TITLE)
    url = https_link(data.get("url"))
    if not url:
        raise AnswerError("training.url_invalid")
    area = str(data.get("focus_area") or ANY)
    if area and area not in focus_areas:
        raise AnswerError("training.choice_invalid")
    language = str(data.get("language") or ANY)
    if language and language not in LANGUAGES:
        raise AnswerError("training.choice_invalid")
    return title, url, area, language, _flag(data.get("required")), _flag(data.get("checklist"))


def _flag(value: object) -> bool:
    return str(value).strip().lower() == "true"


@dataclass(frozen=True, slots=True)
class Completion:
    name: str
    department: str
    done: int
    required: int

    @property
    def share(self) -> float:
        return self.done / self.required if self.required else 1.0


def by_department(rows: Sequence[Completion]) -> list[tuple[str, float, int]]:
    """(department, share of required items done, champions), least done first."""
    totals: dict[str, list[int]] = {}
    for row in rows:
        done, required, champions = totals.setdefault(row.department, [0, 0, 0])
        totals[row.department] = [done + row.done, required + row.required, champions + 1]
    shares = [
        (department, done / required if required else 1.0, champions)
        for department, (done, required, champions) in totals.items()
    ]
    return sorted(shares, key=lambda item: (item[1], item[0]))

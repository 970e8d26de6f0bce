"""Announcements: what a lead writes, to whom it goes, and when; checked in plain Python."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from domain.answers import AnswerError, https_link

MAX_TEXT = 2000
MAX_LINK_TITLE = 40
MAX_ALT = 200
MAX_UNITS = 30


class AudienceKind(StrEnum):
    CHAMPIONS = "champions"  # every serving champion
    CHAMPION_DEPARTMENTS = "champion_departments"
    CHAMPION_OFFICES = "champion_offices"
    EVERYONE = "everyone"  # everyone the bot can reach who is in the directory
    CHANNELS = "channels"  # the champions' channel and every team channel the bot is in

    @property
    def needs_units(self) -> bool:
        return self in (AudienceKind.CHAMPION_DEPARTMENTS, AudienceKind.CHAMPION_OFFICES)


class Status(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENT = "sent"


@dataclass(frozen=True, slots=True)
class Audience:
    kind: AudienceKind
    units: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "units": list(self.units)}

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Audience:
        return cls(AudienceKind(value["kind"]), tuple(value.get("units") or ()))


@dataclass(frozen=True, slots=True)
class Draft:
    """An announcement as the lead wrote it."""

    text: str
    audience: Audience
    image_url: str = ""
    image_alt: str = ""
    link_title: str = ""
    link_url: str = ""
    send_at: datetime | None = None  # None: when the lead presses Send


@dataclass(frozen=True, slots=True)
class Announcement:
    id: int
    draft: Draft
    status: Status
    created_by: str
    created_at: datetime
    sent_at: datetime | None = None
    recipients: int = 0
    acknowledged: int = 0
    clicked: int = 0
    figures: dict[str, int] = field(default_factory=dict)


def _https(value: object, reason: str) -> str:
    url = https_link(value)
    if url is None:
        raise AnswerError(reason)
    return url


def parse_draft(data: Mapping[str, Any], timezone: str, now: datetime) -> Draft:
    """The compose card's inputs, checked; the first problem is refused with its reason."""
    text = str(data.get("text") or "").strip()
    if not text:
        raise AnswerError("announce.text_missing")
    if len(text) > MAX_TEXT:
        raise AnswerError("announce.text_too_long", limit=MAX_TEXT, length=len(text))
    try:
        kind = AudienceKind(str(data.get("audience") or ""))
    except ValueError:
        raise AnswerError("announce.audience_missing") from None
    units: tuple[str, ...] = ()
    if kind.needs_units:
        units = tuple(dict.fromkeys(" ".join(part.split()) for part in str(data.get("units") or "").split(",")))
        units = tuple(unit for unit in units if unit)
        if not units:
            raise AnswerError("announce.units_missing")
        if len(units) > MAX_UNITS:
            raise AnswerError("announce.too_many_units", limit=MAX_UNITS)
    image_url = _https(data.get("image_url"), "announce.image_not_https")
    image_alt = " ".join(str(data.get("image_alt") or "").split())[:MAX_ALT]
    link_url = _https(data.get("link_url"), "announce.link_not_https")
    link_title = " ".join(str(data.get("link_title") or "").split())
    if link_url and not link_title:
        raise AnswerError("announce.link_title_missing")
    if len(link_title) > MAX_LINK_TITLE:
        raise AnswerError("announce.link_title_too_long", limit=MAX_LINK_TITLE)
    if link_title and not link_url:
        raise AnswerError("announce.link_missing")
    return Draft(
        text=text,
        audience=Audience(kind, units),
        image_url=image_url,
        image_alt=image_alt,
        link_title=link_title,
        link_url=link_url,
        send_at=_send_at(data.get("send_date"), data.get("send_time"), timezone, now),
    )


def _send_at(day: object, at: object, timezone: str, now: datetime) -> datetime | None:
    """A date and time in the program's zone; neither means "when I press Send"."""
    day_text = day.strip() if isinstance(day, str) else ""
    time_text = at.strip() if isinstance(at, str) else ""
    if not day_text and not time_text:
        return None
    try:
        chosen_day = date.fromisoformat(day_text) if day_text else now.astimezone(ZoneInfo(timezone)).date()
        chosen_time = time.fromisoformat(time_text) if time_text else time(9)
    except ValueError:
        raise AnswerError("announce.when_invalid") from None
    moment = datetime.combine(chosen_day, chosen_time, tzinfo=ZoneInfo(timezone))
    if moment <= now:
        raise AnswerError("announce.when_past")
    return moment

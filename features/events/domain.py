"""Events: champion meetings with a Teams link, one-off or recurring, and champions' office
hours; when each occurrence is, and when its reminders go, decided in plain Python."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from domain.answers import AnswerError, https_link

MAX_TITLE = 120
MAX_OCCURRENCES = 26
REMINDERS = {"day": timedelta(days=1), "hour": timedelta(hours=1)}
# A day's reminder this close to the start would come with the hour's: it is skipped.
SAME_DAY = timedelta(hours=12)
WEEKDAY_WORDS = {
    "monday": 0, "mondays": 0, "lunedì": 0, "lunedi": 0, "จันทร์": 0,
    "tuesday": 1, "tuesdays": 1, "martedì": 1, "martedi": 1, "อังคาร": 1,
    "wednesday": 2, "wednesdays": 2, "mercoledì": 2, "mercoledi": 2, "พุธ": 2,
    "thursday": 3, "thursdays": 3, "giovedì": 3, "giovedi": 3, "พฤหัสบดี": 3, "พฤหัส": 3,
    "friday": 4, "fridays": 4, "venerdì": 4, "venerdi": 4, "ศุกร์": 4,
}  # fmt: skip
_HOURS = re.compile(r"^\s*(\S+)\s+(\d{1,2}[:.]\d{2})\s*[-–]\s*(\d{1,2}[:.]\d{2})\s*(.*)$")


class Repeat(StrEnum):
    NONE = "none"
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"  # the same weekday of the month's same week ("second Tuesday")


class AudienceKind(StrEnum):
    CHAMPIONS = "champions"
    CHAMPION_DEPARTMENTS = "champion_departments"
    CHAMPION_OFFICES = "champion_offices"


class Answer(StrEnum):
    YES = "yes"
    NO = "no"


@dataclass(frozen=True, slots=True)
class EventDraft:
    title: str
    starts_at: datetime
    minutes: int
    meeting_url: str
    repeat: Repeat
    occurrences: int
    audience: AudienceKind
    units: tuple[str, ...] = ()


def occurrences(first: datetime, repeat: Repeat, count: int, timezone: str) -> list[datetime]:
    """Each occurrence at the same wall-clock time in the program's zone, daylight saving included."""
    zone = ZoneInfo(timezone)
    local = first.astimezone(zone)
    if repeat is Repeat.NONE:
        return [first]
    found = []
    for index in range(count):
        if repeat is Repeat.MONTHLY:
            day = _same_week_of_month(local.date(), index)
        else:
            day = local.date() + timedelta(weeks=index * (2 if repeat is Repeat.FORTNIGHTLY else 1))
        found.append(datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=zone).astimezone(first.tzinfo))
    return found


def _same_week_of_month(first: date, months_later: int) -> date:
    """The same weekday in the same week of the month, `months_later` months on (the last one
    when that month has no fifth)."""
    week = (first.day - 1) // 7
    year, month = divmod(first.month - 1 + months_later, 12)
    start = date(first.year + year, month + 1, 1)
    day = start + timedelta(days=(first.weekday() - start.weekday()) % 7 + 7 * week)
    return day if day.month == start.month else day - timedelta(weeks=1)


def reminders_due(starts_at: datetime, now: datetime) -> list[str]:
    """The reminders whose time has come and whose occurrence has not started ("day", "hour")."""
    return [name for name, before in REMINDERS.items() if starts_at - before <= now < starts_at]


def parse_event(data: Mapping[str, Any], timezone: str, now: datetime) -> EventDraft:
    title = " ".join(str(data.get("title") or "").split())
    if not title:
        raise AnswerError("event.title_missing")
    if len(title) > MAX_TITLE:
        raise AnswerError("event.title_too_long", limit=MAX_TITLE)
    try:
        day = date.fromisoformat(str(data.get("date") or ""))
        at = time.fromisoformat(str(data.get("time") or ""))
    except ValueError:
        raise AnswerError("event.when_invalid") from None
    starts_at = datetime.combine(day, at, tzinfo=ZoneInfo(timezone))
    if starts_at <= now:
        raise AnswerError("event.when_past")
    minutes_text = str(data.get("minutes") or "60").strip()
    if not minutes_text.isdigit() or not 5 <= int(minutes_text) <= 480:
        raise AnswerError("event.minutes_invalid")
    url = https_link(data.get("meeting_url"))
    if not url:
        raise AnswerError("event.link_invalid")
    try:
        repeat = Repeat(str(data.get("repeat") or "none"))
        audience = AudienceKind(str(data.get("audience") or "champions"))
    except ValueError:
        raise AnswerError("event.choice_invalid") from None
    count_text = str(data.get("occurrences") or "1").strip()
    count = int(count_text) if count_text.isdigit() else 0
    if repeat is not Repeat.NONE and not 2 <= count <= MAX_OCCURRENCES:
        raise AnswerError("event.occurrences_invalid", limit=MAX_OCCURRENCES)
    units = tuple(unit for unit in (" ".join(part.split()) for part in str(data.get("units") or "").split(",")) if unit)
    if audience is not AudienceKind.CHAMPIONS and not units:
        raise AnswerError("event.units_missing")
    return EventDraft(
        title, starts_at, int(minutes_text), url, repeat, count if repeat is not Repeat.NONE else 1, audience, units
    )


@dataclass(frozen=True, slots=True)
class OfficeHours:
    """A champion's regular slot: "Tuesdays 14:00-15:00 Field Service", in their time zone."""

    weekday: int
    starts: time
    ends: time
    topic: str
    timezone: str

    @property
    def minutes(self) -> int:
        return (self.ends.hour * 60 + self.ends.minute) - (self.starts.hour * 60 + self.starts.minute)

    def next_after(self, now: datetime) -> datetime:
        zone = ZoneInfo(self.timezone)
        local = now.astimezone(zone)
        for days in range(8):
            day = local.date() + timedelta(days=days)
            if day.weekday() == self.weekday:
                start = datetime.combine(day, self.starts, tzinfo=zone)
                if start > now:
                    return start
        raise AssertionError("a weekday comes within eight days")


def parse_office_hours(text: str, timezone: str) -> OfficeHours:
    """ "Tuesdays 14:00-15:00 Field Service" (the topic is optional)."""
    match = _HOURS.match(text)
    if match is None:
        raise AnswerError("office_hours.usage")
    weekday = WEEKDAY_WORDS.get(match[1].casefold())
    if weekday is None:
        raise AnswerError("office_hours.usage")
    try:
        starts = time.fromisoformat(match[2].replace(".", ":").zfill(5))
        ends = time.fromisoformat(match[3].replace(".", ":").zfill(5))
    except ValueError:
        raise AnswerError("office_hours.usage") from None
    if ends <= starts:
        raise AnswerError("office_hours.order")
    return OfficeHours(weekday, starts, ends, " ".join(match[4].split())[:80], timezone)

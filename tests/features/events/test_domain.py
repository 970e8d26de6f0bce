"""Events' rules in plain Python: occurrences at the same wall-clock time, reminders, office hours."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from domain.answers import AnswerError
from features.events.domain import Repeat, occurrences, parse_office_hours, reminders_due


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_a_weekly_meeting_keeps_its_local_time_across_a_daylight_saving_change():
    # 15:00 in Rome: 13:00 UTC in summer time, 14:00 UTC from 25 October 2026.
    starts = occurrences(utc(2026, 10, 20, 13), Repeat.WEEKLY, 2, "Europe/Rome")
    assert starts == [utc(2026, 10, 20, 13), utc(2026, 10, 27, 14)]


def test_a_monthly_meeting_stays_on_the_same_week_and_weekday():
    # The second Tuesday of December 2026, then of January and February 2027.
    starts = occurrences(utc(2026, 12, 8, 14), Repeat.MONTHLY, 3, "Europe/Rome")
    assert [start.date().isoformat() for start in starts] == ["2026-12-08", "2027-01-12", "2027-02-09"]


def test_reminders_come_a_day_and_an_hour_before_and_not_after_the_start():
    start = utc(2026, 12, 9, 14)
    assert reminders_due(start, utc(2026, 12, 8, 13, 59)) == []
    assert reminders_due(start, utc(2026, 12, 8, 14)) == ["day"]
    assert reminders_due(start, utc(2026, 12, 9, 13)) == ["day", "hour"]
    assert reminders_due(start, utc(2026, 12, 9, 14)) == []


def test_office_hours_are_read_in_three_languages_and_their_next_slot_found():
    hours = parse_office_hours("martedì 14.00-15:30 Reporting", "Europe/Rome")
    assert (hours.weekday, hours.starts, hours.ends, hours.topic) == (1, time(14), time(15, 30), "Reporting")
    assert parse_office_hours("อังคาร 9:00-10:00", "Asia/Bangkok").starts == time(9)
    assert hours.next_after(utc(2026, 12, 1, 12)) == utc(2026, 12, 1, 13), "later the same Tuesday"
    assert hours.next_after(utc(2026, 12, 1, 13, 30)) == utc(2026, 12, 8, 13)
    for wrong in ("sometimes", "Tuesdays at two", "Sundays 10:00-11:00"):
        with pytest.raises(AnswerError):
            parse_office_hours(wrong, "UTC")

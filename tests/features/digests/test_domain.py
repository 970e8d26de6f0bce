"""The digests' rules in plain Python: periods, who is due when, what a group must number to
be shown, what needs a lead first."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from features.digests.domain import (
    Need,
    Risk,
    Schedule,
    anonymised,
    at_risk,
    coverage_gaps,
    first_working_day,
    lead_due,
    month_span,
    needs_you,
    parse_week,
    sponsor_due,
    verdict,
    voice,
    week_from_number,
    week_number,
    week_of,
    week_span,
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_weeks_are_iso_weeks_and_survive_a_round_trip_through_a_number():
    assert week_of(date(2026, 12, 2)) == "2026-W49"
    assert week_of(date(2027, 1, 1)) == "2026-W53"
    assert parse_week("2026-w49") == date(2026, 11, 30)
    assert parse_week("2026-W54") is None and parse_week("next week") is None
    assert week_from_number(week_number("2026-W49")) == "2026-W49"
    assert week_from_number(202699) is None


def test_a_lead_is_due_at_their_own_day_and_hour_across_a_daylight_saving_change():
    monday_nine = Schedule(weekday=0, hour=9)
    # Rome is UTC+2 in summer and UTC+1 from 25 October 2026.
    assert lead_due(monday_nine, utc(2026, 10, 19, 6, 59), "Europe/Rome") is None
    assert lead_due(monday_nine, utc(2026, 10, 19, 7, 0), "Europe/Rome") == "2026-W43"
    assert lead_due(monday_nine, utc(2026, 10, 26, 7, 30), "Europe/Rome") is None
    assert lead_due(monday_nine, utc(2026, 10, 26, 8, 0), "Europe/Rome") == "2026-W44"
    # Bangkok has no daylight saving: 09:00 there is 02:00 UTC.
    assert lead_due(monday_nine, utc(2026, 11, 30, 2, 0), "Asia/Bangkok") == "2026-W49"
    assert lead_due(Schedule(weekday=2, hour=14), utc(2026, 12, 1, 23), "Asia/Bangkok") is None


def test_a_snoozed_lead_is_not_due_until_the_snooze_ends():
    snoozed = Schedule(snoozed_until=date(2026, 12, 13))
    assert lead_due(snoozed, utc(2026, 12, 7, 12), "UTC") is None
    assert lead_due(snoozed, utc(2026, 12, 14, 12), "UTC") == "2026-W51"
    with pytest.raises(ValueError):
        Schedule(weekday=7)


def test_sponsors_get_last_month_from_the_first_working_day():
    assert first_working_day(2026, 8) == date(2026, 8, 3)  # the 1st is a Saturday
    assert sponsor_due(utc(2026, 8, 1, 12), "Europe/Rome") is None
    assert sponsor_due(utc(2026, 8, 3, 6, 59), "Europe/Rome") is None
    assert sponsor_due(utc(2026, 8, 3, 7, 0), "Europe/Rome") == "2026-07"
    assert sponsor_due(utc(2027, 1, 1, 9), "UTC") == "2026-12"
    assert sponsor_due(utc(2027, 1, 4, 8, 59), "UTC") == "2026-12"
    assert sponsor_due(utc(2027, 1, 4, 9), "UTC") is None, "three days late at most"


def test_spans_are_local_days_in_utc():
    assert week_span("2026-W49", "Asia/Bangkok") == (utc(2026, 11, 29, 17), utc(2026, 12, 6, 17))
    assert month_span("2026-12", "Europe/Rome") == (utc(2026, 11, 30, 23), utc(2026, 12, 31, 23))


def test_a_group_too_small_shows_neither_its_counts_nor_its_words():
    respondents = {"Sales": 3, "Service": 2}
    quotes = [("working", "Service", "Only two of us"), ("working", "Sales", "Quotes are faster, ask me@contoso.com")]
    heard = voice({"working": 5}, respondents, quotes, minimum=3)
    assert heard.themes == (("working", 5),) and heard.respondents == 5
    assert heard.quotes == (("working", "Quotes are faster, ask …"),) and heard.hidden_groups == 1
    for_sponsors = voice({"working": 5}, respondents, quotes, minimum=5)
    assert for_sponsors.themes == (("working", 5),) and for_sponsors.quotes == () and for_sponsors.hidden_groups == 2
    assert voice({"working": 2}, {"Sales": 2}, [], minimum=3).themes == ()


def test_needs_come_most_urgent_first_and_at_most_five():
    counts = {need: 1 for need in Need}
    assert [need for need, _ in needs_you(counts)] == list(Need)[:5]
    assert needs_you({Need.DRAWS: 2, Need.STORIES: 0}) == ((Need.DRAWS, 2),)


def test_gaps_bring_their_candidates_and_risks_are_ranked():
    gaps = coverage_gaps(
        [("Service", 40, 0, 2), ("Sales", 10, 1, 0)], [("service", "Nina")], [("Service", "Ugo"), ("Service", "Nina")]
    )
    assert [(gap.department, gap.missing, gap.candidates) for gap in gaps] == [("Service", 2, ("Nina", "Ugo"))]
    rows, total = at_risk({1: ("Ada", "Sales"), 2: ("Bo", "Service")}, [2], [2], [1, 2], [1])
    assert total == 1 and rows[0].name == "Bo" and rows[0].risks == (Risk.MISSED, Risk.PAUSED, Risk.UNRECOGNISED)


def test_quotes_lose_addresses_and_mentions_and_the_verdict_follows_the_weakest_figure():
    assert anonymised("ask @marco or marco.rossi@contoso.it") == "ask @… or …"
    assert len(anonymised("x" * 500)) == 160
    assert verdict(0.9, 0.8, 0.75) == "on_track"
    assert verdict(0.9, 0.5, None) == "attention"
    assert verdict(0.2, None, None) == "at_risk"
    assert verdict(None, None, None) == "starting"

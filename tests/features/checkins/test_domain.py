from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from domain.answers import AnswerError
from domain.clock import zone
from features.checkins.domain import (
    DEFAULT_QUESTIONS,
    AssignmentStatus,
    Cadence,
    Frequency,
    Question,
    QuestionKind,
    local_schedule,
    missed_in_a_row,
    next_round_date,
    parse_answers,
    parse_cadence,
    parse_question_set,
    round_prepare_at,
    streak,
)
from features.checkins.feedback_domain import FeedbackStatus, parse_feedback_filter

S = AssignmentStatus


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("frequency", "after", "expected"),
    [
        (Frequency.WEEKLY, date(2026, 11, 24), date(2026, 11, 30)),
        (Frequency.WEEKLY, date(2026, 11, 30), date(2026, 11, 30)),
        # Fortnightly counts from the anchor (Monday 2026-11-02): 11-16, 11-30, 12-14 ...
        (Frequency.FORTNIGHTLY, date(2026, 11, 17), date(2026, 11, 30)),
        (Frequency.FORTNIGHTLY, date(2026, 10, 1), date(2026, 11, 2)),
        (Frequency.FORTNIGHTLY, date(2026, 12, 1), date(2026, 12, 14)),
        # Monthly: the first Monday of the month; December's is the 7th, January's the 4th.
        (Frequency.MONTHLY, date(2026, 11, 3), date(2026, 12, 7)),
        (Frequency.MONTHLY, date(2026, 12, 8), date(2027, 1, 4)),
    ],
)
def test_round_dates(frequency, after, expected):
    cadence = Cadence(enabled=True, frequency=frequency, weekday=0, anchor=date(2026, 11, 2))
    assert next_round_date(cadence, after) == expected


def test_each_champion_is_due_at_the_same_wall_clock_time_across_a_daylight_saving_change():
    cadence = Cadence(enabled=True, frequency=Frequency.WEEKLY, local_time=time(10, 0), open_days=5)
    rome, new_york, bangkok = ZoneInfo("Europe/Rome"), ZoneInfo("America/New_York"), ZoneInfo("Asia/Bangkok")
    # Europe leaves summer time on 2026-10-25, the United States on 2026-11-01; Thailand has none.
    assert local_schedule(cadence, date(2026, 10, 19), rome).due_at == utc(2026, 10, 19, 8)
    assert local_schedule(cadence, date(2026, 10, 26), rome).due_at == utc(2026, 10, 26, 9)
    assert local_schedule(cadence, date(2026, 10, 26), new_york).due_at == utc(2026, 10, 26, 14)
    assert local_schedule(cadence, date(2026, 11, 2), new_york).due_at == utc(2026, 11, 2, 15)
    assert local_schedule(cadence, date(2026, 10, 26), bangkok).due_at == utc(2026, 10, 26, 3)
    # Opened before the change, closed after it: still 10:00 on the wall clock five days later.
    across = local_schedule(cadence, date(2026, 10, 21), rome)
    assert (across.due_at, across.closes_at) == (utc(2026, 10, 21, 8), utc(2026, 10, 26, 9))


def test_the_reminder_comes_before_the_close_or_not_at_all():
    schedule = local_schedule(Cadence(open_days=2, remind_after_hours=24), date(2026, 11, 30), ZoneInfo("UTC"))
    assert schedule.remind_at == utc(2026, 12, 1, 10)
    assert local_schedule(Cadence(remind_after_hours=0), date(2026, 11, 30), ZoneInfo("UTC")).remind_at is None


def test_a_round_is_prepared_before_the_earliest_time_zone_reaches_it():
    cadence = Cadence(local_time=time(9, 0))
    prepared = round_prepare_at(cadence, date(2026, 11, 30), ZoneInfo("Europe/Rome"))
    earliest = local_schedule(cadence, date(2026, 11, 30), ZoneInfo("Pacific/Kiritimati")).due_at  # UTC+14
    assert prepared < earliest


def test_an_unknown_time_zone_falls_back_to_the_program_s():
    assert zone("Mars/Olympus", "Europe/Rome").key == "Europe/Rome"
    assert zone(None, "Asia/Bangkok").key == "Asia/Bangkok"


def cadence_form(**changes: str) -> dict[str, str]:
    values = {
        "enabled": "true",
        "frequency": "weekly",
        "weekday": "2",
        "local_time": "09:30",
        "open_days": "4",
        "remind_after_hours": "48",
        "inactive_after": "3",
    }
    return {**values, **changes}


def test_parse_cadence_anchors_the_first_round_on_the_next_matching_day():
    cadence = parse_cadence(cadence_form(), date(2026, 11, 23))  # a Monday
    assert cadence == Cadence(True, Frequency.WEEKLY, 2, time(9, 30), 4, 48, 3, anchor=date(2026, 11, 25))


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"frequency": "daily"}, "cadence.bad_frequency"),
        ({"weekday": "9"}, "cadence.bad_weekday"),
        ({"local_time": "25:00"}, "cadence.bad_time"),
        ({"open_days": "0"}, "cadence.bad_open_days"),
        ({"remind_after_hours": "96"}, "cadence.reminder_after_close"),
        ({"open_days": "9", "remind_after_hours": "1"}, "cadence.overlapping"),
        ({"inactive_after": "x"}, "cadence.bad_inactive"),
    ],
)
def test_parse_cadence_explains_what_is_wrong(changes, reason):
    with pytest.raises(AnswerError) as raised:
        parse_cadence(cadence_form(**changes), date(2026, 11, 23))
    assert raised.value.reason == reason


def test_answers_are_kept_as_written_and_numbers_checked():
    answers = parse_answers(
        DEFAULT_QUESTIONS,
        {"q_working": '  Quotes in **two** clicks {"x": 1} ', "q_sentiment": "4", "q_hours": "2,5", "q_other": "x"},
    )
    assert answers.values == {"working": 'Quotes in **two** clicks {"x": 1}', "sentiment": 4, "hours": 2.5}
    assert (answers.sentiment, answers.hours) == (4, 2.5)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({}, "checkin.empty"),
        ({"q_working": "   "}, "checkin.empty"),
        ({"q_sentiment": "6"}, "checkin.bad_scale"),
        ({"q_hours": "lots"}, "checkin.bad_hours"),
        ({"q_hours": "-1"}, "checkin.bad_hours"),
        ({"q_hours": "nan"}, "checkin.bad_hours"),
        ({"q_working": "x" * 2001}, "answer.too_long"),
    ],
)
def test_wrong_answers_are_refused_with_a_reason(data, reason):
    with pytest.raises(AnswerError) as raised:
        parse_answers(DEFAULT_QUESTIONS, data)
    assert raised.value.reason == reason


def test_streak_counts_answers_in_a_row_skips_do_not_break_it_and_open_rounds_are_not_over():
    assert streak([S.SENT, S.ANSWERED, S.SKIPPED, S.ANSWERED, S.MISSED, S.ANSWERED]) == 2
    assert streak([S.MISSED, S.ANSWERED]) == 0
    assert streak([]) == 0


def test_missed_in_a_row_needs_that_many_finished_misses():
    assert missed_in_a_row([S.SENT, S.MISSED, S.MISSED, S.MISSED], 3)
    assert not missed_in_a_row([S.MISSED, S.SKIPPED, S.MISSED, S.MISSED], 3)
    assert not missed_in_a_row([S.MISSED, S.MISSED], 3)


def test_a_default_question_left_as_shown_stays_translated_and_a_new_one_is_kept_as_written():
    shown = {"working": "What is working well?", "hours": "Hours spent"}
    rows = [
        ("What is working well?", "text"),
        ("Quale modulo usate di più?", "text"),
        ("Hours spent", "hours"),
        ("", ""),
    ]
    questions = parse_question_set(rows, DEFAULT_QUESTIONS, shown)
    assert questions[0] == DEFAULT_QUESTIONS[0]
    assert questions[1] == Question("c_qualemodulousatedipi", QuestionKind.TEXT, text="Quale modulo usate di più?")
    assert questions[2].key == "checkin.q.hours"
    with pytest.raises(AnswerError):
        parse_question_set([("", "text")], DEFAULT_QUESTIONS, shown)
    with pytest.raises(AnswerError):
        parse_question_set([("Why?", "essay")], DEFAULT_QUESTIONS, shown)


def test_feedback_filters_by_status_word_in_any_language_and_unit():
    words = {"new": FeedbackStatus.NEW, "nuovo": FeedbackStatus.NEW, "won't do": FeedbackStatus.WONT_DO}
    units = ["Sales", "Milan"]
    assert parse_feedback_filter("", words, units).status is None
    assert parse_feedback_filter("Nuovo", words, units).status is FeedbackStatus.NEW
    assert parse_feedback_filter("won't do", words, units).status is FeedbackStatus.WONT_DO
    both = parse_feedback_filter("new milan", words, units)
    assert (both.status, both.unit) == (FeedbackStatus.NEW, "Milan")
    with pytest.raises(AnswerError):
        parse_feedback_filter("Atlantis", words, units)

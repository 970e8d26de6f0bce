"""Matching champions to colleagues, targets and coverage: pure domain rules."""

from __future__ import annotations

from datetime import date

import pytest

from domain.answers import AnswerError, pick_from, pick_many
from domain.people import Unit, UnitKind
from domain.roles import ChampionStatus
from features.enrolment.domain import (
    EVERY_UNIT,
    Candidate,
    ChampionQuery,
    Closeness,
    Target,
    TargetMode,
    TargetSetting,
    UnitFigures,
    coverage_report,
    parse_end_date,
    parse_languages,
    parse_target,
    suggest_champions,
)

TODAY = date(2026, 11, 22)
ASKER = Unit("Sales", "Milan", "North")


def candidate(champion_id, unit, *, focus=("Sales",), pointed=0, status=ChampionStatus.ACTIVE, until=None, name=None):
    return Candidate(
        champion_id, f"29:{champion_id}", name or f"C{champion_id}", None, unit, focus, (), pointed, status, until
    )


def test_team_then_department_then_office():
    found = suggest_champions(
        ChampionQuery("29:asker", ASKER),
        [
            candidate(1, Unit("Legal", "Milan", "Contracts")),
            candidate(2, Unit("Sales", "Rome", "South")),
            candidate(3, Unit("Sales", "Milan", "North")),
            candidate(4, Unit("Service", "Turin", "Field")),
        ],
        TODAY,
    )
    assert [(s.candidate.champion_id, s.closeness) for s in found] == [
        (3, Closeness.TEAM),
        (2, Closeness.DEPARTMENT),
        (1, Closeness.OFFICE),
    ]


def test_a_team_of_the_same_name_in_another_department_is_not_the_same_team():
    other = candidate(1, Unit("Finance", "Turin", "North"))
    assert suggest_champions(ChampionQuery("29:a", ASKER), [other], TODAY) == []


def test_ties_go_to_fewer_people_then_who_enrolled_first_and_the_asker_and_paused_are_skipped():
    unit = Unit("Sales", "Milan", "North")
    found = suggest_champions(
        ChampionQuery("29:5", ASKER),
        [
            candidate(1, unit, pointed=3, name="Ann"),
            candidate(3, unit, pointed=1, name="Bob"),
            candidate(2, unit, pointed=1, name="Zed"),
            candidate(4, unit, status=ChampionStatus.PAUSED, until=date(2026, 12, 1)),
            candidate(5, unit),  # the asker is a champion too
        ],
        TODAY,
    )
    assert [s.candidate.champion_id for s in found] == [2, 3, 1]


def test_a_pause_that_ended_today_counts_as_available():
    unit = Unit("Sales", "Milan", "North")
    found = suggest_champions(
        ChampionQuery("29:x", ASKER), [candidate(4, unit, status=ChampionStatus.PAUSED, until=TODAY)], TODAY
    )
    assert [s.candidate.champion_id for s in found] == [4]


def test_a_focus_area_filters_and_reaches_beyond_the_unit():
    found = suggest_champions(
        ChampionQuery("29:x", ASKER, "field service"),
        [
            candidate(1, Unit("Sales", "Milan", "North"), focus=("Sales",)),
            candidate(2, Unit("Service", "Turin", "Field"), focus=("Field Service",)),
        ],
        TODAY,
    )
    assert [(s.candidate.champion_id, s.closeness) for s in found] == [(2, Closeness.FOCUS_AREA)]


def test_nobody_near_and_no_focus_means_nobody():
    assert suggest_champions(ChampionQuery("29:x", Unit()), [candidate(1, Unit("Sales", "Milan", "N"))], TODAY) == []


def test_answers_are_picked_by_name_or_number_and_wrong_ones_explain():
    options = ["Sales", "Field Service", "Reporting"]
    assert pick_from(options, " field   SERVICE ") == "Field Service"
    assert pick_from(options, "3") == "Reporting"
    assert pick_many(options, "Reporting, sales, Reporting") == ("Reporting", "Sales")
    with pytest.raises(AnswerError) as error:
        pick_from(options, "Astrology")
    assert error.value.reason == "answer.not_in_list" and "Sales" in error.value.params["options"]
    with pytest.raises(AnswerError):
        pick_many(options, " , ")


def test_languages_and_end_dates():
    assert parse_languages("English, italiano; English") == ("English", "italiano")
    assert parse_end_date("2026-12-01", TODAY) == date(2026, 12, 1)
    for bad, reason in (
        ("tomorrow", "answer.not_a_date"),
        ("2026-11-22", "answer.date_not_future"),
        ("2028-01-01", "answer.date_too_far"),
    ):
        with pytest.raises(AnswerError) as error:
            parse_end_date(bad, TODAY)
        assert error.value.reason == reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("office Milan 3", TargetSetting(UnitKind.OFFICE, "Milan", Target(TargetMode.ABSOLUTE, 3))),
        (
            "department Customer  Service 1 per 50",
            TargetSetting(UnitKind.DEPARTMENT, "Customer Service", Target(TargetMode.PER_EMPLOYEES, 50)),
        ),
        ("ufficio Milano 1 ogni 20", TargetSetting(UnitKind.OFFICE, "Milano", Target(TargetMode.PER_EMPLOYEES, 20))),
        ("team all 1", TargetSetting(UnitKind.TEAM, EVERY_UNIT, Target(TargetMode.ABSOLUTE, 1))),
        ("แผนก Sales 1 ต่อ 30", TargetSetting(UnitKind.DEPARTMENT, "Sales", Target(TargetMode.PER_EMPLOYEES, 30))),
    ],
)
def test_targets_parse_in_every_language(text, expected):
    assert parse_target(text) == expected


@pytest.mark.parametrize(
    "text", ["", "office", "office Milan", "planet Mars 3", "office Milan 1 per 0", "team x 99999"]
)
def test_bad_targets_explain_the_usage(text):
    with pytest.raises(AnswerError):
        parse_target(text)


def test_coverage_needs_ceil_and_sorts_worst_first():
    figures = {
        (UnitKind.OFFICE, "Milan"): UnitFigures(headcount=101, champions=1, unmatched_requests=0),
        (UnitKind.OFFICE, "Rome"): UnitFigures(headcount=10, champions=0, unmatched_requests=4),
        (UnitKind.TEAM, "North"): UnitFigures(headcount=5, champions=2),
    }
    targets = [
        TargetSetting(UnitKind.OFFICE, EVERY_UNIT, Target(TargetMode.PER_EMPLOYEES, 50)),
        TargetSetting(UnitKind.OFFICE, "milan", Target(TargetMode.PER_EMPLOYEES, 25)),
    ]
    rows = coverage_report(figures, targets)
    assert [(row.name, row.required, row.gap) for row in rows] == [("Milan", 5, 4), ("Rome", 1, 1), ("North", None, 0)]


def test_a_unit_with_nobody_is_a_gap_even_without_a_target():
    figures = {
        (UnitKind.TEAM, "Covered"): UnitFigures(headcount=5, champions=1),
        (UnitKind.TEAM, "Empty"): UnitFigures(headcount=4, champions=0),
        (UnitKind.TEAM, "Ghost"): UnitFigures(headcount=0, champions=0),
    }
    rows = coverage_report(figures, [])
    assert [(row.name, row.gap, row.uncovered) for row in rows] == [
        ("Empty", 1, True),
        ("Covered", 0, False),
        ("Ghost", 0, False),
    ]

"""The hunt's rules, without the bot: answers, the deal per team, guesses, scores, hints."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from features.hunts.domain import (
    Guesses,
    GuessRules,
    Highlights,
    PlanError,
    PlayerTally,
    Scoring,
    Standing,
    TeamPlan,
    TeamTally,
    Verdict,
    after_miss,
    answer_key,
    biggest_mover,
    clue_award,
    code_word,
    form_teams,
    group_problem,
    highlights,
    hint_credits,
    judge,
    leg_order,
    may_guess,
    standings,
    variant_index,
)
from features.hunts.plans import TEMPLATES, plan_from_data, plan_to_data, template

NOW = datetime(2026, 12, 7, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Opportunità ", "opportunita"),
        ("OPPORTUNITY!", "opportunity"),
        ("price   list", "Price-List"),
        ("ลูกค้า เป้าหมาย", "ลูกค้าเป้าหมาย"),  # Thai is written without spaces; typed with one
        ("ปี ๒๕๖๙", "ปี 2569"),  # Thai digits
        ("ไทม์\u200bไลน์", "ไทม์ไลน์"),  # a zero-width space from a Thai keyboard
    ],
)
def test_answers_compare_without_case_accents_spacing_or_punctuation(typed, stored):
    assert answer_key(typed) == answer_key(stored)


def test_thai_marks_are_letters_not_accents():
    """Thai vowels and tones are combining marks: dropping them would make different words equal."""
    assert answer_key("ไทม์ไลน์") != answer_key("ไทมไลน")


@given(st.text(max_size=40))
def test_an_answer_key_is_stable(text):
    assert answer_key(answer_key(text)) == answer_key(text)


def test_each_team_is_dealt_its_own_variant_order_and_code_word_the_same_every_time():
    plan = template("d365-sales-basics")
    clue, leg = plan.legs[0].clues[0], plan.legs[0]
    teams = [f"Team {number}" for number in range(12)]
    variants = {team: variant_index("salt", team, clue) for team in teams}
    assert set(variants.values()) == {0, 1}, "both variants are dealt"
    assert variants == {team: variant_index("salt", team, clue) for team in teams}, "and always the same"
    orders = {tuple(c.key for c in leg_order("salt", team, leg)) for team in teams}
    assert len(orders) > 1 and all(order[0] == "lead" for order in orders), "the first clue introduces the leg"
    words = {code_word("salt", team) for team in teams}
    assert len(words) == len(teams) and all(word.split("-")[1].isdigit() for word in words)
    assert code_word("another hunt", "Team 1") != code_word("salt", "Team 1")


def test_a_near_miss_gets_the_authors_words_and_another_teams_answer_is_useless():
    clue = template("d365-sales-basics").legs[0].clues[0]
    assert judge("a lead", clue, 0).verdict is Verdict.SOLVED
    near = judge("Contatto", clue, 0)
    assert near.verdict is Verdict.NEAR_MISS and near.reply["en"].startswith("Close!")
    assert judge("opportunity", clue, 0).verdict is Verdict.OTHER_TEAMS
    assert judge("invoice", clue, 0).verdict is Verdict.WRONG
    assert judge("   ", clue, 0).verdict is Verdict.WRONG


def test_misses_are_limited_per_minute_then_locked_out_longer_each_time_with_a_warning_first():
    rules = GuessRules(per_minute=3, misses_before_lockout=5, first_lockout=timedelta(minutes=2))
    guesses, at = Guesses(), NOW
    warnings, locks = [], []
    for _ in range(5):
        assert may_guess(guesses, at, rules) is None
        missed = after_miss(guesses, at, rules)
        guesses, at = missed.guesses, at + timedelta(seconds=25)
        warnings.append(missed.warning)
        locks.append(missed.locked_until)
    assert warnings == [False, False, False, True, False], "warned one guess before"
    assert locks[:4] == [None] * 4 and locks[4] is not None
    assert may_guess(guesses, locks[4] - timedelta(seconds=1), rules).locked
    after = locks[4]
    for _ in range(5):
        guesses = after_miss(guesses, after, rules).guesses
        after += timedelta(seconds=25)
    assert guesses.locked_until - (after - timedelta(seconds=25)) == timedelta(minutes=4), "the second lockout doubles"

    fast = Guesses()
    for second in range(3):
        fast = after_miss(fast, NOW + timedelta(seconds=second), rules).guesses
    limited = may_guess(fast, NOW + timedelta(seconds=3), rules)
    assert limited is not None and not limited.locked and limited.until == NOW + timedelta(minutes=1)


def test_a_clue_is_worth_less_to_each_later_team_a_bonus_to_the_first_and_hints_cost_only_on_solving():
    scoring = Scoring(first_solve_bonus=0.5, decay_per_solve=0.1, floor=0.4)
    assert [clue_award(100, before, (), scoring) for before in (0, 1, 2, 6, 9)] == [150, 90, 80, 40, 40]
    assert clue_award(100, 1, (0.2, 0.3), scoring) == 45


def test_breadth_lets_a_small_department_win_and_ties_share_a_rank():
    scoring = Scoring(breadth_weight=1.0)
    board = standings(
        [
            TeamTally("Sales", points=500, players=20, headcount=400, solved=5),
            TeamTally("Legal", points=450, players=9, headcount=10, solved=5),
            TeamTally("Finance", points=100, players=1, headcount=1, solved=1),
            TeamTally("IT", points=100, players=1, headcount=1, solved=1),
        ],
        scoring,
    )
    assert [(s.rank, s.team, s.score) for s in board] == [
        (1, "Legal", 855),
        (2, "Sales", 525),
        (3, "Finance", 200),
        (3, "IT", 200),
    ]


def test_hint_credits_arrive_each_morning_where_the_team_works():
    start = datetime(2026, 12, 7, 8, tzinfo=UTC)  # 09:00 in Rome, 15:00 in Bangkok
    assert hint_credits(start, start, "Europe/Rome", 1, 0, 0) == 1
    assert hint_credits(start, datetime(2026, 12, 8, 5, 59, tzinfo=UTC), "Europe/Rome", 1, 0, 0) == 1
    assert hint_credits(start, datetime(2026, 12, 8, 6, tzinfo=UTC), "Europe/Rome", 1, 0, 0) == 2
    assert hint_credits(start, datetime(2026, 12, 8, 0, tzinfo=UTC), "Asia/Bangkok", 1, 0, 0) == 2
    assert hint_credits(start, datetime(2026, 12, 10, 6, tzinfo=UTC), "Europe/Rome", 1, 2, 1) == 3


@pytest.mark.parametrize("key", TEMPLATES)
def test_the_templates_read_back_from_their_own_files(key):
    plan = template(key)
    assert plan_from_data(json.loads(json.dumps(plan_to_data(plan), ensure_ascii=False))) == plan


def test_a_file_with_a_problem_says_where():
    data = plan_to_data(template("d365-sales-basics"))
    del data["legs"][1]["clues"][0]["variants"][1]["text"]["th"]
    with pytest.raises(PlanError, match=r"legs/1/clues/0/variants/1/text: 'th' is a required property"):
        plan_from_data(data)
    data = plan_to_data(template("d365-sales-basics"))
    data["legs"][0]["fragments"] = ["ADOP"]
    with pytest.raises(PlanError, match="leg around: needs one fragment for each variant of the final clue"):
        plan_from_data(data)


def test_flags_catch_another_teams_answer_instant_solves_and_bursts_of_one_answer():
    from features.hunts.domain import FlagKind, GivenAnswer, flags

    at = NOW
    answers = [
        GivenAnswer("Sales", "lead", 1, "opportunity", "other_teams", at),
        *(
            GivenAnswer("Legal", "stage", member, "Develop!", "wrong", at + timedelta(seconds=20 * member))
            for member in (7, 8, 9)
        ),
        *(
            GivenAnswer("IT", "stage", member, "close", "wrong", at + timedelta(minutes=5 * member))
            for member in (3, 4, 5)
        ),
    ]
    solves = [("Sales", "lead", at, at + timedelta(seconds=12)), ("IT", "lead", at, at + timedelta(minutes=9))]
    found = flags(answers, solves)
    assert [(flag.kind, flag.team) for flag in found] == [
        (FlagKind.BURST, "Legal"),
        (FlagKind.FAST_SOLVE, "Sales"),
        (FlagKind.OTHER_TEAMS_ANSWER, "Sales"),
    ], "three people within two minutes is a burst; three over fifteen minutes is not"


def _board(*teams: str) -> list[Standing]:
    return [Standing(rank, team, 100 - rank, 0, 0.0, 0) for rank, team in enumerate(teams, start=1)]


def test_the_biggest_mover_climbed_most_places_since_the_freeze_and_a_tie_goes_to_the_higher_finish():
    assert biggest_mover(_board("A", "B", "C", "D"), _board("C", "A", "D", "B")) == ("C", 2)
    assert biggest_mover(_board("A", "B", "C", "D"), _board("B", "A", "D", "C")) == ("B", 1), "B and D both climbed one"
    assert biggest_mover(_board("A", "B"), _board("A", "B")) is None, "nobody climbed: no mover"


def test_the_best_first_timer_is_not_the_most_valuable_player_and_nobody_without_points_is_named():
    players = [PlayerTally(1, "Ada", "A", 300), PlayerTally(2, "", "B", 200), PlayerTally(3, "Cy", "A", 0)]
    best = highlights(_board("A", "B"), _board("A", "B"), players, first_timers={1, 2, 3})
    assert best.most_valuable == players[0] and best.first_timer == players[1]
    assert highlights([], [], players, first_timers={1, 3}).first_timer is None, "Cy earned nothing"
    assert highlights([], [], [], set()) == Highlights(), "a hunt nobody scored in names nobody"


def test_teams_are_the_directorys_units_with_the_groups_a_lead_made_playing_together():
    units = [("Finance", 4, "Europe/Rome"), ("Legal", 9, "Asia/Bangkok"), ("Sales", 20, "Europe/Rome")]
    assert form_teams(units, [["legal", "Finance"]]) == [
        TeamPlan("Legal + Finance", ("Legal", "Finance"), 13, "Asia/Bangkok"),
        TeamPlan("Sales", ("Sales",), 20, "Europe/Rome"),
    ], "named as the directory spells them, in the larger unit's time zone"
    assert form_teams(units, []) == [TeamPlan(name, (name,), count, zone) for name, count, zone in units]
    assert group_problem(["Finance", "Legal"], [["Finance", "Legal"], ["legal"]]) == "legal", "in two groups"
    assert group_problem(["Finance"], [["Finance", "Legl"]]) == "Legl"
    assert group_problem(["Finance", "Legal"], [["Finance", "Legal"]]) is None

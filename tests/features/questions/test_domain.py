"""Ask a champion's rules in plain Python: what a question and an answer may be, and ratings."""

from __future__ import annotations

import pytest

from domain.answers import AnswerError
from features.questions.domain import Status, answer_text, question_text, rating


def test_a_question_is_kept_as_typed_with_its_spaces_tidied():
    assert question_text("  How do I   convert a lead?  ") == "How do I convert a lead?"
    with pytest.raises(AnswerError) as short:
        question_text("hi")
    assert short.value.reason == "ask.usage"
    with pytest.raises(AnswerError) as long:
        question_text("x" * 1001)
    assert long.value.reason == "ask.too_long" and long.value.params == {"limit": 1000, "length": 1001}


def test_an_answer_keeps_its_lines_and_must_say_something():
    assert answer_text("Step 1\nStep 2\n") == "Step 1\nStep 2"
    for empty in ("", "   ", None, 3):
        with pytest.raises(AnswerError):
            answer_text(empty)


@pytest.mark.parametrize(
    ("value", "expected"), [("5", 5), ("1", 1), (3, 3), ("0", None), ("6", None), ("x", None), (True, None)]
)
def test_a_rating_is_one_to_five(value, expected):
    assert rating(value) == expected


def test_only_questions_with_a_champion_or_the_leads_are_open():
    assert [status for status in Status if status.open] == [Status.WITH_CHAMPION, Status.WITH_LEADS]

"""The training path's rules in plain Python: what suits whom, and completion by department."""

from __future__ import annotations

import pytest

from domain.answers import AnswerError
from features.training.domain import Completion, Resource, by_department, parse_resource


def resource(area: str = "", language: str = "") -> Resource:
    return Resource(1, "x", "https://x", area, language, True, True)


def test_a_resource_suits_a_focus_area_and_language_or_everyone_when_it_names_none():
    assert resource().suits([], "th")
    assert resource("Sales").suits(["sales", "Reporting"], "en") and not resource("Sales").suits(["Reporting"], "en")
    assert resource(language="it").suits([], "it") and not resource(language="it").suits([], "en")
    assert resource(language="it").suits([], None), "a reader whose language is unknown sees everything"


def test_departments_least_done_come_first():
    rows = [Completion("A", "Sales", 1, 2), Completion("B", "Sales", 2, 2), Completion("C", "Service", 0, 1)]
    assert by_department(rows) == [("Service", 0.0, 1), ("Sales", 0.75, 2)]


def test_a_resource_needs_a_title_an_https_link_and_known_choices():
    parsed = parse_resource({"title": " Basics ", "url": "https://x.example", "required": "true"}, ["Sales"])
    assert parsed == ("Basics", "https://x.example", "", "", True, False)
    for wrong, reason in (
        ({"url": "https://x.example"}, "training.title_missing"),
        ({"title": "x", "url": "ftp://x"}, "training.url_invalid"),
        ({"title": "x", "url": "https://x.example", "focus_area": "Golf"}, "training.choice_invalid"),
        ({"title": "x", "url": "https://x.example", "language": "fr"}, "training.choice_invalid"),
    ):
        with pytest.raises(AnswerError) as refused:
            parse_resource(wrong, ["Sales"])
        assert refused.value.reason == reason

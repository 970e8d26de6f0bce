"""What a lead may write in an announcement, checked in plain Python."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.answers import AnswerError
from features.announcements.domain import AudienceKind, parse_draft

NOW = datetime(2026, 12, 2, 9, tzinfo=UTC)
BASE = {"text": "Hello", "audience": "champions"}


def test_a_draft_keeps_what_was_written_and_tidies_the_units():
    draft = parse_draft({**BASE, "audience": "champion_offices", "units": " Milan ,Rome,  Milan "}, "Europe/Rome", NOW)
    assert draft.audience.kind is AudienceKind.CHAMPION_OFFICES and draft.audience.units == ("Milan", "Rome")
    assert draft.send_at is None


def test_a_time_to_send_is_in_the_program_s_zone_and_in_the_future():
    draft = parse_draft({**BASE, "send_date": "2026-12-03", "send_time": "10:00"}, "Europe/Rome", NOW)
    assert draft.send_at == datetime(2026, 12, 3, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"text": "  "}, "announce.text_missing"),
        ({"text": "x" * 2001}, "announce.text_too_long"),
        ({"audience": "board"}, "announce.audience_missing"),
        ({"audience": "champion_departments", "units": " , "}, "announce.units_missing"),
        ({"image_url": "http://contoso.example/a.png"}, "announce.image_not_https"),
        ({"link_url": "https://contoso.example"}, "announce.link_title_missing"),
        ({"link_title": "Read"}, "announce.link_missing"),
        ({"link_url": "javascript:alert(1)", "link_title": "x"}, "announce.link_not_https"),
        ({"send_date": "tomorrow"}, "announce.when_invalid"),
        ({"send_date": "2026-12-01", "send_time": "10:00"}, "announce.when_past"),
    ],
)
def test_what_is_wrong_is_said(changes, reason):
    with pytest.raises(AnswerError) as refused:
        parse_draft({**BASE, **changes}, "Europe/Rome", NOW)
    assert refused.value.reason == reason

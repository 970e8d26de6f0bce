"""The digest cards rendered by Microsoft's Adaptive Cards renderer in real headless Chromium:
a host without Teams' charts shows each chart's fallback, with the same facts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from bot.assembly import translator_for
from domain.i18n import Texts
from features.digests.domain import Change, Contests, Figures, Health, Need
from features.digests.views import lead_card, sponsor_card
from features.installed import INSTALLED_FEATURES
from tests.support.cards import assert_valid_card
from tests.support.render import render

HEALTH = {figure: Change(0.5, 0.4) for figure in Health}
FIGURES = Figures(
    period="2026-W50",
    health=HEALTH,
    needs=((Need.NOMINATIONS, 2),),
    response_trend=((date(2026, 11, 16), 0.71), (date(2026, 11, 30), 0.86)),
    coverage_by_department=(("Finance", 0, 2), ("Sales", 5, 4)),
    network=(5, 6),
    active_champions=7,
    employees=120,
    verdict="attention",
    contests=Contests(next_draw="December draw", next_closes_at=datetime(2026, 12, 10, 1, tzinfo=UTC)),
)


def texts() -> Texts:
    return Texts(translator_for(INSTALLED_FEATURES), "en-US", "Europe/Rome")


def test_the_lead_digest_s_line_chart_falls_back_to_its_figures_in_a_real_browser(tmp_path):
    card = lead_card(texts(), FIGURES, "https://bot.contoso.example/api/files/digest-csv/x")
    assert_valid_card(card)
    shown = render(card, tmp_path)
    assert shown.rendered
    joined = " | ".join(shown.texts)
    assert "Your week in the champions program (2026-W50)" in shown.texts
    assert "Check-in response rate by round (%)" in shown.texts, joined
    assert [text for text in shown.texts if text in ("Nov 16, 2026", "71%", "Nov 30, 2026", "86%")] == [
        "Nov 16, 2026",
        "71%",
        "Nov 30, 2026",
        "86%",
    ], "the chart's facts, as a list of facts"
    assert "2 nominations to decide" in shown.texts
    assert shown.screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_sponsor_digest_s_bar_chart_falls_back_to_a_table_in_a_real_browser(tmp_path):
    card = sponsor_card(texts(), replace(FIGURES, period="2026-12"))
    assert_valid_card(card)
    shown = render(card, tmp_path)
    assert shown.rendered and shown.texts[0] == "The champions program: December 2026"
    start = shown.texts.index("Champions by department")
    assert shown.texts[start + 1 : start + 10] == [
        "Department",
        "Champions",
        "Target",
        "Finance",
        "0",
        "2",
        "Sales",
        "5",
        "4",
    ], "the bars, as a table"
    assert "5 of 6" in shown.texts and "1 for every 17" in shown.texts
    assert shown.screenshot.stat().st_size > 5_000

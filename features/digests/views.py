"""The digest cards: a lead's week and a sponsor's month, each fact with its action, charts
with a fallback that says the same in a table or text."""

from __future__ import annotations

from domain.i18n import Texts
from features.digests.domain import NEED_COMMANDS, WEEKDAYS, Answer, Change, Figures, Health
from views.cards import (
    Card,
    Element,
    adaptive_card,
    chart,
    choice_input,
    command_action,
    execute_action,
    fact_set,
    open_url_action,
    plain,
    table,
    text_block,
)

SNOOZE = "digests.snooze"
SCHEDULE = "digests.schedule"
THANK = "digests.thank"
DECIDE = "digests.decide"
SNOOZE_WEEKS = (1, 2, 4)


def _percent(t: Texts, value: float | None) -> str:
    return t.percent(value) if value is not None else "—"


def _change(t: Texts, change: Change) -> str:
    delta = change.delta
    if delta is None:
        return _percent(t, change.now)
    points = round(delta * 100)
    return t("digest.change", value=_percent(t, change.now), change=t.signed(points))


def _theme(t: Texts, figures: Figures, theme_id: str) -> str:
    key, text = figures.themes.get(theme_id, (None, theme_id))
    return t(key) if key else plain(text or theme_id)


def _heading(text: str, action: Element | None = None) -> Element:
    """A section's title, with the button that acts on the section beside it (leads' card)."""
    if action is None:
        return text_block(text, weight="Bolder", spacing="Medium", separator=True)
    row = _with_button(text, action)
    row["columns"][0]["items"][0]["weight"] = "Bolder"
    return {**row, "spacing": "Medium", "separator": True}


def _health(t: Texts, figures: Figures) -> list[Element]:
    return [fact_set((t(f"digest.health.{figure.value}"), _change(t, figures.health[figure])) for figure in Health)]


def _response_chart(t: Texts, figures: Figures) -> list[Element]:
    trend = figures.response_trend
    if not trend:
        return []
    title = t("digest.chart.response")
    rows = [(t.day(day), t.percent(rate)) for day, rate in trend]
    data = [{"legend": title, "values": [{"x": t.day(day), "y": round(rate * 100)} for day, rate in trend]}]
    fallback = {"type": "Container", "items": [text_block(title, weight="Bolder"), fact_set(rows)]}
    return [chart("Line", title, data, fallback, yMin=0, yMax=100)]


def _coverage_chart(t: Texts, figures: Figures) -> list[Element]:
    rows = figures.coverage_by_department[:8]
    if not rows:
        return []
    title = t("digest.chart.coverage")
    data = [{"x": plain(name), "y": champions} for name, champions, _required in rows]
    header = [t("digest.department"), t("digest.champions"), t("digest.target")]
    cells = [
        (plain(name), t.number(champions), t.number(required) if required else "—")
        for name, champions, required in rows
    ]
    fallback = {"type": "Container", "items": [text_block(title, weight="Bolder"), table(header, cells, [3, 1, 1])]}
    return [chart("HorizontalBar", title, data, fallback, color="categoricalBlue")]


def lead_card(t: Texts, figures: Figures, csv_link: str | None) -> Card:
    """About a dozen items, each with its action; a section is left out when it has nothing."""
    body: list[Element] = [
        text_block(t("digest.lead.title", week=figures.period), size="Large", weight="Bolder"),
        *_health(t, figures),
    ]
    actions: list[Element] = []
    if figures.needs:
        body.append(_heading(t("digest.needs")))
        for need, count in figures.needs:
            body.append(
                _with_button(
                    t(f"digest.need.{need.value}", count=count), command_action(t("digest.open"), NEED_COMMANDS[need])
                )
            )
    if figures.gaps:
        body.append(_heading(t("digest.gaps")))
        for gap in figures.gaps:
            line = t("digest.gap", department=plain(gap.department), missing=gap.missing, champions=gap.champions)
            if gap.candidates:
                line += " " + t("digest.candidates", names=", ".join(plain(name) for name in gap.candidates))
            body.append(text_block(line))
        actions.append(command_action(t("digest.see_coverage"), "coverage"))
    if figures.at_risk:
        body.append(
            _heading(
                t("digest.at_risk", count=figures.at_risk_total), command_action(t("digest.open"), "checkin_results")
            )
        )
        for row in figures.at_risk:
            reasons = ", ".join(t(f"digest.risk.{risk.value}") for risk in row.risks)
            body.append(text_block(f"{plain(row.name)} ({plain(row.department) or '—'}): {reasons}"))
    heard = figures.voice
    if heard.themes or heard.quotes or heard.hidden_groups or figures.questions_by_topic:
        body.append(_heading(t("digest.voice", count=heard.respondents), command_action(t("digest.open"), "feedback")))
        if heard.themes:
            body.append(fact_set((_theme(t, figures, theme), t.number(count)) for theme, count in heard.themes))
        if figures.sentiment_trend:
            trend = " → ".join(t.number(value, 1) for _, value in figures.sentiment_trend[-4:])
            body.append(text_block(t("digest.sentiment", trend=trend)))
        body += [text_block(f"“{plain(quote)}”", isSubtle=True) for _, quote in heard.quotes]
        if heard.hidden_groups:
            body.append(text_block(t("digest.small_groups", count=heard.hidden_groups, minimum=3), isSubtle=True))
        if figures.questions_by_topic:
            asked = ", ".join(
                t("digest.topic_count", topic=plain(topic) or t("digest.no_topic"), count=count)
                for topic, count in figures.questions_by_topic
            )
            body.append(text_block(t("digest.questions", topics=asked)))
    body += _response_chart(t, figures)
    if figures.feedback_closed or figures.triage_hours is not None:
        body.append(_heading(t("digest.loop")))
        triage = t("digest.hours", hours=round(figures.triage_hours)) if figures.triage_hours is not None else "—"
        body.append(
            fact_set(
                [
                    (t("digest.loop.closed"), t.number(figures.feedback_closed)),
                    (t("digest.loop.told"), t.number(figures.raisers_told)),
                    (t("digest.loop.triage"), triage),
                ]
            )
        )
    if figures.participation:
        body.append(_heading(t("digest.participation"), command_action(t("digest.open"), "leaderboard")))
        body.append(fact_set((plain(name) or "—", t.number(points)) for name, points in figures.participation[:5]))
    body += _contests(t, figures, for_leads=True)
    body.append(_controls(t))
    if csv_link:
        actions.append(open_url_action(t("digest.export"), csv_link))
    return adaptive_card(body, actions)


def _contests(t: Texts, figures: Figures, *, for_leads: bool = False) -> list[Element]:
    contests, lines = figures.contests, []
    if contests.hunt_top:
        podium = ", ".join(
            f"{rank}. {plain(team)} ({t.number(score)})" for rank, (team, score) in enumerate(contests.hunt_top, 1)
        )
        lines.append(t("digest.hunt", title=plain(contests.hunt_title), podium=podium))
        if contests.hunt_mover:
            team, places = contests.hunt_mover
            lines.append(t("digest.mover", team=plain(team), places=places))
    if contests.last_draw:
        lines.append(t("digest.tickets", tickets=contests.tickets_issued, draw=plain(contests.last_draw)))
    if contests.next_draw and contests.next_closes_at is not None:
        lines.append(t("digest.next_draw", draw=plain(contests.next_draw), closes=t.moment(contests.next_closes_at)))
    if not lines:
        return []
    action = None
    if for_leads:
        action = command_action(
            t("digest.open"), "draws" if contests.next_draw or contests.last_draw else "hunt_standings"
        )
    return [_heading(t("digest.contests"), action), *(text_block(line) for line in lines)]


def _controls(t: Texts) -> Element:
    """Snooze, or change the day: a card of its own behind a button, so the digest stays short."""
    days = [(str(day), t(f"digest.weekday.{day}")) for day in range(WEEKDAYS)]
    hours = [(str(hour), f"{hour:02d}:00") for hour in range(6, 21)]
    snoozes = [(str(weeks), t("digest.snooze_weeks", count=weeks)) for weeks in SNOOZE_WEEKS]
    settings = adaptive_card(
        [
            choice_input("weekday", t("digest.day"), days, "0"),
            choice_input("hour", t("digest.hour"), hours, "9"),
        ],
        [execute_action(t("digest.save_day"), SCHEDULE, {})],
    )
    pause = adaptive_card(
        [choice_input("weeks", t("digest.snooze_for"), snoozes, "1")],
        [execute_action(t("digest.snooze"), SNOOZE, {})],
    )
    return {
        "type": "ActionSet",
        "spacing": "Medium",
        "actions": [
            {"type": "Action.ShowCard", "title": t("digest.change_day"), "card": _inner(settings)},
            {"type": "Action.ShowCard", "title": t("digest.snooze"), "card": _inner(pause)},
        ],
    }


def _inner(card: Card) -> Card:
    """A card shown inside another: no schema or width of its own."""
    return {key: value for key, value in card.items() if key not in ("$schema", "msteams", "version")}


def sponsor_card(t: Texts, figures: Figures) -> Card:
    """One screen, aggregates only."""
    month = t.month(figures.period)
    health = figures.health
    body: list[Element] = [
        text_block(t("digest.sponsor.title", month=month), size="Large", weight="Bolder"),
        text_block(t(f"digest.verdict.{figures.verdict}"), weight="Bolder", color=_verdict_color(figures.verdict)),
        fact_set(
            [
                (t("digest.sponsor.coverage"), _percent(t, health[Health.COVERAGE].now)),
                (
                    t("digest.sponsor.network"),
                    t("digest.sponsor.network_value", champions=figures.network[0], required=figures.network[1])
                    if figures.network[1]
                    else "—",
                ),
                (
                    t("digest.sponsor.ratio"),
                    t("digest.sponsor.ratio_value", people=round(figures.employees / figures.active_champions))
                    if figures.active_champions and figures.employees
                    else "—",
                ),
                (t("digest.health.activity"), _percent(t, health[Health.ACTIVITY].now)),
                (t("digest.health.voice"), _percent(t, health[Health.VOICE].now)),
            ]
        ),
        *_coverage_chart(t, figures),
    ]
    if figures.voice.themes:
        body.append(_heading(t("digest.sponsor.themes")))
        quotes = dict(figures.voice.quotes)
        for theme, count in figures.voice.themes:
            line = t("digest.sponsor.theme", theme=_theme(t, figures, theme), count=count)
            body.append(text_block(line))
            if theme in quotes:
                body.append(text_block(f"“{plain(quotes[theme])}”", isSubtle=True, spacing="None"))
    if figures.decisions:
        body.append(_heading(t("digest.sponsor.decisions")))
        for decision in figures.decisions:
            body += [
                text_block(plain(decision.question)),
                {
                    "type": "ActionSet",
                    "actions": [
                        execute_action(
                            t(f"decision.{answer.value}"), DECIDE, {"decision": decision.id, "answer": answer.value}
                        )
                        for answer in Answer
                    ],
                },
            ]
    if figures.wins:
        body.append(_heading(t("digest.sponsor.wins")))
        for _story_id, title, impact, department in figures.wins:
            body.append(text_block(f"**{plain(title)}** ({plain(department) or '—'}): {plain(impact, 200)}"))
    if figures.champions_of_month:
        body.append(_heading(t("digest.sponsor.champions")))
        for champion_id, name, points in figures.champions_of_month:
            body.append(_thank_row(t, champion_id, name, points, figures.period))
    contests = _contests(t, figures)
    risks = []
    if figures.risky_departments:
        risks.append(t("digest.sponsor.gaps", departments=", ".join(plain(name) for name in figures.risky_departments)))
    if figures.feedback_aged:
        risks.append(t("digest.sponsor.aged", count=figures.feedback_aged))
    body += contests
    if risks:
        body += [_heading(t("digest.sponsor.risks")), *(text_block(line) for line in risks)]
    return adaptive_card(body)


def _thank_row(t: Texts, champion_id: int, name: str, points: int, month: str) -> Element:
    thank = execute_action(t("digest.thank"), THANK, {"champion": champion_id, "month": month})
    return _with_button(t("digest.champion_points", name=plain(name), points=points), thank)


def _with_button(text: str, action: Element) -> Element:
    """A line of text with its one button beside it."""
    return {
        "type": "ColumnSet",
        "columns": [
            {"type": "Column", "width": "stretch", "items": [text_block(text)]},
            {"type": "Column", "width": "auto", "items": [{"type": "ActionSet", "actions": [action]}]},
        ],
    }


def _verdict_color(verdict: str) -> str:
    return {"on_track": "Good", "attention": "Warning", "at_risk": "Attention"}.get(verdict, "Default")

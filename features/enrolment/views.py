"""Cards for enrolment, approvals, profiles, finding a champion, nominations and coverage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from domain.i18n import Texts
from domain.people import COMMITMENT_PERIODS, MAX_COMMITMENT_HOURS, ChampionProfile, ProgramSettings, chat_link
from features.enrolment.domain import Closeness, Suggestion, UnitCoverage
from views.cards import (
    COMMAND_VERB,
    Card,
    Element,
    adaptive_card,
    choice_input,
    command_action,
    execute_action,
    fact_set,
    number_input,
    open_url_action,
    plain,
    submit_action,
    text_block,
    toggle_input,
)

APPROVE_CHAMPION = "champion.approve"
DECLINE_CHAMPION = "champion.decline"
APPROVE_NOMINATION = "nomination.approve"
DECLINE_NOMINATION = "nomination.decline"
SAVE_SETTINGS = "program.settings.save"
REASON_INPUT = "reason"
MAX_COVERAGE_ROWS = 25


def _or_dash(value: str) -> str:
    return plain(value) if value else "—"


def profile_facts(t: Texts, profile: ChampionProfile) -> list[tuple[str, str]]:
    unit = profile.unit
    return [
        (t("profile.department"), _or_dash(unit.department)),
        (t("profile.office"), _or_dash(unit.office)),
        (t("profile.team"), _or_dash(unit.team)),
        (t("profile.focus_areas"), _or_dash(", ".join(profile.focus_areas))),
        (t("profile.languages"), _or_dash(", ".join(profile.languages))),
        (t("profile.listed"), t("form.yes") if profile.listed else t("form.no")),
    ]


# --- finding a champion -------------------------------------------------------------------


def suggestion_card(t: Texts, suggestion: Suggestion, office_hours: tuple[datetime, int, str] | None = None) -> Card:
    """A suggested champion; with their next office hours (start, minutes, topic) when they hold some."""
    champion = suggestion.candidate
    facts = [
        (t("profile.focus_areas"), _or_dash(", ".join(champion.focus_areas))),
        (t("profile.office"), _or_dash(champion.unit.office)),
        (t("profile.languages"), _or_dash(", ".join(champion.languages))),
    ]
    if office_hours is not None:
        start, minutes, topic = office_hours
        hours = t("find.office_hours", when=t.moment(start), until=t.clock_time(start + timedelta(minutes=minutes)))
        facts.append((t("find.office_hours_label"), f"{hours} ({plain(topic)})" if topic else hours))
    actions = (
        [open_url_action(t("find.chat", name=champion.display_name), chat_link(champion.upn))] if champion.upn else []
    )
    return adaptive_card(
        [
            text_block(plain(champion.display_name), size="Medium", weight="Bolder"),
            text_block(
                t(f"find.closeness.{Closeness(suggestion.closeness).name.lower()}"), isSubtle=True, spacing="None"
            ),
            fact_set(facts),
        ],
        actions,
    )


def commitment(t: Texts, settings: ProgramSettings) -> str:
    """ "2 hours a month", "2 ore al mese": the program's ask, in the reader's words."""
    return t(f"commitment.{settings.commitment_period}", hours=settings.commitment_hours)


def no_champion_card(t: Texts, lead: str | None, lead_upn: str | None) -> Card:
    """Nobody covers the asker's team yet: who can help meanwhile, and how to fill the gap."""
    text = t("find.none_with_lead", lead=plain(lead)) if lead else t("find.none")
    actions = [open_url_action(t("find.chat", name=lead), chat_link(lead_upn))] if lead and lead_upn else []
    actions.append(command_action(t("find.become"), "join"))
    return adaptive_card([text_block(text)], actions)


# --- enrolment and approval ---------------------------------------------------------------


def application_card(
    t: Texts,
    champion_id: int,
    name: str,
    profile: ChampionProfile,
    decided: tuple[str, str, str | None] | None = None,
    error: str | None = None,
) -> Card:
    """What leads approve or decline; once decided, the same card shows who decided and why."""
    body: list[Element] = [
        text_block(t("approval.title", name=plain(name)), size="Medium", weight="Bolder"),
        fact_set(profile_facts(t, profile)),
    ]
    verbs = (APPROVE_CHAMPION, DECLINE_CHAMPION)
    return _decision_card(t, body, verbs, {"champion_id": champion_id}, decided, error)


def _decision_card(
    t: Texts,
    body: list[Element],
    verbs: tuple[str, str],
    data: dict[str, Any],
    decided: tuple[str, str, str | None] | None,
    error: str | None,
) -> Card:
    """A lead's decision card: Approve / Decline with a reason, or, once decided, who decided and why."""
    if decided is not None:
        outcome, by, reason = decided
        body.append(text_block(t(f"approval.{outcome}_by", lead=plain(by)), weight="Bolder", color="Good"))
        if reason:
            body.append(text_block(t("approval.reason", reason=plain(reason)), isSubtle=True))
        return adaptive_card(body)
    if error:
        body.append(text_block(error, color="Attention"))
    body.append(
        {
            "type": "Input.Text",
            "id": REASON_INPUT,
            "label": t("approval.reason_label"),
            "placeholder": t("approval.reason_placeholder"),
            "maxLength": 500,
        }
    )
    approve, decline = verbs
    return adaptive_card(
        body,
        [execute_action(t("approval.approve"), approve, data), execute_action(t("approval.decline"), decline, data)],
    )


def welcome_card(t: Texts, name: str, settings: ProgramSettings, manager_reached: bool) -> Card:
    steps = [
        t("welcome.step_profile"),
        t("welcome.step_training") if settings.training_url else t("welcome.step_training_soon"),
        t("welcome.step_community") if settings.community_url else t("welcome.step_community_soon"),
        t("welcome.step_manager_sent") if manager_reached else t("welcome.step_manager_forward"),
    ]
    actions: list[Element] = []
    if settings.training_url:
        actions.append(open_url_action(t("welcome.open_training"), settings.training_url))
    if settings.community_url:
        actions.append(open_url_action(t("welcome.open_community"), settings.community_url))
    actions.append(submit_action(t("command.profile.label"), {"command": "profile"}))
    return adaptive_card(
        [
            text_block(t("welcome.title", name=plain(name.split(" ", 1)[0] or name)), size="Medium", weight="Bolder"),
            text_block(t("welcome.checklist")),
            *(text_block(f"{index}. {step}") for index, step in enumerate(steps, 1)),
        ],
        actions,
    )


def manager_fact_sheet(t: Texts, champion_name: str, settings: ProgramSettings, forwarded: bool) -> Card:
    intro = "factsheet.intro_forward" if forwarded else "factsheet.intro"
    return adaptive_card(
        [
            text_block(t("factsheet.title", name=plain(champion_name)), size="Medium", weight="Bolder"),
            text_block(t(intro, name=plain(champion_name))),
            fact_set(
                [
                    (t("factsheet.role"), t("factsheet.role_text")),
                    (t("factsheet.time"), commitment(t, settings)),
                    (t("factsheet.gain"), t("factsheet.gain_text")),
                    (t("factsheet.ask"), t("factsheet.ask_text")),
                ]
            ),
        ]
    )


def new_champion_post(t: Texts, name: str, profile: ChampionProfile) -> Card:
    unit = profile.unit.label
    return adaptive_card(
        [
            text_block(t("channel.new_champion", name=plain(name)), size="Medium", weight="Bolder"),
            text_block(
                t(
                    "channel.new_champion_detail",
                    unit=plain(unit) or "—",
                    areas=plain(", ".join(profile.focus_areas)) or "—",
                )
            ),
        ]
    )


def profile_card(t: Texts, name: str, status: str, profile: ChampionProfile, paused_until: date | None) -> Card:
    body: list[Element] = [
        text_block(t("profile.title", name=plain(name)), size="Medium", weight="Bolder"),
        text_block(t(f"profile.status.{status}", until=paused_until or ""), isSubtle=True),
        fact_set(profile_facts(t, profile)),
    ]
    actions = [submit_action(t("command.edit_profile.label"), {"command": "edit_profile"})]
    if status == "active":
        actions.append(submit_action(t("command.pause.label"), {"command": "pause"}))
    if status == "paused":
        actions.append(submit_action(t("command.resume.label"), {"command": "resume"}))
    if status in ("active", "paused", "pending"):
        actions.append(submit_action(t("command.step_down.label"), {"command": "step_down"}))
    return adaptive_card(body, actions)


# --- nominations --------------------------------------------------------------------------


def nomination_card(
    t: Texts,
    nomination_id: int,
    nominee: str,
    reasons: Sequence[tuple[str, str]],
    decided: tuple[str, str, str | None] | None = None,
    error: str | None = None,
) -> Card:
    body: list[Element] = [
        text_block(t("nomination.card_title", name=plain(nominee)), size="Medium", weight="Bolder"),
        *(text_block(t("nomination.reason_line", by=plain(by), reason=plain(reason))) for by, reason in reasons),
    ]
    verbs = (APPROVE_NOMINATION, DECLINE_NOMINATION)
    return _decision_card(t, body, verbs, {"nomination_id": nomination_id}, decided, error)


def invitation_card(t: Texts, nominators: str, settings: ProgramSettings) -> Card:
    return adaptive_card(
        [
            text_block(t("nomination.invitation_title"), size="Medium", weight="Bolder"),
            text_block(t("nomination.invitation", by=plain(nominators), time=commitment(t, settings))),
        ],
        [submit_action(t("nomination.invitation_join"), {"command": "join"})],
    )


# --- program settings and coverage --------------------------------------------------------


def settings_card(t: Texts, settings: ProgramSettings, notice: str | None = None, error: bool = False) -> Card:
    body: list[Element] = [text_block(t("settings.title"), size="Medium", weight="Bolder")]
    if notice:
        body.append(text_block(notice, color="Attention" if error else "Good"))
    body += [
        {
            "type": "ColumnSet",
            "columns": [
                {
                    "type": "Column",
                    "width": "stretch",
                    "items": [
                        {
                            **number_input(
                                "commitment_hours",
                                t("settings.time_commitment"),
                                settings.commitment_hours,
                                1,
                                MAX_COMMITMENT_HOURS,
                            ),
                            "isRequired": True,
                            "errorMessage": t("settings.bad_commitment", limit=MAX_COMMITMENT_HOURS),
                        }
                    ],
                },
                {
                    "type": "Column",
                    "width": "stretch",
                    "items": [
                        choice_input(
                            "commitment_period",
                            t("settings.commitment_period"),
                            [(period, t(f"settings.per_{period}")) for period in COMMITMENT_PERIODS],
                            settings.commitment_period,
                        )
                    ],
                },
            ],
        },
        {
            "type": "Input.Text",
            "id": "focus_areas",
            "label": t("settings.focus_areas"),
            "value": ", ".join(settings.focus_areas),
            "maxLength": 1000,
            "isRequired": True,
        },
        toggle_input("auto_approve", t("settings.auto_approve"), settings.auto_approve),
        {
            "type": "Input.Text",
            "id": "training_url",
            "label": t("settings.training_url"),
            "value": settings.training_url,
            "style": "Url",
            "maxLength": 1000,
        },
        {
            "type": "Input.Text",
            "id": "community_url",
            "label": t("settings.community_url"),
            "value": settings.community_url,
            "style": "Url",
            "maxLength": 1000,
        },
        text_block(
            t("settings.channel", channel=plain(settings.champions_channel_name or settings.champions_channel_id))
            if settings.champions_channel_id
            else t("settings.no_channel"),
            isSubtle=True,
        ),
    ]
    return adaptive_card(body, [execute_action(t("settings.save"), SAVE_SETTINGS, {})])


def coverage_card(t: Texts, rows: Sequence[UnitCoverage]) -> Card:
    """One compact block per unit, worst first: it reads in Teams' narrow chat column, where a
    six-column table broke its headers mid-word."""
    if not rows:
        return adaptive_card(
            [text_block(t("coverage.title"), size="Medium", weight="Bolder"), text_block(t("coverage.empty"))]
        )
    covered = sum(1 for row in rows if row.gap == 0)
    uncovered = sum(1 for row in rows if row.uncovered)
    summary = t("coverage.summary", covered=covered, units=len(rows))
    if uncovered:
        summary += " " + t("coverage.uncovered", count=uncovered)
    body: list[Element] = [
        text_block(t("coverage.title"), size="Medium", weight="Bolder"),
        text_block(summary, spacing="Small"),
        *(_coverage_unit(t, row) for row in rows[:MAX_COVERAGE_ROWS]),
    ]
    if len(rows) > MAX_COVERAGE_ROWS:
        body.append(text_block(t("coverage.more", count=len(rows) - MAX_COVERAGE_ROWS), isSubtle=True))
    body.append(text_block(t("coverage.how_to_target"), isSubtle=True, size="Small"))
    return adaptive_card(body, [execute_action(t("command.coverage.label"), COMMAND_VERB, {"command": "coverage"})])


def _coverage_unit(t: Texts, row: UnitCoverage) -> Element:
    if row.uncovered:
        badge, color = t("coverage.no_champion"), "Attention"
    elif row.gap:
        badge, color = t("coverage.missing", count=row.gap), "Warning"
    elif row.required is not None:
        badge, color = t("coverage.on_target"), "Good"
    else:
        badge, color = t("coverage.no_target"), "Default"
    if row.required is not None:
        champions = t("coverage.champions_of", champions=row.champions, required=row.required)
    else:
        champions = t("coverage.champions", count=row.champions)
    details = [t(f"unit.{row.kind.value}"), t("coverage.people", count=row.headcount), champions]
    if row.unmatched_requests:
        details.append(t("coverage.not_found", count=row.unmatched_requests))
    return {
        "type": "Container",
        "separator": True,
        "spacing": "Small",
        "items": [
            {
                "type": "ColumnSet",
                "columns": [
                    {"type": "Column", "width": "stretch", "items": [text_block(plain(row.name), weight="Bolder")]},
                    {
                        "type": "Column",
                        "width": "auto",
                        "items": [text_block(badge, color=color, weight="Bolder", horizontalAlignment="Right")],
                    },
                ],
            },
            text_block(" · ".join(details), isSubtle=True, spacing="None", size="Small"),
        ],
    }

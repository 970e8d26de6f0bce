"""Cards for draws: the rules when a draw opens, the commitment when entries close, the
results with their proof, and a lead's card to run a draw (and a new one's form)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from domain.i18n import Texts
from features.lottery.domain import ALGORITHM, AudienceKind, BeaconChain, DrawStatus, EarnedBy, Prize, TicketRules
from views.cards import (
    Card,
    Element,
    adaptive_card,
    choice_input,
    execute_action,
    fact_set,
    number_input,
    plain,
    text_block,
)

NEW_DRAW = "lottery.new"
OPEN_DRAW = "lottery.open"
CLOSE_DRAW = "lottery.close"
RUN_DRAW = "lottery.draw"
PREVIEW_DRAW = "lottery.preview"
DELIVERED = "lottery.delivered"
REPLACE = "lottery.replace"
SHOW_DRAW = "lottery.show"
DRAW_FIELD = "draw_id"
SLOT_FIELD = "slot"
TICKET_FIELD = "ticket"
REASON_FIELD = "reason"
MAX_PRIZES = 20


class DrawView(Protocol):
    """What the cards read of a draw (storage's `Draw`)."""

    @property
    def id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def status(self) -> DrawStatus: ...
    @property
    def prizes(self) -> tuple[Prize, ...]: ...
    @property
    def alternates(self) -> int: ...
    @property
    def opens_at(self) -> datetime: ...
    @property
    def closes_at(self) -> datetime: ...
    @property
    def rules(self) -> TicketRules: ...
    @property
    def registry_hash(self) -> str: ...
    @property
    def merkle_root(self) -> str: ...
    @property
    def exclusion_hash(self) -> str: ...
    @property
    def secret_commitment(self) -> str: ...
    @property
    def seed(self) -> str: ...
    @property
    def beacon_problem(self) -> str: ...


class PlaceView(Protocol):
    @property
    def slot(self) -> int: ...
    @property
    def prize(self) -> int | None: ...
    @property
    def ticket_id(self) -> str: ...
    @property
    def pseudonym(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def delivered(self) -> bool: ...
    @property
    def unavailable(self) -> bool: ...


def _prizes(t: Texts, prizes: Sequence[Prize]) -> str:
    return ", ".join(t("lottery.prize_line", count=prize.quantity, prize=plain(prize.name)) for prize in prizes)


def schedule_lines(t: Texts, rules: TicketRules) -> list[str]:
    """The published ticket schedule, line by line."""
    lines = [t("lottery.rule_base", count=rules.base)]
    for kind in EarnedBy:
        count = rules.per.get(kind, 0)
        if count:
            lines.append(t(f"lottery.rule_{kind.value}", count=count))
    lines.append(t("lottery.rule_kudos_cap", count=rules.kudos_at_most))
    lines.append(t("lottery.rule_cap", count=rules.cap))
    return lines


def opened_card(t: Texts, draw: DrawView) -> Card:
    """For the channel: a draw is open; how to earn tickets (never bought), and when it closes."""
    body: list[Element] = [
        text_block(t("lottery.opened_title", name=plain(draw.name)), size="Large", weight="Bolder"),
        fact_set(
            [
                (t("lottery.prizes"), _prizes(t, draw.prizes)),
                (t("lottery.closes"), t.moment(draw.closes_at)),
            ]
        ),
        text_block(t("lottery.how_to_earn"), weight="Bolder"),
        *[text_block(f"- {line}") for line in schedule_lines(t, draw.rules)],
        text_block(t("lottery.fair_note"), isSubtle=True),
    ]
    return adaptive_card(body)


def commitment_card(t: Texts, draw: DrawView, tickets: int, chain: BeaconChain | None) -> Card:
    """For the channel, as entries close: what the draw is committed to, before anyone can know the result."""
    facts = [
        (t("lottery.tickets"), t.number(tickets)),
        (t("lottery.registry_hash"), draw.registry_hash),
        (t("lottery.merkle_root"), draw.merkle_root),
        (t("lottery.exclusion_hash"), draw.exclusion_hash),
        (t("lottery.secret_commitment"), draw.secret_commitment),
        (t("lottery.algorithm"), ALGORITHM),
    ]
    beacon = getattr(draw, "beacon", None)
    if chain is not None and beacon is not None:
        when = datetime.fromtimestamp(chain.time_of(beacon.round), UTC)
        facts.append((t("lottery.beacon"), t("lottery.beacon_round", round=beacon.round, when=when)))
    body: list[Element] = [
        text_block(t("lottery.committed_title", name=plain(draw.name)), size="Large", weight="Bolder"),
        text_block(t("lottery.committed_note")),
        fact_set([(t("lottery.prizes"), _prizes(t, draw.prizes)), *facts]),
    ]
    return adaptive_card(body)


def _who(t: Texts, place: PlaceView) -> str:
    return plain(place.name) if place.name else t("lottery.pseudonymous", pseudonym=place.pseudonym)


def results_card(t: Texts, draw: DrawView, standing: Sequence[PlaceView], for_leads: bool = False) -> Card:
    """The winners (by name when they agreed to be named, else by pseudonym), the alternates,
    and the seed's inputs; for leads, a button per prize to record it delivered or replace
    an unavailable winner with the next alternate."""
    body: list[Element] = [
        text_block(t("lottery.results_title", name=plain(draw.name)), size="Large", weight="Bolder"),
    ]
    for place in standing:
        if place.prize is None:
            continue
        prize = draw.prizes[place.prize].name
        state = t("lottery.delivered") if place.delivered else ""
        body.append(
            text_block(
                t("lottery.winner_line", prize=plain(prize), who=_who(t, place), ticket=place.ticket_id, state=state)
            )
        )
        if for_leads and not place.delivered:
            data = {DRAW_FIELD: draw.id, SLOT_FIELD: place.slot, TICKET_FIELD: place.ticket_id}
            body.append(
                {
                    "type": "ActionSet",
                    "actions": [
                        execute_action(t("lottery.mark_delivered"), DELIVERED, data),
                        {
                            "type": "Action.ShowCard",
                            "title": t("lottery.replace"),
                            "card": {
                                "type": "AdaptiveCard",
                                "body": [
                                    {
                                        "type": "Input.Text",
                                        "id": REASON_FIELD,
                                        "label": t("lottery.replace_reason"),
                                        "maxLength": 300,
                                        "isRequired": True,
                                        "errorMessage": t("lottery.needs_reason"),
                                    }
                                ],
                                "actions": [execute_action(t("lottery.replace_confirm"), REPLACE, data)],
                            },
                        },
                    ],
                }
            )
    waiting = [place for place in standing if place.prize is None and not place.unavailable]
    if waiting:
        body.append(text_block(t("lottery.alternates", count=len(waiting)), isSubtle=True))
    body += [
        text_block(t("lottery.seed_inputs"), weight="Bolder", separator=True),
        fact_set(
            [
                (t("lottery.registry_hash"), draw.registry_hash),
                (t("lottery.seed"), draw.seed),
                *([(t("lottery.beacon"), t("lottery.beacon_unreachable"))] if draw.beacon_problem else []),
            ]
        ),
        text_block(t("lottery.verify_note"), isSubtle=True),
    ]
    return adaptive_card(body)


def lead_card(t: Texts, draw: DrawView, notice: str = "") -> Card:
    """A lead's view of one draw, with the next step as a button."""
    body: list[Element] = [
        text_block(plain(draw.name), size="Medium", weight="Bolder"),
        text_block(t(f"lottery.status_{draw.status.value}"), isSubtle=True),
    ]
    if notice:
        body.append(text_block(notice, color="Attention", weight="Bolder"))
    body.append(
        fact_set(
            [
                (t("lottery.prizes"), _prizes(t, draw.prizes)),
                (t("lottery.opens"), t.moment(draw.opens_at)),
                (t("lottery.closes"), t.moment(draw.closes_at)),
                (t("lottery.alternates_label"), t.number(draw.alternates)),
            ]
        )
    )
    data = {DRAW_FIELD: draw.id}
    actions = [execute_action(t("lottery.preview"), PREVIEW_DRAW, data)]
    if draw.status is DrawStatus.DRAFT:
        actions.append(execute_action(t("lottery.open"), OPEN_DRAW, data))
    elif draw.status is DrawStatus.OPEN:
        actions.append(execute_action(t("lottery.close_now"), CLOSE_DRAW, data))
    elif draw.status is DrawStatus.COMMITTED:
        actions.append(execute_action(t("lottery.draw_now"), RUN_DRAW, data))
    return adaptive_card(body, actions)


def preview_card(
    t: Texts, draw: DrawView, people: int, tickets: int, rows: Sequence[tuple[str, int, int]], excluded: int
) -> Card:
    body: list[Element] = [
        text_block(t("lottery.preview_title", name=plain(draw.name)), size="Medium", weight="Bolder"),
        fact_set(
            [
                (t("lottery.people"), t.number(people)),
                (t("lottery.tickets"), t.number(tickets)),
                (t("lottery.excluded"), t.number(excluded)),
            ]
        ),
        *[
            text_block(t("lottery.department_line", department=plain(name), people=count, count=held))
            for name, count, held in rows[:15]
        ],
    ]
    return adaptive_card(body, [execute_action(t("lottery.back"), SHOW_DRAW, {DRAW_FIELD: draw.id})])


def new_draw_card(t: Texts, starts: datetime, ends: datetime, notice: str = "") -> Card:
    """A new draw's form: name, prizes (one per line, "2 x Headphones"), window, who may enter,
    the cap, alternates and how many past draws' winners sit this one out."""
    choices = [(kind.value, t(f"lottery.audience_{kind.value}")) for kind in AudienceKind]
    body: list[Element] = [text_block(t("lottery.new_title"), size="Medium", weight="Bolder")]
    if notice:
        body.append(text_block(notice, color="Attention", weight="Bolder"))
    body += [
        _text("name", t("lottery.name"), 200, required=True, error=t("lottery.needs_name")),
        _text(
            "prizes", t("lottery.prizes_input"), 2000, multiline=True, required=True, error=t("lottery.needs_prizes")
        ),
        _date("opens_date", t("lottery.opens_date"), starts),
        _time("opens_time", t("lottery.opens_time"), starts),
        _date("closes_date", t("lottery.closes_date"), ends),
        _time("closes_time", t("lottery.closes_time"), ends),
        choice_input("audience", t("lottery.audience"), choices, AudienceKind.EVERYONE.value),
        _text("units", t("lottery.units"), 1000),
        number_input("cap", t("lottery.cap"), 10, 1, 100),
        number_input("alternates", t("lottery.alternates_label"), 3, 0, 50),
        number_input("exclude_recent", t("lottery.exclude_recent"), 1, 0, 12),
    ]
    return adaptive_card(body, [execute_action(t("lottery.create"), NEW_DRAW, {})])


def _text(
    element: str, label: str, limit: int, *, multiline: bool = False, required: bool = False, error: str = ""
) -> Element:
    field: dict[str, Any] = {
        "type": "Input.Text",
        "id": element,
        "label": label,
        "maxLength": limit,
        "isMultiline": multiline,
    }
    if required:
        field |= {"isRequired": True, "errorMessage": error}
    return field


def _date(element: str, label: str, moment: datetime) -> Element:
    return {
        "type": "Input.Date",
        "id": element,
        "label": label,
        "value": moment.date().isoformat(),  # machine
        "isRequired": True,
    }  # machine


def _time(element: str, label: str, moment: datetime) -> Element:
    return {
        "type": "Input.Time",
        "id": element,
        "label": label,
        "value": moment.strftime("%H:%M"),  # machine
        "isRequired": True,
    }  # machine

"""Cards for hunts: a player's clues, the board, the reveal, and a new hunt's schedule."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from domain.i18n import Texts
from features.hunts.domain import (
    ANSWERED,
    MAX_REASON,
    Board,
    ClueKind,
    Dealt,
    Evidence,
    EvidenceStatus,
    Flag,
    Highlights,
    Hunt,
    HuntPlan,
    Lessons,
    Play,
    Standing,
    localized,
    with_code,
)
from views.cards import (
    Card,
    Element,
    adaptive_card,
    choice_input,
    execute_action,
    fact_set,
    number_input,
    open_url_action,
    plain,
    table,
    text_block,
)

ANSWER = "hunts.answer"
CHECK = "hunts.check"
HINT = "hunts.hint"
SCHEDULE = "hunts.schedule"
REVIEW = "hunts.review"
EDIT_CLUE = "hunts.edit_clue"
SAVE_CLUE = "hunts.save_clue"
LANGUAGE_FIELD = "language"
VERSION_FIELD = "version"
VARIANTS_FIELD = "variants"
HINTS_FIELD = "hints"
MAX_CLUE_TEXT = 1000
EVIDENCE_FIELD = "evidence_id"
DECISION_FIELD = "decision"
REASON_FIELD = "reason"
ACCEPT, REJECT = "accept", "reject"
CLUE_FIELD = "clue"
SEEN_FIELD = "seen"
HUNT_FIELD = "hunt_id"
MAX_ANSWER = 200
MAX_FLAGS = 25


def answer_input(clue_key: str) -> str:
    return f"answer_{clue_key}"


def play_card(t: Texts, play: Play, notice: str = "", error: bool = False) -> Card:
    """The player's open clues, each with its hints and an answer box; their team's progress."""
    hunt, team = play.hunt, play.team
    body: list[Element] = [
        text_block(plain(localized(hunt.plan.title, t.locale)), size="Medium", weight="Bolder"),
    ]
    if notice:
        body.append(text_block(notice, color="Attention" if error else "Good", weight="Bolder", wrap=True))
    facts = [
        (t("hunt.team"), plain(team.name)),
        (t("hunt.code_word"), team.code_word),
        (t("hunt.progress"), t("hunt.solved_of", solved=play.solved, total=play.total)),
        (t("hunt.hint_credits"), t.number(play.hint_credits)),
    ]
    if hunt.ends_at is not None:
        facts.append((t("hunt.ends"), t.moment(hunt.ends_at)))
    if play.captains:
        facts.append((t("hunt.captains", count=len(play.captains)), plain(", ".join(play.captains[:3]))))
    if play.fragments:
        facts.append((t("hunt.fragments"), " · ".join(play.fragments)))
    body.append(fact_set(facts))
    if not play.open:
        body.append(text_block(t("hunt.nothing_open"), wrap=True))
    for item in play.open:
        clue, variant = item.clue, item.clue.variants[item.state.variant]
        title = localized(clue.title, t.locale) if clue.title else t("hunt.clue")
        body.append(
            text_block(
                t("hunt.clue_heading", number=item.number, title=plain(title), count=clue.value),
                weight="Bolder",
                separator=True,
                spacing="Large",
            )
        )
        body.append(text_block(plain(with_code(localized(variant.text, t.locale), team.code_word)), wrap=True))
        for number, hint in enumerate(clue.hints[: item.hints_seen], start=1):
            text = t("hunt.hint_shown", number=number, text=plain(localized(hint.text, t.locale)))
            body.append(text_block(text, isSubtle=True, wrap=True))
            if hint.link:
                body.append(text_block(f"[{t('hunt.learn_more')}]({hint.link})", isSubtle=True))
        if clue.kind is ClueKind.ACTION:
            actions = [execute_action(t("hunt.check_button"), CHECK, {CLUE_FIELD: clue.key})]
        elif clue.kind is ClueKind.EVIDENCE:
            body += _evidence_status(t, item.number, item.reviewing, item.turned_down, several=len(play.open) > 1)
            actions = []
        else:
            body.append(
                {
                    "type": "Input.Text",
                    "id": answer_input(clue.key),
                    "label": t("hunt.your_answer"),
                    "maxLength": MAX_ANSWER,
                }
            )
            actions = [execute_action(t("hunt.answer_button"), ANSWER, {CLUE_FIELD: clue.key})]
        if item.hints_seen < len(clue.hints):
            cost = round(clue.hints[item.hints_seen].cost * 100)
            label = t("hunt.hint_button", percent=cost)
            actions.append(execute_action(label, HINT, {CLUE_FIELD: clue.key, SEEN_FIELD: item.hints_seen}))
        if actions:
            body.append({"type": "ActionSet", "actions": actions})
    return adaptive_card(body)


def _evidence_status(t: Texts, number: int, reviewing: bool, turned_down: str | None, several: bool) -> list[Element]:
    """How to send an evidence clue's picture, and where the last one stands."""
    if reviewing:
        return [text_block(t("hunt.evidence_reviewing"), color="Accent", wrap=True)]
    said = [text_block(t("hunt.evidence_how_several" if several else "hunt.evidence_how", number=number), wrap=True)]
    if turned_down is not None:
        said.insert(0, text_block(t("hunt.evidence_turned_down", reason=plain(turned_down)), color="Attention"))
    return said


def review_card(t: Texts, evidence: Evidence, picture_url: str, notice: str = "") -> Card:
    """A picture sent for an evidence clue, for a champion of another team (or a lead) to judge."""
    clue = evidence.clue
    title = clue.title_in(t.locale)
    asked = with_code(localized(clue.variants[evidence.variant].text, t.locale), evidence.code_word)
    body: list[Element] = [text_block(t("hunt.review_title", clue=plain(title)), size="Medium", weight="Bolder")]
    if notice:
        body.append(text_block(notice, color="Attention", weight="Bolder"))
    body += [
        fact_set([(t("hunt.team"), plain(evidence.team)), (t("hunt.review_sent"), t.moment(evidence.sent_at))]),
        text_block(t("hunt.review_asked_for", text=plain(asked)), wrap=True),
        {
            "type": "Image",
            "url": picture_url,
            "altText": t("hunt.review_picture"),
            "size": "Stretch",
            "selectAction": open_url_action(t("hunt.review_open"), picture_url),
        },
    ]
    if evidence.status is not EvidenceStatus.WAITING:
        key = "hunt.review_was_accepted" if evidence.status is EvidenceStatus.ACCEPTED else "hunt.review_was_rejected"
        body.append(text_block(t(key, by=plain(evidence.decided_by), reason=plain(evidence.reason)), weight="Bolder"))
        return adaptive_card(body, [open_url_action(t("hunt.review_open"), picture_url)])
    body.append(
        {
            "type": "Input.Text",
            "id": REASON_FIELD,
            "label": t("hunt.review_reason"),
            "placeholder": t("hunt.review_reason_hint"),
            "maxLength": MAX_REASON,
            "isMultiline": True,
        }
    )
    data = {EVIDENCE_FIELD: evidence.id}
    return adaptive_card(
        body,
        [
            execute_action(t("hunt.review_accept"), REVIEW, {**data, DECISION_FIELD: ACCEPT}),
            execute_action(t("hunt.review_reject"), REVIEW, {**data, DECISION_FIELD: REJECT}),
            open_url_action(t("hunt.review_open"), picture_url),
        ],
    )


def preview_card(t: Texts, hunt: Hunt, team: str, code: str, dealt: Sequence[Dealt]) -> Card:
    """For a lead: every clue as this team gets it, in its order, with the answers and hints."""
    title = localized(hunt.plan.title, t.locale)
    body: list[Element] = [
        text_block(t("hunt.preview_title", title=plain(title), team=plain(team)), size="Medium", weight="Bolder"),
        text_block(t("hunt.preview_note"), isSubtle=True),
        fact_set([(t("hunt.code_word"), code)]),
    ]
    legs = {leg.key: localized(leg.title, t.locale) for leg in hunt.plan.legs}
    for item in dealt:
        clue, variant = item.clue, item.clue.variants[item.variant]
        clue_title = clue.title_in(t.locale)
        where = legs.get(item.leg_key) or t("hunt.preview_final")
        body.append(
            text_block(
                t(
                    "hunt.preview_heading",
                    leg=plain(where),
                    number=item.position + 1,
                    title=plain(clue_title),
                    count=clue.value,
                ),
                weight="Bolder",
                separator=True,
            )
        )
        body.append(text_block(plain(with_code(localized(variant.text, t.locale), code))))
        if variant.answers:
            body.append(
                text_block(t("hunt.preview_answers", answers=plain(" · ".join(variant.answers))), isSubtle=True)
            )
        elif clue.kind is ClueKind.ACTION:
            body.append(text_block(t("hunt.preview_checked"), isSubtle=True))
        elif clue.kind is ClueKind.EVIDENCE:
            body.append(text_block(t("hunt.preview_reviewed"), isSubtle=True))
        for number, hint in enumerate(clue.hints, start=1):
            text = t("hunt.hint_shown", number=number, text=plain(localized(hint.text, t.locale)))
            body.append(text_block(text, isSubtle=True))
    return adaptive_card(body)


def announce_card(t: Texts, hunt: Hunt) -> Card:
    """For a channel: what the hunt is, when it runs, and how everyone plays (no sign-up)."""
    plan = hunt.plan
    body: list[Element] = [
        text_block(
            t("hunt.announce_title", title=plain(localized(plan.title, t.locale))), size="Large", weight="Bolder"
        ),
        text_block(plain(localized(plan.intro, t.locale))),
    ]
    if hunt.starts_at is not None and hunt.ends_at is not None:
        body.append(fact_set([(t("hunt.starts"), t.moment(hunt.starts_at)), (t("hunt.ends"), t.moment(hunt.ends_at))]))
    body.append(text_block(t("hunt.announce_how"), weight="Bolder"))
    return adaptive_card(body)


def edit_list_card(t: Texts, hunt: Hunt, language: str) -> Card:
    """For a lead: the hunt's clues, to pick one to edit (in `language`)."""
    plan = hunt.plan
    choices = [(clue.key, f"{clue.title_in(language)} ({clue.key})") for clue in plan.clues()]
    body: list[Element] = [
        text_block(t("hunt.edit_title", title=plain(localized(plan.title, t.locale))), size="Medium", weight="Bolder"),
        text_block(t("hunt.edit_note", language=language), isSubtle=True),
        choice_input(CLUE_FIELD, t("hunt.edit_which"), choices, choices[0][0]),
    ]
    data = {HUNT_FIELD: hunt.id, LANGUAGE_FIELD: language}
    return adaptive_card(body, [execute_action(t("hunt.edit_open"), EDIT_CLUE, data)])


def variant_input(number: int, part: str) -> str:
    return f"variant_{number}_{part}"


def hint_input(number: int) -> str:
    return f"hint_{number}"


def edit_clue_card(t: Texts, hunt: Hunt, clue_key: str, language: str, notice: str = "", error: bool = False) -> Card:
    """One clue's words in `language`, its value, each variant's text and accepted answers, and
    its hints, as inputs a lead changes and saves."""
    clue = hunt.plan.clue(clue_key)
    assert clue is not None
    body: list[Element] = [
        text_block(t("hunt.edit_clue_title", clue=plain(clue.key), language=language), size="Medium", weight="Bolder")
    ]
    if notice:
        body.append(text_block(notice, color="Attention" if error else "Good", weight="Bolder"))
    body += [
        _text_input("title", t("hunt.edit_clue_name"), clue.title.get(language, ""), 100),
        number_input("value", t("hunt.edit_value"), clue.value, 1, 10000),
    ]
    for number, variant in enumerate(clue.variants, start=1):
        label = t("hunt.edit_variant_text", number=number)
        body.append(_text_input(variant_input(number, "text"), label, variant.text.get(language, ""), MAX_CLUE_TEXT))
        if clue.kind in ANSWERED:
            answers = ", ".join(variant.answers)
            label = t("hunt.edit_variant_answers", number=number)
            body.append(_text_input(variant_input(number, "answers"), label, answers, MAX_CLUE_TEXT, multiline=False))
    for number, hint in enumerate(clue.hints, start=1):
        label = t("hunt.edit_hint", number=number)
        body.append(_text_input(hint_input(number), label, hint.text.get(language, ""), 500))
    data = {
        HUNT_FIELD: hunt.id,
        CLUE_FIELD: clue.key,
        LANGUAGE_FIELD: language,
        VERSION_FIELD: hunt.version,
        # How many of each the card shows (Teams may leave an emptied input out).
        VARIANTS_FIELD: len(clue.variants),
        HINTS_FIELD: len(clue.hints),
    }
    return adaptive_card(body, [execute_action(t("hunt.edit_save"), SAVE_CLUE, data)])


def _text_input(element_id: str, label: str, value: str, limit: int, multiline: bool = True) -> Element:
    return {
        "type": "Input.Text",
        "id": element_id,
        "label": label,
        "value": value,
        "maxLength": limit,
        "isMultiline": multiline,
    }


def board_card(t: Texts, board: Board) -> Card:
    title = localized(board.hunt.plan.title, t.locale)
    body: list[Element] = [text_block(t("hunt.board_title", title=plain(title)), size="Medium", weight="Bolder")]
    if board.frozen_since is not None:
        body.append(text_block(t("hunt.board_frozen", since=board.frozen_since), isSubtle=True, wrap=True))
    body.append(_standings_table(t, board.standings))
    return adaptive_card(body)


def _standings_table(t: Texts, rows: Sequence[Standing]) -> Element:
    return table(
        [t("hunt.rank"), t("hunt.team"), t("hunt.score"), t("hunt.breadth"), t("hunt.solved_col")],
        [
            [
                t.number(row.rank),
                plain(row.team),
                t.number(row.score),
                t.percent(row.breadth),
                t.number(row.solved),
            ]
            for row in rows
        ],
        widths=(1, 4, 2, 2, 2),
    )


def reveal_card(t: Texts, title: str, rows: Sequence[Standing], best: Highlights | None = None) -> Card:
    """The close, as a celebration: the winning team first, who stood out, then the whole board."""
    winners = [row.team for row in rows if row.rank == 1]
    body: list[Element] = [
        text_block(t("hunt.reveal_title", title=plain(title)), size="Large", weight="Bolder", wrap=True),
        text_block(t("hunt.reveal_winner", team=plain(" & ".join(winners))), size="Medium", wrap=True),
    ]
    facts = []
    if best is not None and best.mover is not None:
        team, places = best.mover
        facts.append((t("hunt.reveal_mover"), t("hunt.reveal_climbed", team=plain(team), count=places)))
    for label, player in (
        ("hunt.reveal_mvp", best and best.most_valuable),
        ("hunt.reveal_first", best and best.first_timer),
    ):
        if player:
            name = plain(player.name) if player.name else t("hunt.a_colleague")
            facts.append((t(label), t("hunt.reveal_player", name=name, team=plain(player.team), count=player.points)))
    if facts:
        body.append(fact_set(facts))
    body += [_standings_table(t, rows), text_block(t("hunt.reveal_thanks"), wrap=True)]
    return adaptive_card(body)


def new_hunt_card(
    t: Texts, hunt_id: int, title: str, intro: str, starts: datetime, ends: datetime, notice: str = ""
) -> Card:
    """A draft hunt: what it is, and when it should run (in the program's time zone)."""
    body: list[Element] = [
        text_block(plain(title), size="Medium", weight="Bolder"),
        text_block(plain(intro), wrap=True),
    ]
    if notice:
        body.append(text_block(notice, color="Attention", weight="Bolder", wrap=True))
    body += [
        _date_input("start_date", t("hunt.start_date"), starts, t("hunt.bad_date")),
        _time_input("start_time", t("hunt.start_time"), starts, t("hunt.bad_date")),
        _date_input("end_date", t("hunt.end_date"), ends, t("hunt.bad_date")),
        _time_input("end_time", t("hunt.end_time"), ends, t("hunt.bad_date")),
    ]
    return adaptive_card(body, [execute_action(t("hunt.schedule_button"), SCHEDULE, {HUNT_FIELD: hunt_id})])


def _date_input(element_id: str, label: str, moment: datetime, error: str) -> dict[str, Any]:
    value = moment.date().isoformat()  # machine: Input.Date
    return _required("Input.Date", element_id, label, value, error)


def _time_input(element_id: str, label: str, moment: datetime, error: str) -> dict[str, Any]:
    value = moment.strftime("%H:%M")  # machine: Input.Time
    return _required("Input.Time", element_id, label, value, error)


def _required(kind: str, element_id: str, label: str, value: str, error: str) -> dict[str, Any]:
    return {"type": kind, "id": element_id, "label": label, "isRequired": True, "errorMessage": error, "value": value}


def walkthrough_card(t: Texts, hunt: Hunt) -> Card:
    """After the close, how every clue was solved, variant by variant: the hunt as a lesson."""
    title = plain(localized(hunt.plan.title, t.locale))
    body: list[Element] = [text_block(t("hunt.walkthrough_title", title=title), size="Medium", weight="Bolder")]
    for clue in hunt.plan.clues():
        heading = clue.title_in(t.locale)
        body.append(text_block(plain(heading), weight="Bolder", separator=True))
        for variant in clue.variants:
            body.append(text_block(plain(with_code(localized(variant.text, t.locale), "…")), isSubtle=True))
            if variant.walkthrough:
                body.append(text_block(plain(localized(variant.walkthrough, t.locale))))
    return adaptive_card(body)


def _clue_name(t: Texts, plan: HuntPlan, key: str) -> str:
    """A clue in a table: its title (shown literally), else its key."""
    clue = plan.clue(key)
    return plain(clue.title_in(t.locale)) if clue is not None and clue.title else key


def lessons_card(t: Texts, hunt: Hunt, lessons: Lessons) -> Card:
    """For leads at the close: the clue each team found hardest, and the data fixed."""
    plan = hunt.plan

    def took(duration: timedelta | None) -> str:
        if duration is None:
            return t("hunt.unsolved")
        return t("hunt.hours", count=round(duration.total_seconds() / 3600, 1))

    title = plain(localized(plan.title, t.locale))
    body: list[Element] = [
        text_block(t("hunt.lessons_title", title=title), size="Medium", weight="Bolder"),
        text_block(t("hunt.lessons_slowest"), weight="Bolder", wrap=True),
        table(
            [t("hunt.team"), t("hunt.clue"), t("hunt.took")],
            [[plain(team), _clue_name(t, plan, key), took(duration)] for team, key, duration in lessons.slowest],
            widths=(3, 4, 2),
        ),
    ]
    if lessons.fixed:
        body.append(text_block(t("hunt.lessons_fixed"), weight="Bolder", wrap=True))
        body.append(fact_set((_clue_name(t, plan, key), t.number(count)) for key, count in lessons.fixed))
    return adaptive_card(body)


def flags_card(t: Texts, hunt: Hunt, found: Sequence[Flag]) -> Card:
    """What looks unfair, newest first: the team, the clue, when, and why it was flagged."""
    title = plain(localized(hunt.plan.title, t.locale))
    body: list[Element] = [text_block(t("hunt.flags_title", title=title), size="Medium", weight="Bolder")]
    if not found:
        body.append(text_block(t("hunt.flags_none"), wrap=True))
        return adaptive_card(body)

    body.append(
        table(
            [t("hunt.flag"), t("hunt.team"), t("hunt.clue"), t("hunt.when")],
            [
                [
                    t(f"hunt.flag.{flag.kind.value}", answer=plain(flag.detail, 40)),
                    plain(flag.team),
                    _clue_name(t, hunt.plan, flag.clue_key),
                    t.moment(flag.at),
                ]
                for flag in found[:MAX_FLAGS]
            ],
            widths=(4, 2, 3, 3),
        )
    )
    body.append(text_block(t("hunt.flags_footer"), isSubtle=True, size="Small", wrap=True))
    return adaptive_card(body)

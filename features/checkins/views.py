"""Cards for check-ins: the check-in itself, the cadence and questions, history, results, feedback."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from domain.clock import zone
from domain.i18n import Texts
from features.checkins.domain import (
    MAX_ANSWER,
    MAX_HOURS,
    MAX_QUESTIONS,
    AssignmentStatus,
    Cadence,
    Checkin,
    Frequency,
    Question,
    QuestionKind,
    input_id,
)
from features.checkins.feedback_domain import MAX_NOTE, MAX_OWNER, FeedbackItem, FeedbackStatus, RoundSummary
from views.cards import (
    Card,
    Element,
    adaptive_card,
    choice_input,
    command_action,
    execute_action,
    fact_set,
    number_input,
    plain,
    table,
    text_block,
    toggle_input,
)

CHECKIN_SUBMIT_VERB = "checkin.submit"
CHECKIN_SKIP_VERB = "checkin.skip"
CHECKIN_SNOOZE_VERB = "checkin.snooze"
SAVE_CADENCE = "checkins.cadence.save"
SAVE_QUESTIONS = "checkins.questions.save"
UPDATE_FEEDBACK = "feedback.update"
SKIP_REASON_INPUT = "skip_reason"
# A check-in card's buttons carry the assignment they answer.
ASSIGNMENT_FIELD = "assignment_id"
MAX_QUOTES_PER_UNIT = 3
MAX_UNITS_QUOTED = 5
MAX_SUMMARY_ROWS = 25


def local_time(moment: datetime, timezone: str, fallback: str = "UTC") -> datetime:
    """A moment on the champion's wall clock, naive so that messages show it as it is."""
    return moment.astimezone(zone(timezone, fallback)).replace(tzinfo=None)


def raw_question_text(t: Texts, question: Question) -> str:
    """As the lead wrote it (or its translation), for an input's value."""
    return t(question.key) if question.key else question.text or ""


def question_text(t: Texts, question: Question) -> str:
    """For a text block: a lead's own words are escaped."""
    return t(question.key) if question.key else plain(question.text or "")


def _input(t: Texts, question: Question, current: Any) -> Element:
    element: Element
    if question.kind is QuestionKind.SCALE:
        element = {
            "type": "Input.ChoiceSet",
            "style": "expanded",
            "choices": [{"title": t(f"checkin.scale.{n}"), "value": str(n)} for n in range(1, 6)],
        }
    elif question.kind is QuestionKind.HOURS:
        element = {"type": "Input.Number", "min": 0, "max": MAX_HOURS, "placeholder": "0"}
    else:
        element = {"type": "Input.Text", "isMultiline": True, "maxLength": MAX_ANSWER}
        if question.kind is QuestionKind.FEEDBACK:
            element["placeholder"] = t("checkin.feedback_placeholder")
    element["id"] = input_id(question)
    if current not in (None, ""):
        element["value"] = current if question.kind is QuestionKind.HOURS else str(current)
    return element


def checkin_card(
    t: Texts, checkin: Checkin, *, notice: str | None = None, error: bool = False, answers: dict[str, Any] | None = None
) -> Card:
    """The check-in as the champion answers it, with their answers so far."""
    closes = local_time(checkin.closes_at, checkin.timezone)
    body: list[Element] = [
        text_block(t("checkin.title", date=checkin.round_date), size="Medium", weight="Bolder"),
    ]
    current = answers if answers is not None else (checkin.answers or {})
    if notice:
        body.append(text_block(notice, color="Attention" if error else "Good", weight="Bolder"))
    body.append(text_block(t("checkin.open_until", when=closes), isSubtle=True, spacing="None"))
    for question in checkin.questions:
        # The question is the input's label (plain text, announced by screen readers).
        body.append({**_input(t, question, current.get(question.id)), "label": raw_question_text(t, question)})
    data = {ASSIGNMENT_FIELD: checkin.id}
    skip_card = adaptive_card(
        [
            {
                "type": "Input.Text",
                "id": SKIP_REASON_INPUT,
                "label": t("checkin.skip_reason"),
                "maxLength": MAX_NOTE,
                "isRequired": True,
                "errorMessage": t("checkin.skip_needs_reason"),
            }
        ],
        [execute_action(t("checkin.skip_confirm"), CHECKIN_SKIP_VERB, data)],
    )
    skip_card.pop("$schema", None)
    skip_card.pop("msteams", None)
    actions: list[Element] = [
        execute_action(
            t("checkin.send_answers" if not checkin.answers else "checkin.update_answers"), CHECKIN_SUBMIT_VERB, data
        )
    ]
    if checkin.status is not AssignmentStatus.ANSWERED:
        actions += [
            execute_action(t("checkin.snooze"), CHECKIN_SNOOZE_VERB, data),
            {"type": "Action.ShowCard", "title": t("checkin.skip"), "card": skip_card},
        ]
    return adaptive_card(body, actions)


def with_assignment(card: Card, assignment_id: int) -> Card:
    """A copy of a check-in card made for another champion's assignment of the same round."""

    def copy(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: assignment_id if key == ASSIGNMENT_FIELD else copy(value) for key, value in node.items()}
        if isinstance(node, list):
            return [copy(item) for item in node]
        return node

    copied: Card = copy(card)
    return copied


def _answer_facts(t: Texts, checkin: Checkin) -> list[Element]:
    answers = checkin.answers or {}
    facts = [
        (question_text(t, question), plain(str(answers[question.id]), 300))
        for question in checkin.questions
        if question.id in answers
    ]
    return [fact_set(facts)] if facts else []


def closed_checkin_card(t: Texts, checkin: Checkin) -> Card:
    """What a card submitted after the round closed turns into: what was kept, nothing to press."""
    when = local_time(checkin.closes_at, checkin.timezone)
    body = [
        text_block(t("checkin.title", date=checkin.round_date), size="Medium", weight="Bolder"),
        text_block(t("checkin.closed", when=when), color="Attention", weight="Bolder"),
        *_answer_facts(t, checkin),
    ]
    return adaptive_card(body)


# --- the cadence and the questions (leads) ------------------------------------------------


def cadence_card(
    t: Texts, cadence: Cadence, next_round: date | None, *, notice: str | None = None, error: bool = False
) -> Card:
    body: list[Element] = [text_block(t("cadence.title"), size="Medium", weight="Bolder")]
    if notice:
        body.append(text_block(notice, color="Attention" if error else "Good", weight="Bolder"))
    if cadence.enabled and next_round is not None:
        when = t("cadence.next_round", date=next_round, time=cadence.local_time)
    else:
        when = t("cadence.off")
    body += [
        text_block(when, isSubtle=True),
        toggle_input("enabled", t("cadence.enabled"), cadence.enabled),
        choice_input(
            "frequency",
            t("cadence.frequency"),
            [(frequency.value, t(f"cadence.frequency.{frequency.value}")) for frequency in Frequency],
            cadence.frequency.value,
        ),
        choice_input(
            "weekday", t("cadence.weekday"), [(str(day), t(f"weekday.{day}")) for day in range(7)], str(cadence.weekday)
        ),
        {
            "type": "Input.Time",
            "id": "local_time",
            "label": t("cadence.local_time"),
            "value": cadence.local_time.strftime("%H:%M"),  # machine: Input.Time
        },
        number_input("open_days", t("cadence.open_days"), cadence.open_days, 1, 27),
        number_input("remind_after_hours", t("cadence.remind_after_hours"), cadence.remind_after_hours, 0, 24 * 27),
        number_input("inactive_after", t("cadence.inactive_after"), cadence.inactive_after, 1, 12),
    ]
    return adaptive_card(body, [execute_action(t("settings.save"), SAVE_CADENCE, {})])


def question_kinds(t: Texts) -> list[tuple[str, str]]:
    return [(kind.value, t(f"questions.kind.{kind.value}")) for kind in QuestionKind]


def questions_card(t: Texts, questions: Sequence[Question], *, notice: str | None = None, error: bool = False) -> Card:
    """One row per question (text and kind); an empty row removes it. Past rounds keep theirs."""
    body: list[Element] = [
        text_block(t("questions.title"), size="Medium", weight="Bolder"),
        text_block(t("questions.hint"), isSubtle=True),
    ]
    if notice:
        body.append(text_block(notice, color="Attention" if error else "Good", weight="Bolder"))
    kinds = question_kinds(t)
    for index in range(MAX_QUESTIONS):
        question = questions[index] if index < len(questions) else None
        text = raw_question_text(t, question) if question else ""
        body.append(
            {
                "type": "ColumnSet",
                "columns": [
                    {
                        "type": "Column",
                        "width": "stretch",
                        "items": [
                            {
                                "type": "Input.Text",
                                "id": f"text_{index}",
                                "value": text or "",
                                "maxLength": 300,
                                "label": t("questions.number", n=index + 1),
                            }
                        ],
                    },
                    {
                        "type": "Column",
                        "width": "auto",
                        "items": [
                            choice_input(
                                f"kind_{index}",
                                t("questions.kind"),
                                kinds,
                                (question.kind if question else QuestionKind.TEXT).value,
                            )
                        ],
                    },
                ],
            }
        )
    return adaptive_card(body, [execute_action(t("settings.save"), SAVE_QUESTIONS, {})])


# --- history and results ------------------------------------------------------------------


def history_card(t: Texts, history: Sequence[Checkin], streak: int, shown: int = 5) -> Card:
    answered = sum(1 for checkin in history if checkin.status is AssignmentStatus.ANSWERED)
    finished = sum(1 for checkin in history if not checkin.status.still_open)
    body: list[Element] = [
        text_block(t("history.title"), size="Medium", weight="Bolder"),
        fact_set(
            [
                (t("history.streak"), t.number(streak)),
                (t("history.answered"), t("history.of", n=answered, total=finished)),
            ]
        ),
    ]
    for checkin in history[:shown]:
        body.append(
            text_block(
                t(
                    "history.round",
                    date=checkin.round_date,
                    status=t(f"checkin.status.{checkin.status.value}"),
                ),
                weight="Bolder",
                spacing="Medium",
            )
        )
        if checkin.status is AssignmentStatus.SKIPPED and checkin.skip_reason:
            body.append(text_block(plain(checkin.skip_reason, 300), isSubtle=True, spacing="None"))
        body += _answer_facts(t, checkin)
    if not history:
        body.append(text_block(t("history.none")))
    return adaptive_card(body)


def _sentiment(t: Texts, value: float | None) -> str:
    return "—" if value is None else t("results.out_of_five", score=t.number(value, digits=1))


def summary_card(t: Texts, summary: RoundSummary, now: datetime, earlier: Sequence[date] = ()) -> Card:
    change = summary.sentiment_change
    if change is None:
        trend = t("results.no_trend")
    else:
        trend = t("results.trend", sign="+" if change >= 0 else "−", change=t.number(abs(change), digits=1))
    if summary.is_open(now):
        state = t("results.open_until", when=summary.closes_at)
    else:
        state = t("results.closed_on", when=summary.closes_at) if summary.closes_at else t("results.closed")
    facts = [
        (
            t("results.responses"),
            t(
                "results.rate",
                answered=summary.answered,
                invited=summary.invited,
                percent=t.percent(summary.response_rate),
            ),
        ),
        (t("results.skipped"), t.number(summary.skipped)),
        (t("results.sentiment"), f"{_sentiment(t, summary.sentiment)} ({trend})"),
        (t("results.hours"), t.number(summary.hours_total)),
        (t("results.state"), state),
    ]
    body: list[Element] = [
        text_block(t("results.title", date=summary.round_date), size="Medium", weight="Bolder"),
        fact_set(facts),
    ]
    rows = sorted(summary.by_unit, key=lambda unit: (unit.response_rate, unit.unit))[:MAX_SUMMARY_ROWS]
    if rows:
        header = [t("results.unit"), t("results.answered"), t("results.rate_column"), t("results.sentiment")]
        body.append(
            table(
                header,
                [
                    [
                        plain(unit.unit) if unit.unit else "—",
                        t("history.of", n=unit.answered, total=unit.invited),
                        t.percent(unit.response_rate),
                        _sentiment(t, unit.sentiment),
                    ]
                    for unit in rows
                ],
                widths=(3, 2, 2, 2),
            )
        )
    quoted = 0
    for unit, answers in summary.answers_by_unit.items():
        if quoted >= MAX_UNITS_QUOTED or not answers:
            continue
        quoted += 1
        body.append(text_block(plain(unit) if unit else "—", weight="Bolder", spacing="Medium"))
        body += [text_block(f"“{plain(answer, 300)}”", spacing="Small") for answer in answers[:MAX_QUOTES_PER_UNIT]]
    # Earlier rounds as buttons: a lead reads dates in their locale and never types one.
    actions = [command_action(t.day(day), "checkin_results", day.isoformat()) for day in earlier]  # machine
    return adaptive_card(body, actions)


# --- feedback (leads) ---------------------------------------------------------------------


def feedback_card(t: Texts, item: FeedbackItem, *, notice: str | None = None, error: bool = False) -> Card:
    unit = ", ".join(plain(part) for part in (item.team, item.department, item.office) if part) or "—"
    facts = [
        (t("feedback.raised_by"), plain(item.raised_by) if item.raised_by else t("feedback.raiser_erased")),
        (t("feedback.unit"), unit),
        (t("feedback.round"), t.day(item.round_date)),
        (t("feedback.status"), t(f"feedback.status.{item.status.value}")),
        (t("feedback.owner"), plain(item.owner) if item.owner else "—"),
    ]
    if item.last_note:
        facts.append((t("feedback.last_note"), plain(item.last_note, 300)))
    body: list[Element] = [
        text_block(
            t(f"feedback.kind.{'project_team' if item.question_id == 'project_team' else 'challenge'}"),
            isSubtle=True,
            size="Small",
        ),
        text_block(
            plain(item.text, 1000)
            if item.text
            else t("feedback.text_erased" if not item.raised_by else "feedback.text_expired")
        ),
        fact_set(facts),
    ]
    if notice:
        body.append(text_block(notice, color="Attention" if error else "Good", weight="Bolder"))
    body += [
        choice_input(
            "status",
            t("feedback.new_status"),
            [(s.value, t(f"feedback.status.{s.value}")) for s in FeedbackStatus],
            item.status.value,
        ),
        {
            "type": "Input.Text",
            "id": "owner",
            "label": t("feedback.owner"),
            "value": item.owner,
            "maxLength": MAX_OWNER,
        },
        {
            "type": "Input.Text",
            "id": "note",
            "label": t("feedback.note"),
            "maxLength": MAX_NOTE,
            "isMultiline": True,
            "placeholder": t("feedback.note_placeholder"),
        },
    ]
    data = {"item_id": item.id, "expected": item.status.value}
    return adaptive_card(body, [execute_action(t("feedback.update"), UPDATE_FEEDBACK, data)])

"""The cards of asking a champion: the asker's choice, the champion's (or a lead's) card to
answer, pass on or hand over, the answer with its rating, and the open questions for leads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from domain.i18n import Texts
from features.questions.domain import RATINGS, Question, Status
from views.cards import (
    Card,
    Element,
    adaptive_card,
    choice_input,
    execute_action,
    fact_set,
    plain,
    table,
    text_block,
)

BUSINESS = "questions.business"
TECHNICAL = "questions.technical"
ANSWER = "questions.answer"
PASS_ON = "questions.pass"
TO_LEADS = "questions.leads"
RATE = "questions.rate"
QUESTION_FIELD = "question"
TOPIC_INPUT = "topic"
ANSWER_INPUT = "answer"
PASS_INPUT = "pass_to"
RATING_INPUT = "rating"
NO_TOPIC = ""


def _quote(text: str) -> Element:
    return text_block(f"“{plain(text)}”", isSubtle=True)


def kind_card(t: Texts, question_id: int, text: str, topics: Sequence[str]) -> Card:
    """Asked once: how to work with the system (for the champions), or a technical problem (IT)."""
    data = {QUESTION_FIELD: question_id}
    body: list[Element] = [text_block(t("ask.which"), weight="Bolder"), _quote(text)]
    if topics:
        choices = [(topic, plain(topic)) for topic in topics] + [(NO_TOPIC, t("ask.topic_other"))]
        body.append(choice_input(TOPIC_INPUT, t("ask.topic"), choices, NO_TOPIC))
    body.append(text_block(t("ask.not_it"), isSubtle=True, size="Small"))
    return adaptive_card(
        body,
        [execute_action(t("ask.business"), BUSINESS, data), execute_action(t("ask.technical"), TECHNICAL, data)],
    )


def champion_card(
    t: Texts, question: Question, others: Sequence[tuple[int, str]], *, for_leads: bool = False, notice: str = ""
) -> Card:
    """What a colleague asks, with the answer box; a champion may pass it on or hand it to the leads."""
    data = {QUESTION_FIELD: question.id}
    title = t("question.for_leads") if for_leads else t("question.for_champion")
    body: list[Element] = [text_block(title, weight="Bolder", size="Medium")]
    if notice:
        body.append(text_block(notice, color="Attention", weight="Bolder"))
    facts = [(t("question.from"), plain(question.asker_name) or t("question.a_colleague"))]
    if question.department:
        facts.append((t("question.unit"), plain(question.department)))
    if question.topic:
        facts.append((t("question.topic"), plain(question.topic)))
    if for_leads and question.champion_name:
        facts.append((t("question.was_with"), plain(question.champion_name)))
    body += [fact_set(facts), _quote(question.text)]
    body.append(
        {
            "type": "Input.Text",
            "id": ANSWER_INPUT,
            "label": t("question.your_answer"),
            "isMultiline": True,
            "maxLength": 2000,
            "placeholder": t("question.answer_hint"),
        }
    )
    actions = [execute_action(t("question.send"), ANSWER, data)]
    if others and not for_leads:
        choices = [(str(champion_id), plain(name)) for champion_id, name in others]
        body.append(choice_input(PASS_INPUT, t("question.pass_to"), choices, choices[0][0]))
        actions.append(execute_action(t("question.pass"), PASS_ON, data))
    if not for_leads:
        actions.append(execute_action(t("question.to_leads"), TO_LEADS, data))
    return adaptive_card(body, actions)


def answer_card(t: Texts, question: Question) -> Card:
    """The answer, in the asker's chat, with a way to rate it."""
    data = {QUESTION_FIELD: question.id}
    ratings = [(str(value), t(f"question.rating.{value}")) for value in reversed(RATINGS)]
    return adaptive_card(
        [
            text_block(t("question.answered_title", name=plain(question.answered_by or "")), weight="Bolder"),
            text_block(plain(question.answer or "")),
            text_block(t("question.you_asked"), isSubtle=True, size="Small", spacing="Medium"),
            _quote(question.text),
            choice_input(RATING_INPUT, t("question.rate_label"), ratings, "5"),
        ],
        [execute_action(t("question.rate"), RATE, data)],
    )


def open_questions_card(t: Texts, questions: Sequence[Question], total: int, now: datetime) -> Card:
    rows = [
        (
            t("question.age_hours", hours=max(0, int(question.age(now).total_seconds() // 3600))),
            plain(question.topic) or "—",
            t("question.leads")
            if question.status is Status.WITH_LEADS or not question.champion_name
            else plain(question.champion_name),
            plain(question.text, 80),
        )
        for question in questions
    ]
    header = [t("question.age"), t("question.topic"), t("question.with"), t("question.question")]
    return adaptive_card(
        [
            text_block(t("question.open_title", count=total), weight="Bolder", size="Medium"),
            table(header, rows, [1, 1, 2, 4]),
        ]
    )

"""Ask a champion in chat: `ask <question>`, the card that sorts business from technical, the
champion's answer, pass-on or hand-over, the asker's rating; leads' open questions and the
service desk technical questions are pointed to."""

from __future__ import annotations

from typing import Any

from bot.feature import FeatureHandlers
from bot.router import CardReply
from domain.answers import AnswerError, whole_number
from domain.program import UserContext, name_of
from domain.roles import Role
from domain.turn import Turn
from features.questions.domain import Kind, answer_text, question_text, rating
from features.questions.views import (
    ANSWER_INPUT,
    PASS_INPUT,
    QUESTION_FIELD,
    RATING_INPUT,
    TOPIC_INPUT,
    kind_card,
    open_questions_card,
)
from features.questions.workflows import (
    Acting,
    Outcome,
    answer,
    ask,
    choose_kind,
    hand_to_leads,
    open_questions,
    pass_on,
    rate,
    save_service_desk,
    service_desk,
)
from views.cards import plain

OPEN_SHOWN = 15
MAX_SERVICE_DESK = 300


class QuestionHandlers(FeatureHandlers):
    async def ask(self, turn: Turn, user: UserContext, argument: str) -> None:
        t = self.texts(user)
        try:
            text = question_text(argument)
        except AnswerError as error:
            await turn.say(t(error.reason, **error.params))
            return
        asked = await self.db(ask, user.identity.teams_user_id, text, self.now())
        if asked is None:
            await turn.say(t("ask.say_hello"))
            return
        await turn.send_card(kind_card(t, asked.question_id, text, asked.topics))

    async def business(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        return await self._choose(user, data, Kind.BUSINESS)

    async def technical(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        return await self._choose(user, data, Kind.TECHNICAL)

    async def _choose(self, user: UserContext, data: dict[str, Any], kind: Kind) -> CardReply:
        t = self.texts(user)
        question_id = whole_number(data.get(QUESTION_FIELD))
        if question_id is None:
            return CardReply(message=t("card.action_unknown"))
        topic = data.get(TOPIC_INPUT)
        topic = topic if isinstance(topic, str) else ""
        routed = await self.db(
            choose_kind, self.messaging, question_id, user.member_id, kind, topic, self.program_today(), self.now()
        )
        if routed.outcome is not Outcome.DONE:
            return CardReply(message=t(f"question.{routed.outcome.value}"))
        if routed.kind is Kind.TECHNICAL:
            desk = routed.service_desk
            return CardReply(message=t("ask.to_service_desk", desk=desk) if desk else t("ask.to_service_desk_unknown"))
        if routed.champion:
            return CardReply(message=t("ask.routed", name=plain(routed.champion)))
        return CardReply(message=t("ask.to_leads"))

    def _acting(self, user: UserContext) -> Acting:
        return Acting(user.identity.teams_user_id, name_of(user), user.role is Role.PROGRAM_LEAD)

    async def answer(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        question_id = whole_number(data.get(QUESTION_FIELD))
        if question_id is None:
            return CardReply(message=t("card.action_unknown"))
        try:
            text = answer_text(data.get(ANSWER_INPUT))
        except AnswerError as error:
            return CardReply(message=t(error.reason, **error.params))
        outcome = await self.db(answer, self.messaging, question_id, self._acting(user), text, self.now())
        return CardReply(message=t("question.answer_sent" if outcome is Outcome.DONE else f"question.{outcome.value}"))

    async def pass_on(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        question_id, to_champion = whole_number(data.get(QUESTION_FIELD)), whole_number(data.get(PASS_INPUT))
        if question_id is None or to_champion is None:
            return CardReply(message=t("card.action_unknown"))
        outcome, name = await self.db(pass_on, self.messaging, question_id, self._acting(user), to_champion, self.now())
        if outcome is Outcome.DONE and name:
            return CardReply(message=t("question.passed", name=plain(name)))
        if outcome is Outcome.DONE:
            return CardReply(message=t("question.handed_over"))
        return CardReply(message=t(f"question.{outcome.value}"))

    async def to_leads(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        question_id = whole_number(data.get(QUESTION_FIELD))
        if question_id is None:
            return CardReply(message=t("card.action_unknown"))
        outcome = await self.db(hand_to_leads, self.messaging, question_id, self._acting(user), self.now())
        return CardReply(message=t("question.handed_over" if outcome is Outcome.DONE else f"question.{outcome.value}"))

    async def rate(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        question_id, value = whole_number(data.get(QUESTION_FIELD)), rating(data.get(RATING_INPUT))
        if question_id is None or value is None:
            return CardReply(message=t("card.action_unknown"))
        outcome = await self.db(rate, question_id, user.member_id, value, self.now())
        return CardReply(message=t("question.rated" if outcome is Outcome.DONE else f"question.{outcome.value}"))

    # --- leads ---------------------------------------------------------------------------

    async def questions(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        found, total = await self.db(open_questions, OPEN_SHOWN)
        if not found:
            await turn.say(t("question.none_open"))
            return
        await turn.send_card(open_questions_card(t, found, total, self.now()))

    async def service_desk(self, turn: Turn, user: UserContext, argument: str) -> None:
        t = self.texts(user)
        text = " ".join(argument.split())
        if not text:
            current = await self.db(service_desk)
            await turn.say(t("service_desk.current", desk=current) if current else t("service_desk.usage"))
            return
        if len(text) > MAX_SERVICE_DESK:
            await turn.say(t("service_desk.too_long", limit=MAX_SERVICE_DESK))
            return
        await self.db(save_service_desk, text, name_of(user), self.now())
        await turn.say(t("service_desk.saved", desk=text))

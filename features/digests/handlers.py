"""Digests in chat: `digest` for leads, `sponsor digest` for sponsors, and what their cards do."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.feature import FeatureHandlers
from bot.router import CardReply
from domain.answers import whole_number
from domain.program import UserContext, name_of
from domain.turn import Turn
from features.digests.domain import WEEKDAYS, Answer, month_of
from features.digests.views import SNOOZE_WEEKS, lead_card, sponsor_card
from features.digests.workflows import (
    Answered,
    answer_decision,
    csv_link,
    current_week,
    lead_figures,
    raise_decision,
    save_schedule,
    snooze,
    sponsor_figures,
    thank,
)


class DigestHandlers(FeatureHandlers):
    async def lead_digest(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t, now = self.texts(user), self.now()
        week = current_week(now, t.timezone)
        figures = await self.db(lead_figures, week, now)
        link = await self.db(csv_link, self.public_origin(), week, now)
        await turn.send_card(lead_card(t, figures, link))

    async def sponsor_digest(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t, now = self.texts(user), self.now()
        month = month_of(now.astimezone(ZoneInfo(self.services.timezone)).date())
        figures = await self.db(sponsor_figures, month, self.services.timezone, now)
        await turn.send_card(sponsor_card(t, figures))

    async def ask_sponsors(self, turn: Turn, user: UserContext, argument: str) -> None:
        t = self.texts(user)
        question = " ".join(argument.split())[:500]
        if not question:
            await turn.say(t("decision.usage"))
            return
        await self.db(raise_decision, question, name_of(user), self.now())
        await turn.say(t("decision.raised"))

    # --- card actions ------------------------------------------------------------------------

    async def save_day(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        weekday, hour = whole_number(data.get("weekday")), whole_number(data.get("hour"))
        if (
            user.member_id is None
            or weekday is None
            or hour is None
            or not (0 <= weekday < WEEKDAYS and 0 <= hour < 24)
        ):
            return CardReply(message=t("card.action_unknown"))
        await self.db(save_schedule, user.member_id, weekday, hour, self.now())
        return CardReply(message=t("digest.day_saved", day=t(f"digest.weekday.{weekday}"), hour=f"{hour:02d}:00"))

    async def snooze(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        weeks = whole_number(data.get("weeks"))
        if user.member_id is None or weeks not in SNOOZE_WEEKS:
            return CardReply(message=t("card.action_unknown"))
        now = self.now()
        today = now.astimezone(ZoneInfo(t.timezone)).date()
        until = await self.db(snooze, user.member_id, weeks, today, now)
        return CardReply(message=t("digest.snoozed", day=t.day(until or today + timedelta(weeks=weeks))))

    async def thank(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        champion, month = whole_number(data.get("champion")), data.get("month")
        if champion is None or not isinstance(month, str) or len(month) != 7:
            return CardReply(message=t("card.action_unknown"))
        thanked = await self.db(thank, self.messaging, champion, name_of(user), month, self.now())
        return CardReply(message=t("digest.thanked" if thanked else "digest.already_thanked"))

    async def decide(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        decision = whole_number(data.get("decision"))
        try:
            answer = Answer(str(data.get("answer")))
        except ValueError:
            answer = None
        if decision is None or answer is None:
            return CardReply(message=t("card.action_unknown"))
        outcome, _question, given = await self.db(
            answer_decision, self.messaging, decision, answer, name_of(user), self.now()
        )
        if outcome is Answered.UNKNOWN:
            return CardReply(message=t("card.action_unknown"))
        if outcome is Answered.ALREADY:
            return CardReply(message=t("decision.already", answer=t(f"decision.{given}")))
        return CardReply(message=t("decision.sent"))

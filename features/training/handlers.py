"""Training in chat: leads add resources and read completion; champions read what suits them
and tick their onboarding checklist."""

from __future__ import annotations

from typing import Any

from bot.feature import FeatureHandlers
from bot.router import CardReply
from domain.answers import AnswerError
from domain.program import UserContext, name_of
from domain.turn import Turn
from features.training.domain import by_department, parse_resource
from features.training.views import ITEM_PREFIX, checklist_card, completion_card, resource_form, resources_card
from features.training.workflows import add_resource, checklist_of, completion, focus_areas, resources_for, tick

CHAMPIONS_SHOWN = 15


class TrainingHandlers(FeatureHandlers):
    async def new_resource(self, turn: Turn, user: UserContext, _argument: str) -> None:
        areas = await self.db(focus_areas)
        await turn.send_card(resource_form(self.texts(user), areas))

    async def save(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        areas = await self.db(focus_areas)
        try:
            title, url, area, language, required, checklist = parse_resource(data, areas)
        except AnswerError as error:
            return CardReply(card=resource_form(t, areas, t(error.reason, **error.params)))
        await self.db(add_resource, title, url, area, language, required, checklist, name_of(user), self.now())
        return CardReply(message=t("training.saved", title=title))

    async def training(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        language = (user.identity.locale or "")[:2].lower() or None
        items = await self.db(resources_for, user.identity.teams_user_id, language)
        if not items:
            await turn.say(t("training.none"))
            return
        await turn.send_card(resources_card(t, items))

    async def checklist(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        found = await self.db(checklist_of, user.identity.teams_user_id)
        if found is None:
            await turn.say(t("access.champions_only"))
            return
        items, done = found
        if not items:
            await turn.say(t("training.no_checklist"))
            return
        await turn.send_card(checklist_card(t, items, done))

    async def tick(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        ticked = {
            int(key[len(ITEM_PREFIX) :])
            for key, value in data.items()
            if key.startswith(ITEM_PREFIX) and key[len(ITEM_PREFIX) :].isdigit() and str(value).lower() == "true"
        }
        saved = await self.db(tick, user.identity.teams_user_id, ticked, self.now())
        if saved is None:
            return CardReply(message=t("access.champions_only"))
        done, count = saved
        return CardReply(message=t("training.ticked", done=done, count=count))

    async def progress(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        rows = await self.db(completion)
        if not rows:
            await turn.say(t("training.no_champions"))
            return
        await turn.send_card(completion_card(t, by_department(rows), rows[:CHAMPIONS_SHOWN]))

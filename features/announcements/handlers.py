"""Announcements in chat: leads compose, preview, send (now or later) and read the figures;
everyone who gets one may say "Got it"."""

from __future__ import annotations

from typing import Any

from bot.feature import FeatureHandlers
from bot.router import CardReply
from domain.answers import AnswerError, whole_number
from domain.commands import normalize_text
from domain.program import UserContext, name_of
from domain.turn import Turn
from features.announcements.domain import Audience, AudienceKind, Draft, parse_draft
from features.announcements.views import ANNOUNCEMENT_FIELD, compose_card, figures_card, preview_card
from features.announcements.workflows import (
    Sent,
    acknowledge,
    draft_of,
    preview_of,
    recent_with_figures,
    save_draft,
    send,
    unknown_units,
)
from views.cards import plain

LISTED = 5


class AnnouncementHandlers(FeatureHandlers):
    async def announce(self, turn: Turn, user: UserContext, argument: str) -> None:
        """`announce`, or `announce launch` for the launch announcement in the lead's language."""
        t = self.texts(user)
        template = None
        if normalize_text(argument) in {
            normalize_text(word) for word in self.services.translate.words("announce.launch_words")
        }:
            template = Draft(text=t("announce.launch_text"), audience=Audience(AudienceKind.EVERYONE))
        await turn.send_card(compose_card(t, template))

    async def announcements(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        rows = await self.db(recent_with_figures, LISTED)
        if not rows:
            await turn.say(t("announce.none"))
            return
        await turn.send_card(figures_card(t, rows))

    async def preview(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        announcement_id = whole_number(data.get(ANNOUNCEMENT_FIELD))
        now = self.now()
        try:
            draft = parse_draft(data, self.services.timezone, now)
        except AnswerError as error:
            notice = t(error.reason, **error.params)
            return CardReply(card=compose_card(t, None, announcement_id, notice, self.services.timezone))
        unknown = await self.db(unknown_units, draft)
        if unknown:
            notice = t("announce.unknown_units", units=", ".join(plain(unit) for unit in unknown))
            return CardReply(card=compose_card(t, draft, announcement_id, notice, self.services.timezone))
        saved = await self.db(save_draft, draft, announcement_id, name_of(user), now)
        if saved is None:
            return CardReply(message=t("announce.already"))
        found = await self.db(preview_of, saved)
        if found is None:
            return CardReply(message=t("card.action_unknown"))
        when = t.moment(draft.send_at) if draft.send_at else t("announce.when_now")
        return CardReply(card=preview_card(t, found.announcement, found.people, found.channels, when))

    async def edit(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        announcement_id = whole_number(data.get(ANNOUNCEMENT_FIELD))
        found = await self.db(draft_of, announcement_id) if announcement_id is not None else None
        if found is None:
            return CardReply(message=t("card.action_unknown"))
        return CardReply(card=compose_card(t, found.draft, found.id, timezone=self.services.timezone))

    async def send(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        announcement_id = whole_number(data.get(ANNOUNCEMENT_FIELD))
        if announcement_id is None:
            return CardReply(message=t("card.action_unknown"))
        outcome, count = await self.db(
            send, self.messaging, announcement_id, self.public_origin(), name_of(user), self.now()
        )
        if outcome is Sent.UNKNOWN:
            return CardReply(message=t("card.action_unknown"))
        return CardReply(message=t(f"announce.{outcome.value}", count=count))

    async def acknowledge(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        announcement_id = whole_number(data.get(ANNOUNCEMENT_FIELD))
        if announcement_id is None:
            return CardReply(message=t("card.action_unknown"))
        done = await self.db(acknowledge, announcement_id, user.member_id, self.now())
        if done is None:
            return CardReply(message=t("announce.not_for_you"))
        return CardReply(message=t("announce.thanks" if done else "announce.already_acknowledged"))

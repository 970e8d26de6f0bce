"""Events in chat: leads create them and read who is coming; champions answer invitations and
publish their office hours."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.feature import FeatureHandlers
from bot.router import CardReply
from domain.answers import AnswerError, whole_number
from domain.program import UserContext, name_of
from domain.turn import Turn
from features.events.domain import Answer, parse_event, parse_office_hours
from features.events.views import ANSWER_FIELD, EVENT_FIELD, attendees_card, event_form, events_card, when_text
from features.events.workflows import (
    attendance,
    create_event,
    office_hours_of,
    respond,
    save_office_hours,
    upcoming,
)
from views.cards import plain

UPCOMING_SHOWN = 8
OFF_WORDS = {"off", "none", "stop", "nessuno", "basta", "ปิด"}


class EventHandlers(FeatureHandlers):
    async def new_event(self, turn: Turn, user: UserContext, _argument: str) -> None:
        await turn.send_card(event_form(self.texts(user)))

    async def create(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        now, zone = self.now(), self.services.timezone
        try:
            draft = parse_event(data, zone, now)
        except AnswerError as error:
            return CardReply(card=event_form(t, t(error.reason, **error.params)))
        created = await self.db(create_event, self.messaging, draft, zone, name_of(user), now)
        return CardReply(
            message=t(
                "event.created",
                title=plain(draft.title),
                when=when_text(t, draft.starts_at, draft.minutes),
                count=created.invited,
            )
        )

    async def respond(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        event_id = whole_number(data.get(EVENT_FIELD))
        try:
            answer = Answer(str(data.get(ANSWER_FIELD)))
        except ValueError:
            answer = None
        if event_id is None or answer is None:
            return CardReply(message=t("card.action_unknown"))
        changed = await self.db(respond, event_id, user.member_id, answer, self.now())
        if changed is None:
            return CardReply(message=t("event.not_invited"))
        if not changed:
            return CardReply(message=t("event.already"))
        return CardReply(message=t(f"event.answered.{answer.value}"))

    async def events(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        rows = await self.db(upcoming, self.now(), UPCOMING_SHOWN)
        if not rows:
            await turn.say(t("event.none"))
            return
        await turn.send_card(events_card(t, rows))

    async def attendees(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        event_id = whole_number(data.get(EVENT_FIELD))
        found = await self.db(attendance, event_id) if event_id is not None else None
        if found is None:
            return CardReply(message=t("card.action_unknown"))
        return CardReply(card=attendees_card(t, found.title, found.coming, found.not_coming, found.waiting))

    async def office_hours(self, turn: Turn, user: UserContext, argument: str) -> None:
        t = self.texts(user)
        teams_user_id, now = user.identity.teams_user_id, self.now()
        text = " ".join(argument.split())
        if not text:
            hours = await self.db(office_hours_of, teams_user_id)
            if hours is None:
                await turn.say(t("office_hours.usage"))
            else:
                start = hours.next_after(now)
                end = start + timedelta(minutes=hours.minutes)
                weekday = t(f"office_hours.weekday.{hours.weekday}")
                line = t("office_hours.yours", weekday=weekday, starts=t.clock_time(start), ends=t.clock_time(end))
                await turn.say(line + " " + t("office_hours.next_on", when=t.moment(start)))
            return
        hours = None
        if text.casefold() not in OFF_WORDS:
            try:
                hours = parse_office_hours(text, t.timezone)
            except AnswerError as error:
                await turn.say(t(error.reason, **error.params))
                return
        outcome = await self.db(save_office_hours, teams_user_id, hours, now)
        await turn.say(t(f"office_hours.{outcome.value}"))

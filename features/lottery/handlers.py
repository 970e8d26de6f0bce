"""Draws in chat: leads create, preview, open, close and draw them and record deliveries and
replacements; everyone reads their tickets and the proof."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.feature import FeatureHandlers
from bot.router import CardReply
from domain.program import UserContext, name_of
from domain.turn import Turn
from features.lottery.domain import AudienceKind, Prize, TicketRules, rules_to_data
from features.lottery.drawing import configured_beacon, draw_when_due
from features.lottery.views import (
    DRAW_FIELD,
    MAX_PRIZES,
    REASON_FIELD,
    SLOT_FIELD,
    TICKET_FIELD,
    lead_card,
    new_draw_card,
    preview_card,
    results_card,
)
from features.lottery.workflows import (
    DrawSpec,
    ResultOutcome,
    StepOutcome,
    commit_draw,
    create_draw,
    draw_of,
    draws_for_leads,
    mark_delivered,
    member_id_of,
    my_tickets_of,
    open_draw,
    preview_draw,
    proof_link,
    replace_winner,
    results_of,
)

# "2 x Headphones", "2x Headphones", "Headphones" (one): a prize per line; "(department)" (also
# "(reparto)", "(แผนก)") at the end draws it among departments, weighted by tickets per head.
PRIZE_LINE = re.compile(r"^\s*(?:(?P<quantity>\d{1,3})\s*[x×]\s*)?(?P<name>.+?)\s*$", re.IGNORECASE)
FOR_DEPARTMENTS = re.compile(r"\s*\((?:department|reparto|แผนก)\)\s*$", re.IGNORECASE)
NEW_DRAW_DAYS = 14


def parse_prizes(text: str) -> list[Prize] | None:
    """Prizes in draw order, one per line; None when a line has no name or a quantity of 0."""
    prizes = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parsed = PRIZE_LINE.match(line)
        if parsed is None or not parsed["name"].strip():
            return None
        quantity = int(parsed["quantity"] or 1)
        name = parsed["name"].strip()
        departments = FOR_DEPARTMENTS.search(name) is not None
        name = FOR_DEPARTMENTS.sub("", name).strip()
        if quantity < 1 or not name:
            return None
        prizes.append(Prize(name[:120], quantity, departments))
    return prizes if 0 < len(prizes) <= MAX_PRIZES else None


@dataclass(frozen=True, slots=True)
class LotteryHandlers(FeatureHandlers):
    # --- everyone ----------------------------------------------------------------------

    async def my_tickets(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        mine = await self.db(
            my_tickets_of, self.messaging, user.identity.teams_user_id, self.public_origin(), self.now()
        )
        if mine is None:
            await turn.say(t("lottery.no_draw"))
            return
        if mine.excluded:
            await turn.say(t("lottery.not_in", name=mine.draw.name))
            return
        reasons = [t(f"lottery.reason_{kind}", count=count, tickets=tickets) for kind, count, tickets in mine.reasons]
        if mine.live:
            said = [t("lottery.tickets_live", name=mine.draw.name, count=mine.tickets, when=mine.draw.closes_at)]
        else:
            said = [
                t(
                    "lottery.tickets_committed",
                    name=mine.draw.name,
                    count=mine.tickets,
                    first=mine.first,
                    last=mine.last,
                ),
                t("lottery.your_pseudonym", pseudonym=mine.pseudonym, link=mine.receipt_link),
            ]
        await turn.say("\n\n".join([*said, *[f"- {reason}" for reason in reasons]]))

    async def proof(self, turn: Turn, user: UserContext, _argument: str) -> None:
        """`draw proof`: the newest draw's published data, and how to rerun it."""
        t = self.texts(user)
        found = await self.db(proof_link, self.public_origin(), self.now())
        if found is None:
            await turn.say(t("lottery.no_proof"))
            return
        found_draw, link = found
        await turn.say(t("lottery.proof", name=found_draw.name, link=link))

    # --- leads ---------------------------------------------------------------------------

    async def new_draw(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        starts, ends = self._default_window()
        await turn.send_card(new_draw_card(t, starts, ends))

    async def draws(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        found = await self.db(draws_for_leads)
        if not found:
            await turn.say(t("lottery.no_draws"))
            return
        await turn.send_cards([lead_card(t, item) for item in found])

    async def create(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        spec, problem = self._spec(data)
        if spec is None:
            starts, ends = self._default_window()
            return CardReply(card=new_draw_card(t, starts, ends, t(problem)))
        by_member = await self.db(member_id_of, user.identity.teams_user_id)
        draw_id = await self.db(create_draw, spec, name_of(user), by_member, self.now())
        created = await self.db(draw_of, draw_id)
        assert created is not None
        return CardReply(card=lead_card(t, created, t("lottery.created")))

    async def show(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        draw_id = data.get(DRAW_FIELD)
        found = await self.db(draw_of, int(str(draw_id))) if _is_id(draw_id) else None
        return CardReply(card=lead_card(t, found)) if found is not None else CardReply(message=t("card.action_unknown"))

    async def preview(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        draw_id = data.get(DRAW_FIELD)
        if not _is_id(draw_id):
            return CardReply(message=t("card.action_unknown"))
        seen = await self.db(preview_draw, self.messaging, int(str(draw_id)), self.now())
        if seen is None:
            return CardReply(message=t("card.action_unknown"))
        return CardReply(card=preview_card(t, seen.draw, seen.people, seen.tickets, seen.by_department, seen.excluded))

    async def open(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        return await self._step(
            user, data, lambda draw_id: self.db(open_draw, self.messaging, draw_id, name_of(user), self.now())
        )

    async def close(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        """Close entries now: the registry is committed and the beacon round named."""
        source = configured_beacon()
        chain = source.chain if source is not None else None

        async def step(draw_id: int) -> StepOutcome:
            return await self.db(commit_draw, self.messaging, draw_id, chain, name_of(user), self.now())

        return await self._step(user, data, step)

    async def run(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        """Draw now, if the named beacon round is out (the job draws anyway a minute later)."""
        t = self.texts(user)
        if not _is_id(data.get(DRAW_FIELD)):
            return CardReply(message=t("card.action_unknown"))
        draw_id = int(str(data[DRAW_FIELD]))
        services = self.services
        outcome, due = await draw_when_due(
            services.database, self.messaging, services.clock, draw_id, configured_beacon(), name_of(user)
        )
        if outcome is StepOutcome.NOT_YET:
            return CardReply(message=t("lottery.not_yet", when=due or self.now()))
        if outcome is not StepOutcome.DONE:
            return CardReply(message=t(f"lottery.step_{outcome.value}"))
        drawn = await self.db(results_of, draw_id)
        if drawn is None:
            return CardReply(message=t("card.action_unknown"))
        return CardReply(card=results_card(t, drawn[0], drawn[1], for_leads=True))

    async def delivered(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        return await self._result(user, data, replace=False)

    async def replace(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        return await self._result(user, data, replace=True)

    async def _result(self, user: UserContext, data: dict[str, Any], *, replace: bool) -> CardReply:
        t = self.texts(user)
        draw_id, slot, ticket = data.get(DRAW_FIELD), data.get(SLOT_FIELD), data.get(TICKET_FIELD)
        if not _is_id(draw_id) or not _is_id(slot) or not isinstance(ticket, str):
            return CardReply(message=t("card.action_unknown"))
        by, now = name_of(user), self.now()
        draw_number, place = int(str(draw_id)), int(str(slot))
        if replace:
            reason = " ".join(str(data.get(REASON_FIELD) or "").split())[:300]
            outcome = await self.db(replace_winner, self.messaging, draw_number, place, ticket, reason, by, now)
        else:
            outcome = await self.db(mark_delivered, draw_number, place, ticket, by, now)
        drawn = await self.db(results_of, draw_number)
        if drawn is None:
            return CardReply(message=t("card.action_unknown"))
        notice = "" if outcome is ResultOutcome.DONE else t(f"lottery.{outcome.value}")
        card = results_card(t, drawn[0], drawn[1], for_leads=True)
        if notice:
            card["body"].insert(1, {"type": "TextBlock", "text": notice, "color": "Attention", "wrap": True})
        return CardReply(card=card)

    async def _step(
        self, user: UserContext, data: dict[str, Any], step: Callable[[int], Awaitable[StepOutcome]]
    ) -> CardReply:
        t = self.texts(user)
        if not _is_id(data.get(DRAW_FIELD)):
            return CardReply(message=t("card.action_unknown"))
        draw_id = int(str(data[DRAW_FIELD]))
        outcome = await step(draw_id)
        found = await self.db(draw_of, draw_id)
        if found is None:
            return CardReply(message=t("card.action_unknown"))
        notice = t(f"lottery.step_{outcome.value}")
        return CardReply(card=lead_card(t, found, notice))

    # --- the new draw's form ----------------------------------------------------------------

    def _default_window(self) -> tuple[datetime, datetime]:
        zone = ZoneInfo(self.services.timezone)
        starts = datetime.combine(self.program_today() + timedelta(days=1), time(9), zone)
        return starts, starts + timedelta(days=NEW_DRAW_DAYS)

    def _spec(self, data: dict[str, Any]) -> tuple[DrawSpec | None, str]:
        """The form's answers as a draw, or the text key saying what to fix."""
        name = " ".join(str(data.get("name") or "").split())[:200]
        if not name:
            return None, "lottery.needs_name"
        prizes = parse_prizes(str(data.get("prizes") or ""))
        if prizes is None:
            return None, "lottery.needs_prizes"
        zone = ZoneInfo(self.services.timezone)
        try:
            opens = datetime.combine(
                date.fromisoformat(str(data["opens_date"])), time.fromisoformat(str(data["opens_time"])), zone
            )
            closes = datetime.combine(
                date.fromisoformat(str(data["closes_date"])), time.fromisoformat(str(data["closes_time"])), zone
            )
        except (KeyError, ValueError):
            return None, "lottery.bad_dates"
        if closes <= opens or closes <= self.now() or closes - opens > timedelta(days=120):
            return None, "lottery.bad_dates"
        try:
            kind = AudienceKind(str(data.get("audience") or AudienceKind.EVERYONE.value))
            cap, alternates, recent = (
                int(str(data.get(key, default)))
                for key, default in (("cap", 10), ("alternates", 3), ("exclude_recent", 1))
            )
        except ValueError:
            return None, "lottery.bad_numbers"
        if not (1 <= cap <= 100 and 0 <= alternates <= 50 and 0 <= recent <= 12):
            return None, "lottery.bad_numbers"
        units = tuple(unit.strip() for unit in str(data.get("units") or "").split(",") if unit.strip())
        if kind in (AudienceKind.DEPARTMENTS, AudienceKind.OFFICES) and not units:
            return None, "lottery.needs_units"
        rules = TicketRules(cap=cap)
        spec = DrawSpec(
            name=name,
            prizes=tuple(prizes),
            opens_at=opens,
            closes_at=closes,
            audience={"kind": kind.value, "units": list(units)},
            rules=rules_to_data(rules),
            exclude_recent=recent,
            alternates=alternates,
        )
        return spec, ""


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0

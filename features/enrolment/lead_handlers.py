"""Enrolment for leads in chat: approvals, program settings and channel, the list of leads, coverage."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from bot.feature import FeatureHandlers
from bot.router import CardReply
from domain.answers import AnswerError, parse_url, record_id
from domain.directory import EMAIL, GUID
from domain.program import UserContext, name_of
from domain.roles import ChampionStatus, Role
from domain.turn import Turn
from features.enrolment import queries
from features.enrolment.domain import EVERY_UNIT, TargetMode, parse_commitment, parse_focus_areas, parse_target
from features.enrolment.leads_workflows import appoint, appointed, dismiss, save_program_settings, set_target
from features.enrolment.nomination_workflows import decide_nomination
from features.enrolment.views import (
    REASON_INPUT,
    application_card,
    coverage_card,
    nomination_card,
    settings_card,
)
from features.enrolment.workflows import (
    DecisionOutcome,
    decide_application,
)

MAX_NOMINEE_MATCHES = 5


@dataclass(frozen=True, slots=True)
class LeadHandlers(FeatureHandlers):
    """What program leads do in enrolment; `Enrolment` (handlers.py) adds what everyone else does."""

    # --- leads: approvals -----------------------------------------------------------------

    async def approvals(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)

        applications, nominations = await self.db(queries.waiting_decisions)
        if not applications and not nominations:
            await turn.say(t("approvals.none"))
            return
        cards = [application_card(t, c.id, c.display_name, c.profile) for c in applications[:10]]
        cards += [nomination_card(t, n.id, n.nominee_name, n.reasons) for n in nominations[:10]]
        await turn.send_cards(cards, text=t("approvals.intro", count=len(cards)))

    async def decide_champion(self, turn: Turn, user: UserContext, data: dict[str, Any], *, approve: bool) -> CardReply:
        t = self.texts(user)
        champion_id = record_id(data.get("champion_id"))
        if champion_id is None:
            return CardReply(message=t("card.action_unknown"))
        reason = _reason_of(data)
        if not approve and not reason:
            current = await self.db(queries.champion, champion_id)
            if current is None:
                return CardReply(message=t("card.action_unknown"))
            error = t("approval.reason_required")
            return CardReply(card=application_card(t, champion_id, current.display_name, current.profile, error=error))
        lead_name = name_of(user)
        now = self.now()
        decided = await self.db(
            decide_application,
            self.messaging,
            champion_id,
            approve=approve,
            lead_name=lead_name,
            reason=reason,
            now=now,
        )
        if decided.outcome is DecisionOutcome.NOT_FOUND or decided.champion is None:
            return CardReply(message=t("card.action_unknown"))
        champion = decided.champion
        outcome = {ChampionStatus.DECLINED: "declined"}.get(champion.status, "approved")
        card = application_card(
            t,
            champion.id,
            champion.display_name,
            champion.profile,
            decided=(outcome, champion.decided_by or "—", champion.decision_reason),
        )
        return CardReply(card=card)

    async def approve_champion(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        return await self.decide_champion(turn, user, data, approve=True)

    async def decline_champion(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        return await self.decide_champion(turn, user, data, approve=False)

    async def approve_nomination(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        return await self.decide_nomination(turn, user, data, approve=True)

    async def decline_nomination(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        return await self.decide_nomination(turn, user, data, approve=False)

    async def decide_nomination(
        self, turn: Turn, user: UserContext, data: dict[str, Any], *, approve: bool
    ) -> CardReply:
        t = self.texts(user)
        nomination_id = record_id(data.get("nomination_id"))
        if nomination_id is None:
            return CardReply(message=t("card.action_unknown"))
        reason = _reason_of(data)
        if not approve and not reason:
            current = await self.db(queries.nomination, nomination_id)
            if current is None:
                return CardReply(message=t("card.action_unknown"))
            card = nomination_card(
                t, nomination_id, current.nominee_name, current.reasons, error=t("approval.reason_required")
            )
            return CardReply(card=card)
        lead_name = name_of(user)
        now = self.now()
        decided = await self.db(
            decide_nomination,
            self.messaging,
            nomination_id,
            approve=approve,
            lead_name=lead_name,
            reason=reason,
            now=now,
        )
        view = decided.nomination
        if decided.outcome is DecisionOutcome.NOT_FOUND or view is None:
            return CardReply(message=t("card.action_unknown"))
        outcome = "approved" if view.status == "approved" else "declined"
        return CardReply(
            card=nomination_card(
                t, view.id, view.nominee_name, view.reasons, decided=(outcome, view.decided_by or "—", None)
            )
        )

    # --- leads: program settings, channel, leads ------------------------------------------

    async def settings(self, turn: Turn, user: UserContext, _argument: str) -> None:
        current = await self.db(queries.program_settings)
        await turn.send_card(settings_card(self.texts(user), current))

    async def save_settings(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        current = await self.db(queries.program_settings)
        try:
            changes: dict[str, Any] = {
                **parse_commitment(data.get("commitment_hours"), data.get("commitment_period")),
                "focus_areas": parse_focus_areas(str(data.get("focus_areas") or "")),
                "auto_approve": str(data.get("auto_approve")).lower() == "true",
                "training_url": parse_url(str(data.get("training_url") or "")),
                "community_url": parse_url(str(data.get("community_url") or "")),
            }
        except AnswerError as error:
            return CardReply(card=settings_card(t, current, t(error.reason, **error.params), error=True))
        by, now = name_of(user), self.now()
        await self.db(save_program_settings, changes, by, now)
        return CardReply(card=settings_card(t, replace(current, **changes), t("settings.saved")))

    async def use_channel(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        if not turn.in_channel:
            await turn.say(t("channel.only_in_channel"))
            return
        changes = {"champions_channel_id": turn.conversation_id, "champions_channel_name": turn.channel_name()[:256]}
        by, now = name_of(user), self.now()
        await self.db(save_program_settings, changes, by, now)
        await turn.say(t("channel.saved"))

    async def list_leads(self, turn: Turn, user: UserContext, _argument: str) -> None:
        await self._list_appointed(turn, user, Role.PROGRAM_LEAD)

    async def list_sponsors(self, turn: Turn, user: UserContext, _argument: str) -> None:
        await self._list_appointed(turn, user, Role.SPONSOR)

    async def add_lead(self, turn: Turn, user: UserContext, argument: str) -> None:
        await self._appoint(turn, user, Role.PROGRAM_LEAD, argument)

    async def add_sponsor(self, turn: Turn, user: UserContext, argument: str) -> None:
        await self._appoint(turn, user, Role.SPONSOR, argument)

    async def remove_lead(self, turn: Turn, user: UserContext, argument: str) -> None:
        await self._dismiss(turn, user, Role.PROGRAM_LEAD, argument)

    async def remove_sponsor(self, turn: Turn, user: UserContext, argument: str) -> None:
        await self._dismiss(turn, user, Role.SPONSOR, argument)

    async def _list_appointed(self, turn: Turn, user: UserContext, role: Role) -> None:
        t, texts = self.texts(user), _ROLE_TEXTS[role]
        added = await self.db(appointed, role)
        bootstrap = sorted(self.services.roles.bootstrap(role))
        lines = [f"- {key} ({t('leads.from_settings')})" for key in bootstrap] + [f"- {key}" for key in added]
        await turn.say(t(f"{texts}.list") + "\n\n" + ("\n".join(lines) or t(f"{texts}.none")))

    async def _appoint(self, turn: Turn, user: UserContext, role: Role, argument: str) -> None:
        t, texts = self.texts(user), _ROLE_TEXTS[role]
        key = argument.strip().lower()
        if not (EMAIL.match(key) or GUID.match(key)):
            await turn.say(t(f"{texts}.usage"))
            return
        by, now = name_of(user), self.now()
        added = await self.db(appoint, role, key, by, now)
        await turn.say(t(f"{texts}.added" if added else f"{texts}.already", key=key))

    async def _dismiss(self, turn: Turn, user: UserContext, role: Role, argument: str) -> None:
        t, texts = self.texts(user), _ROLE_TEXTS[role]
        key = argument.strip().lower()
        if self.services.roles.is_bootstrap_key(role, key):
            await turn.say(t(f"{texts}.bootstrap", key=key))
            return
        removed = await self.db(dismiss, role, key, name_of(user), self.now())
        await turn.say(t(f"{texts}.removed" if removed else f"{texts}.not_found", key=key))

    # --- leads: coverage ------------------------------------------------------------------

    async def coverage(self, turn: Turn, user: UserContext, _argument: str) -> None:
        rows = await self.db(queries.coverage)
        await turn.send_card(coverage_card(self.texts(user), rows))

    async def set_target(self, turn: Turn, user: UserContext, argument: str) -> None:
        t = self.texts(user)
        try:
            setting = parse_target(argument)
        except AnswerError as error:
            await turn.say(t(error.reason, **error.params))
            return

        by, now = name_of(user), self.now()

        saved = await self.db(set_target, setting, by, now)
        if saved is None:
            await turn.say(t("target.unknown_unit", kind=t(f"unit.{setting.kind.value}"), name=setting.unit_name))
            return
        name = t("target.every", kind=t(f"unit.{setting.kind.value}").lower()) if saved == EVERY_UNIT else saved
        target = setting.target
        if target.mode is TargetMode.ABSOLUTE:
            await turn.say(t("target.saved", unit=name, target=target.value))
        else:
            await turn.say(t("target.saved_ratio", unit=name, people=target.value))


# The texts each role given in chat is listed, added and removed with.
_ROLE_TEXTS = {Role.PROGRAM_LEAD: "leads", Role.SPONSOR: "sponsors"}


def _reason_of(data: dict[str, Any]) -> str | None:
    reason = data.get(REASON_INPUT)
    if not isinstance(reason, str):
        return None
    cleaned = " ".join(reason.split())[:500]
    return cleaned or None

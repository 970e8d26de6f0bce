"""Enrolment, profiles, nominations, approvals and "who is my champion" in chat."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from typing import Any

from botbuilder.core import MessageFactory, TurnContext
from botbuilder.schema import AttachmentLayoutTypes
from sqlmodel import Session

from bot.cards import attachment, card_message
from bot.handlers.base import FeatureHandlers, name_of
from bot.router import CardReply, CommandRouter
from bot.services import USER_CONTEXT_KEY, BotServices
from bot.teams import base_conversation_id, channel_data, conversation_kind, mentioned_people
from dialogs.enrolment import (
    DEPARTMENTS,
    FOCUS_AREAS,
    NOMINEE_LOOKUP,
    OFFICES,
    TEAMS_LOOKUP,
    TIME_COMMITMENT,
    edit_profile_form,
    join_form,
    nominate_form,
    pause_form,
    step_down_form,
    workplace_form,
)
from dialogs.form import FormDialog, FormRun, Values
from dialogs.host import DialogHost
from domain.champions import (
    AnswerError,
    ChampionProfile,
    Unit,
    free_text,
    parse_end_date,
    parse_focus_areas,
    parse_url,
)
from domain.commands import (
    ADD_LEAD,
    APPROVALS,
    CANCEL,
    COVERAGE,
    EDIT_PROFILE,
    FIND_CHAMPION,
    HELP,
    JOIN,
    LEADS_ONLY,
    LIST_LEADS,
    NOMINATE,
    PAUSE,
    PROFILE,
    PROGRAM_SETTINGS,
    REMOVE_LEAD,
    RESUME,
    SET_TARGET,
    STEP_DOWN,
    USE_CHANNEL,
    Command,
    normalize_text,
)
from domain.coverage import EVERY_UNIT, coverage_report, parse_target
from domain.directory import EMAIL, GUID
from domain.ports import ConversationKind
from domain.program import UserContext
from domain.roles import ChampionStatus, Role
from storage.champions import ChampionRoster, Workplaces
from storage.program import Coverage, Leads, Nominations, ProgramConfig
from storage.repositories import Champions, Members
from views.champions import (
    APPROVE_CHAMPION,
    APPROVE_NOMINATION,
    DECLINE_CHAMPION,
    DECLINE_NOMINATION,
    REASON_INPUT,
    SAVE_SETTINGS,
    application_card,
    coverage_card,
    nomination_card,
    profile_card,
    settings_card,
    suggestion_card,
)
from workflows.champions import (
    ApplicationOutcome,
    DecisionOutcome,
    decide_application,
    find_champions,
    pause,
    resume,
    step_down,
    submit_application,
    update_profile,
)
from workflows.messaging import Messaging
from workflows.nominations import Nominee, decide_nomination, nominate

MAX_NOMINEE_MATCHES = 5


@dataclass(frozen=True, slots=True)
class Enrolment(FeatureHandlers):
    """The feature's handlers are its methods, registered in `register`."""

    router: CommandRouter = field(kw_only=True)

    # --- asking where someone works (once) ------------------------------------------------

    async def intercept(self, turn_context: TurnContext, user: UserContext, command: Command, argument: str) -> bool:
        """Before an employee command: someone the directory does not know is asked once where they work."""
        if command in (HELP, CANCEL) or not command.allows(Role.EMPLOYEE):
            return False
        teams_user_id = user.identity.teams_user_id
        if not await self.db(lambda s: Workplaces(s).needs_asking(teams_user_id)):
            return False
        data = await self.db(lambda s: {DEPARTMENTS: Workplaces(s).departments(), OFFICES: Workplaces(s).offices()})
        await self.dialogs.begin(
            turn_context,
            "workplace",
            {"data": data, "values": {"then_command": command.id, "then_argument": argument}},
        )
        return True

    async def workplace_done(self, turn_context: TurnContext, values: Values, run: FormRun) -> None:
        teams_user_id = turn_context.activity.from_property.id
        now = self.now()
        await self.db(lambda s: Workplaces(s).declare(teams_user_id, values["department"], values["office"], now))
        await self.say(turn_context, run.t("workplace.thanks"))
        user: UserContext | None = turn_context.turn_state.get(USER_CONTEXT_KEY)
        command = self.services.commands.get(values.get("then_command") or "")
        if user is not None and command is not None and self.router.handles(command):
            await self.router.dispatch(turn_context, user, command, values.get("then_argument") or "")

    async def lookup(self, name: str, values: Values) -> list[str]:
        if name == TEAMS_LOOKUP:
            department = values.get("department") or ""
            return list(await self.db(lambda s: Workplaces(s).teams_in(department)))
        if name == NOMINEE_LOOKUP:
            return [_person_label(person) for person in values.get("who") or []]
        raise KeyError(name)

    # --- who is my champion ---------------------------------------------------------------

    async def find(self, turn_context: TurnContext, user: UserContext, argument: str) -> None:
        t = self.texts(user)
        focus = None
        if argument:
            areas = (await self.db(lambda s: ProgramConfig(s).load())).focus_areas
            wanted = normalize_text(re.sub(r"^(with|for|con|per|เรื่อง|ด้าน)\s+", "", argument.strip(), flags=re.I))
            focus = next((area for area in areas if normalize_text(area) == wanted), None)
            if focus is None:
                await self.say(turn_context, t("find.unknown_focus", focus=argument, areas=", ".join(areas)))
                return
        teams_user_id = user.identity.teams_user_id
        now = self.now()
        found = await self.db(lambda s: find_champions(s, teams_user_id, focus, now.date(), now))
        if not found.suggestions:
            leads = await self.db(lambda s: Leads(s).reachable_members(self.services.roles.bootstrap_leads))
            lead = next((member.display_name for member in leads if member.display_name), None)
            key = "find.none_with_lead" if lead else "find.none"
            await self.say(turn_context, t(key, lead=lead or ""))
            return
        intro = t("find.intro_focus", focus=focus) if focus else t("find.intro")
        message = MessageFactory.carousel(
            [attachment(suggestion_card(t, suggestion)) for suggestion in found.suggestions],
            text=f"{intro}\n\n{t('find.not_it_support')}",
        )
        message.attachment_layout = AttachmentLayoutTypes.list
        await turn_context.send_activity(message)

    # --- joining and the profile ----------------------------------------------------------

    async def join(self, turn_context: TurnContext, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        teams_user_id = user.identity.teams_user_id

        def load(session: Session) -> tuple[Any, dict[str, Any], dict[str, Any]]:
            champion = ChampionRoster(session).of_user(teams_user_id)
            workplaces = Workplaces(session)
            settings = ProgramConfig(session).load()
            unit, _ = workplaces.unit_of(teams_user_id)
            data = {
                DEPARTMENTS: workplaces.departments(),
                OFFICES: workplaces.offices(),
                FOCUS_AREAS: list(settings.focus_areas),
                TIME_COMMITMENT: settings.time_commitment,
                "prefilled": bool(unit.department and unit.office),
            }
            values = {"department": unit.department, "office": unit.office, "team": unit.team}
            return champion, data, values

        champion, data, values = await self.db(load)
        if champion is not None and champion.status.is_champion:
            await self.say(turn_context, t("join.already"))
            return
        if champion is not None and champion.status is ChampionStatus.PENDING:
            await self.say(turn_context, t("join.pending"))
            return
        if user.identity.locale:
            values["languages"] = [t("language.self")]
        await self.dialogs.begin(turn_context, "join", {"data": data, "values": values})

    async def join_done(self, turn_context: TurnContext, values: Values, run: FormRun) -> None:
        if not values.get("confirm"):
            await self.say(turn_context, run.t("join.not_sent"))
            return
        profile = _profile_of(values)
        teams_user_id = turn_context.activity.from_property.id
        now = self.now()
        applied = await self.db(lambda s: submit_application(s, self.messaging, teams_user_id, profile, now))
        if applied.outcome is ApplicationOutcome.ALREADY_CHAMPION:
            await self.say(turn_context, run.t("join.already"))
        elif applied.outcome is ApplicationOutcome.APPROVED:
            await self.say(turn_context, run.t("join.auto_approved"))
        elif applied.leads_notified:
            await self.say(turn_context, run.t("join.submitted"))
        else:
            await self.say(turn_context, run.t("join.submitted_no_lead"))

    async def profile(self, turn_context: TurnContext, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        teams_user_id = user.identity.teams_user_id
        champion = await self.db(lambda s: ChampionRoster(s).of_user(teams_user_id))
        if champion is None or champion.status in (ChampionStatus.DECLINED, ChampionStatus.STEPPED_DOWN):
            await self.say(turn_context, t("profile.not_champion"))
            return
        card = profile_card(t, champion.display_name, champion.status.value, champion.profile, champion.paused_until)
        await turn_context.send_activity(card_message(card))

    async def _champion_or_explain(
        self, turn_context: TurnContext, user: UserContext, *statuses: ChampionStatus
    ) -> Any:
        teams_user_id = user.identity.teams_user_id
        champion = await self.db(lambda s: ChampionRoster(s).of_user(teams_user_id))
        if champion is None or champion.status not in statuses:
            await self.say(turn_context, self.texts(user)("profile.not_champion"))
            return None
        return champion

    async def edit_profile(self, turn_context: TurnContext, user: UserContext, _argument: str) -> None:
        active = (ChampionStatus.ACTIVE, ChampionStatus.PAUSED, ChampionStatus.PENDING)
        champion = await self._champion_or_explain(turn_context, user, *active)
        if champion is None:
            return

        def load(session: Session) -> dict[str, Any]:
            workplaces = Workplaces(session)
            settings = ProgramConfig(session).load()
            return {
                DEPARTMENTS: workplaces.departments(),
                OFFICES: workplaces.offices(),
                FOCUS_AREAS: list(dict.fromkeys([*settings.focus_areas, *champion.profile.focus_areas])),
                "prefilled": True,
            }

        data = await self.db(load)
        profile = champion.profile
        values = {
            "department": profile.unit.department,
            "office": profile.unit.office,
            "team": profile.unit.team,
            "focus_areas": list(profile.focus_areas),
            "languages": list(profile.languages),
        }
        await self.dialogs.begin(turn_context, "edit_profile", {"data": data, "values": values})

    async def edit_profile_done(self, turn_context: TurnContext, values: Values, run: FormRun) -> None:
        if not values.get("confirm"):
            await self.say(turn_context, run.t("profile.not_saved"))
            return
        profile = _profile_of(values)
        teams_user_id = turn_context.activity.from_property.id
        now = self.now()
        saved = await self.db(lambda s: update_profile(s, teams_user_id, profile, now))
        await self.say(turn_context, run.t("profile.saved" if saved else "profile.not_champion"))

    async def pause(self, turn_context: TurnContext, user: UserContext, _argument: str) -> None:
        if await self._champion_or_explain(turn_context, user, ChampionStatus.ACTIVE, ChampionStatus.PAUSED):
            await self.dialogs.begin(turn_context, "pause")

    def parse_pause_end(self, answer: str) -> str:
        return parse_end_date(answer, self.now().date()).isoformat()

    async def pause_done(self, turn_context: TurnContext, values: Values, run: FormRun) -> None:
        until = date.fromisoformat(values["until"])
        teams_user_id = turn_context.activity.from_property.id
        now = self.now()
        paused = await self.db(lambda s: pause(s, teams_user_id, until, now))
        await self.say(
            turn_context, run.t("pause.done", until=until.isoformat()) if paused else run.t("profile.not_champion")
        )

    async def resume(self, turn_context: TurnContext, user: UserContext, _argument: str) -> None:
        teams_user_id = user.identity.teams_user_id
        now = self.now()
        resumed = await self.db(lambda s: resume(s, teams_user_id, now))
        await self.say(turn_context, self.texts(user)("pause.resumed" if resumed else "pause.not_paused"))

    async def step_down(self, turn_context: TurnContext, user: UserContext, _argument: str) -> None:
        statuses = (ChampionStatus.ACTIVE, ChampionStatus.PAUSED, ChampionStatus.PENDING)
        if await self._champion_or_explain(turn_context, user, *statuses):
            await self.dialogs.begin(turn_context, "step_down")

    async def step_down_done(self, turn_context: TurnContext, values: Values, run: FormRun) -> None:
        if not values.get("confirm"):
            await self.say(turn_context, run.t("step_down.kept"))
            return
        teams_user_id = turn_context.activity.from_property.id
        now = self.now()
        successor, reason = values.get("successor"), values.get("reason")
        done = await self.db(lambda s: step_down(s, self.messaging, teams_user_id, successor, reason, now))
        await self.say(turn_context, run.t("step_down.done" if done else "profile.not_champion"))

    # --- nominations ----------------------------------------------------------------------

    async def nominate(self, turn_context: TurnContext, user: UserContext, argument: str) -> None:
        t = self.texts(user)
        data: dict[str, Any] = {}
        mentioned = mentioned_people(turn_context.activity)
        if mentioned:
            teams_user_id, name = mentioned[0]
            data["nominee"] = {"name": name, "teams_user_id": teams_user_id}
        elif argument:
            try:
                matches = await self.find_people(argument)
            except AnswerError as error:
                await self.say(turn_context, t(error.reason, **error.params))
                matches = []
            if len(matches) == 1:
                data["nominee"] = matches[0]
        await self.dialogs.begin(turn_context, "nominate", {"data": data})

    async def find_people(self, text: str) -> list[dict[str, str]]:
        people = await self.db(lambda s: Workplaces(s).search_employees(text, MAX_NOMINEE_MATCHES))
        if not people:
            raise AnswerError("nomination.nobody_found", text=text[:80])
        return [{"name": person.display_name, "email": person.email} for person in people]

    async def nominate_done(self, turn_context: TurnContext, values: Values, run: FormRun) -> None:
        if not values.get("confirm"):
            await self.say(turn_context, run.t("nomination.not_sent"))
            return
        person = run.data.get("nominee") or _picked(values)
        nominee = Nominee(person["name"], person.get("email"), person.get("teams_user_id"))
        user: UserContext | None = turn_context.turn_state.get(USER_CONTEXT_KEY)
        me = user.identity if user else None
        if me is not None and (
            nominee.teams_user_id == me.teams_user_id or (nominee.email and nominee.email in me.lead_keys())
        ):
            await self.say(turn_context, run.t("nomination.self"))
            return

        def is_champion(session: Session) -> bool:
            member = (
                Members(session).get(nominee.teams_user_id)
                if nominee.teams_user_id
                else Workplaces(session).member_by_email(nominee.email or "")
            )
            status = Champions(session).status_of(member.teams_user_id) if member else None
            return status is not None and status.is_champion

        if await self.db(is_champion):
            await self.say(turn_context, run.t("nomination.already_champion", name=nominee.name))
            return
        teams_user_id = turn_context.activity.from_property.id
        now = self.now()
        nominated = await self.db(lambda s: nominate(s, self.messaging, teams_user_id, nominee, values["reason"], now))
        key = "nomination.sent" if nominated.new else "nomination.added"
        await self.say(turn_context, run.t(key, name=nominee.name, count=nominated.supporters))

    # --- leads: approvals -----------------------------------------------------------------

    async def approvals(self, turn_context: TurnContext, user: UserContext, _argument: str) -> None:
        t = self.texts(user)

        def load(session: Session) -> tuple[list[Any], list[Any]]:
            return ChampionRoster(session).pending(), Nominations(session).pending()

        applications, nominations = await self.db(load)
        if not applications and not nominations:
            await self.say(turn_context, t("approvals.none"))
            return
        cards = [application_card(t, c.id, c.display_name, c.profile) for c in applications[:10]]
        cards += [nomination_card(t, n.id, n.nominee_name, n.reasons) for n in nominations[:10]]
        message = MessageFactory.list([attachment(card) for card in cards], text=t("approvals.intro", count=len(cards)))
        await turn_context.send_activity(message)

    async def decide_champion(
        self, turn_context: TurnContext, user: UserContext, data: dict[str, Any], *, approve: bool
    ) -> CardReply:
        t = self.texts(user)
        champion_id = data.get("champion_id")
        if not isinstance(champion_id, int) or isinstance(champion_id, bool):
            return CardReply(message=t("card.action_unknown"))
        reason = _reason_of(data)
        if not approve and not reason:
            current = await self.db(lambda s: ChampionRoster(s).by_id(champion_id))
            if current is None:
                return CardReply(message=t("card.action_unknown"))
            error = t("approval.reason_required")
            return CardReply(card=application_card(t, champion_id, current.display_name, current.profile, error=error))
        lead_name = name_of(user)
        now = self.now()
        decided = await self.db(
            lambda s: decide_application(
                s, self.messaging, champion_id, approve=approve, lead_name=lead_name, reason=reason, now=now
            )
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

    async def decide_nomination(
        self, turn_context: TurnContext, user: UserContext, data: dict[str, Any], *, approve: bool
    ) -> CardReply:
        t = self.texts(user)
        nomination_id = data.get("nomination_id")
        if not isinstance(nomination_id, int) or isinstance(nomination_id, bool):
            return CardReply(message=t("card.action_unknown"))
        reason = _reason_of(data)
        if not approve and not reason:
            current = await self.db(lambda s: Nominations(s).get(nomination_id))
            if current is None:
                return CardReply(message=t("card.action_unknown"))
            card = nomination_card(
                t, nomination_id, current.nominee_name, current.reasons, error=t("approval.reason_required")
            )
            return CardReply(card=card)
        lead_name = name_of(user)
        now = self.now()
        decided = await self.db(
            lambda s: decide_nomination(
                s, self.messaging, nomination_id, approve=approve, lead_name=lead_name, reason=reason, now=now
            )
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

    async def settings(self, turn_context: TurnContext, user: UserContext, _argument: str) -> None:
        current = await self.db(lambda s: ProgramConfig(s).load())
        await turn_context.send_activity(card_message(settings_card(self.texts(user), current)))

    async def save_settings(self, turn_context: TurnContext, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        current = await self.db(lambda s: ProgramConfig(s).load())
        try:
            changes = {
                "time_commitment": _text_field(data, "time_commitment", 100),
                "focus_areas": parse_focus_areas(str(data.get("focus_areas") or "")),
                "auto_approve": str(data.get("auto_approve")).lower() == "true",
                "training_url": parse_url(str(data.get("training_url") or "")),
                "community_url": parse_url(str(data.get("community_url") or "")),
            }
        except AnswerError as error:
            return CardReply(card=settings_card(t, current, t(error.reason, **error.params), error=True))
        by, now = name_of(user), self.now()
        await self.db(lambda s: ProgramConfig(s).save(changes, by, now))
        return CardReply(card=settings_card(t, replace(current, **changes), t("settings.saved")))

    async def use_channel(self, turn_context: TurnContext, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        activity = turn_context.activity
        if conversation_kind(activity) is not ConversationKind.CHANNEL:
            await self.say(turn_context, t("channel.only_in_channel"))
            return
        channel_id = base_conversation_id(activity.conversation.id)
        channel = channel_data(activity).get("channel")
        team = channel_data(activity).get("team")
        name = next(
            (item["name"] for item in (channel, team) if isinstance(item, dict) and isinstance(item.get("name"), str)),
            "",
        )
        changes = {"champions_channel_id": channel_id, "champions_channel_name": name[:256]}
        by, now = name_of(user), self.now()
        await self.db(lambda s: ProgramConfig(s).save(changes, by, now))
        await self.say(turn_context, t("channel.saved"))

    async def list_leads(self, turn_context: TurnContext, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        added = await self.db(lambda s: Leads(s).all())
        bootstrap = sorted(self.services.roles.bootstrap_leads)
        lines = [f"- {key} ({t('leads.from_settings')})" for key in bootstrap] + [f"- {key}" for key in added]
        await self.say(turn_context, t("leads.list") + "\n\n" + "\n".join(lines))

    async def add_lead(self, turn_context: TurnContext, user: UserContext, argument: str) -> None:
        t = self.texts(user)
        key = argument.strip().lower()
        if not (EMAIL.match(key) or GUID.match(key)):
            await self.say(turn_context, t("leads.usage"))
            return
        by, now = name_of(user), self.now()
        added = await self.db(lambda s: Leads(s).add(key, by, now))
        await self.say(turn_context, t("leads.added" if added else "leads.already", key=key))

    async def remove_lead(self, turn_context: TurnContext, user: UserContext, argument: str) -> None:
        t = self.texts(user)
        key = argument.strip().lower()
        if self.services.roles.is_bootstrap_lead_key(key):
            await self.say(turn_context, t("leads.bootstrap", key=key))
            return
        removed = await self.db(lambda s: Leads(s).remove(key))
        await self.say(turn_context, t("leads.removed" if removed else "leads.not_found", key=key))

    # --- leads: coverage ------------------------------------------------------------------

    async def coverage(self, turn_context: TurnContext, user: UserContext, _argument: str) -> None:
        def load(session: Session) -> Any:
            coverage = Coverage(session)
            return coverage_report(coverage.figures(), coverage.targets())

        rows = await self.db(load)
        await turn_context.send_activity(card_message(coverage_card(self.texts(user), rows)))

    async def set_target(self, turn_context: TurnContext, user: UserContext, argument: str) -> None:
        t = self.texts(user)
        try:
            setting = parse_target(argument)
        except AnswerError as error:
            await self.say(turn_context, t(error.reason, **error.params))
            return

        by, now = name_of(user), self.now()

        def save(session: Session) -> str | None:
            name = setting.unit_name
            if name != EVERY_UNIT:
                known = [unit for kind, unit in Coverage(session).figures() if kind is setting.kind]
                match = next((unit for unit in known if normalize_text(unit) == normalize_text(name)), None)
                if known and match is None:
                    return None
                name = match or name
            Coverage(session).set_target(replace(setting, unit_name=name), by, now)
            return name

        saved = await self.db(save)
        if saved is None:
            await self.say(
                turn_context, t("target.unknown_unit", kind=t(f"unit.{setting.kind.value}"), name=setting.unit_name)
            )
            return
        name = t("target.every", kind=t(f"unit.{setting.kind.value}")) if saved == EVERY_UNIT else saved
        await self.say(turn_context, t("target.saved", unit=name, target=setting.target.describe()))


def _profile_of(values: Values) -> ChampionProfile:
    return ChampionProfile(
        unit=Unit(values.get("department") or "", values.get("office") or "", values.get("team") or ""),
        focus_areas=tuple(values.get("focus_areas") or ()),
        languages=tuple(values.get("languages") or ()),
        listed=bool(values.get("listed")),
    )


def _person_label(person: dict[str, str]) -> str:
    return f"{person['name']} ({person['email']})" if person.get("email") else person["name"]


def _picked(values: Values) -> dict[str, str]:
    people = values.get("who") or []
    if len(people) == 1:
        return dict(people[0])
    label = values.get("pick")
    return dict(next(person for person in people if _person_label(person) == label))


def _reason_of(data: dict[str, Any]) -> str | None:
    reason = data.get(REASON_INPUT)
    if not isinstance(reason, str):
        return None
    cleaned = " ".join(reason.split())[:500]
    return cleaned or None


def _text_field(data: dict[str, Any], name: str, limit: int) -> str:
    return free_text(str(data.get(name) or ""), limit)


def register(services: BotServices, router: CommandRouter, dialogs: DialogHost) -> Enrolment:
    feature = Enrolment(services, dialogs, Messaging(services.translate, services.roles), router=router)
    translate = services.translate
    for form in (
        join_form(feature.join_done),
        edit_profile_form(feature.edit_profile_done),
        workplace_form(feature.workplace_done),
        nominate_form(feature.find_people, feature.nominate_done),
        pause_form(feature.parse_pause_end, feature.pause_done),
        step_down_form(feature.step_down_done),
    ):
        dialogs.add(FormDialog(form, translate, feature.lookup))
    for command, handler in (
        (FIND_CHAMPION, feature.find),
        (JOIN, feature.join),
        (NOMINATE, feature.nominate),
        (PROFILE, feature.profile),
        (EDIT_PROFILE, feature.edit_profile),
        (PAUSE, feature.pause),
        (RESUME, feature.resume),
        (STEP_DOWN, feature.step_down),
        (APPROVALS, feature.approvals),
        (COVERAGE, feature.coverage),
        (SET_TARGET, feature.set_target),
        (PROGRAM_SETTINGS, feature.settings),
        (USE_CHANNEL, feature.use_channel),
        (LIST_LEADS, feature.list_leads),
        (ADD_LEAD, feature.add_lead),
        (REMOVE_LEAD, feature.remove_lead),
    ):
        services.commands.register(command)
        router.register(command, handler)
    router.register_action(APPROVE_CHAMPION, partial(feature.decide_champion, approve=True), LEADS_ONLY)
    router.register_action(DECLINE_CHAMPION, partial(feature.decide_champion, approve=False), LEADS_ONLY)
    router.register_action(APPROVE_NOMINATION, partial(feature.decide_nomination, approve=True), LEADS_ONLY)
    router.register_action(DECLINE_NOMINATION, partial(feature.decide_nomination, approve=False), LEADS_ONLY)
    router.register_action(SAVE_SETTINGS, feature.save_settings, LEADS_ONLY)
    router.add_interceptor(feature.intercept)
    return feature

"""Enrolment, profiles, nominations, approvals and "who is my champion" in chat."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlmodel import Session

from bot.feature import FeatureHandlers
from bot.router import CardReply
from dialogs.form import FormRun, Values
from domain.answers import AnswerError, free_text, parse_url
from domain.commands import (
    CANCEL,
    HELP,
    Command,
    normalize_text,
)
from domain.directory import EMAIL, GUID
from domain.people import ChampionProfile, Unit
from domain.program import UserContext, name_of
from domain.roles import ChampionStatus, Role
from domain.turn import Turn
from features.enrolment.dialogs import (
    DEPARTMENTS,
    FOCUS_AREAS,
    NOMINEE_LOOKUP,
    OFFICES,
    TEAMS_LOOKUP,
    TIME_COMMITMENT,
)
from features.enrolment.domain import EVERY_UNIT, coverage_report, parse_end_date, parse_focus_areas, parse_target
from features.enrolment.nominations import Nominee, decide_nomination, nominate
from features.enrolment.storage import ChampionRoster, Coverage, Nominations
from features.enrolment.views import (
    REASON_INPUT,
    application_card,
    coverage_card,
    nomination_card,
    profile_card,
    settings_card,
    suggestion_card,
)
from features.enrolment.workflows import (
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
from storage.champions import Champions
from storage.program import Leads, ProgramConfig
from storage.repositories import Members
from storage.workplaces import Workplaces

MAX_NOMINEE_MATCHES = 5


@dataclass(frozen=True, slots=True)
class Enrolment(FeatureHandlers):
    """Enrolment's handlers; `features/enrolment/__init__.py` names which command or card each answers."""

    # --- asking where someone works (once) ------------------------------------------------

    async def intercept(self, turn: Turn, user: UserContext, command: Command, argument: str) -> bool:
        """Before an employee command: someone the directory does not know is asked once where they work."""
        if command.id in (HELP.id, CANCEL.id) or not command.allows(Role.EMPLOYEE):
            return False
        teams_user_id = user.identity.teams_user_id
        if not await self.db(lambda s: Workplaces(s).needs_asking(teams_user_id)):
            return False
        data = await self.db(lambda s: {DEPARTMENTS: Workplaces(s).departments(), OFFICES: Workplaces(s).offices()})
        await self.begin(
            turn,
            "workplace",
            {"data": data, "values": {"then_command": command.id, "then_argument": argument}},
        )
        return True

    async def workplace_done(self, turn: Turn, values: Values, run: FormRun) -> None:
        teams_user_id = turn.user_id
        now = self.now()
        await self.db(lambda s: Workplaces(s).declare(teams_user_id, values["department"], values["office"], now))
        await turn.say(run.t("workplace.thanks"))
        user: UserContext | None = turn.user
        command = self.services.commands.get(values.get("then_command") or "")
        if user is not None and command is not None and self.router.handles(command):
            await self.router.dispatch(turn, user, command, values.get("then_argument") or "")

    async def lookup(self, name: str, values: Values) -> list[str]:
        if name == TEAMS_LOOKUP:
            department = values.get("department") or ""
            return list(await self.db(lambda s: Workplaces(s).teams_in(department)))
        if name == NOMINEE_LOOKUP:
            return [_person_label(person) for person in values.get("who") or []]
        raise KeyError(name)

    # --- who is my champion ---------------------------------------------------------------

    async def find(self, turn: Turn, user: UserContext, argument: str) -> None:
        t = self.texts(user)
        focus = None
        if argument:
            areas = (await self.db(lambda s: ProgramConfig(s).load())).focus_areas
            wanted = normalize_text(re.sub(r"^(with|for|con|per|เรื่อง|ด้าน)\s+", "", argument.strip(), flags=re.I))
            focus = next((area for area in areas if normalize_text(area) == wanted), None)
            if focus is None:
                await turn.say(t("find.unknown_focus", focus=argument, areas=", ".join(areas)))
                return
        teams_user_id = user.identity.teams_user_id
        now = self.now()
        found = await self.db(lambda s: find_champions(s, teams_user_id, focus, now.date(), now))
        if not found.suggestions:
            leads = await self.db(lambda s: Leads(s).reachable_members(self.services.roles.bootstrap_leads))
            lead = next((member.display_name for member in leads if member.display_name), None)
            key = "find.none_with_lead" if lead else "find.none"
            await turn.say(t(key, lead=lead or ""))
            return
        intro = t("find.intro_focus", focus=focus) if focus else t("find.intro")
        await turn.send_cards(
            [suggestion_card(t, suggestion) for suggestion in found.suggestions],
            text=f"{intro}\n\n{t('find.not_it_support')}",
        )

    # --- joining and the profile ----------------------------------------------------------

    async def join(self, turn: Turn, user: UserContext, _argument: str) -> None:
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
            await turn.say(t("join.already"))
            return
        if champion is not None and champion.status is ChampionStatus.PENDING:
            await turn.say(t("join.pending"))
            return
        if user.identity.locale:
            values["languages"] = [t("language.self")]
        await self.begin(turn, "join", {"data": data, "values": values})

    async def join_done(self, turn: Turn, values: Values, run: FormRun) -> None:
        if not values.get("confirm"):
            await turn.say(run.t("join.not_sent"))
            return
        profile = _profile_of(values)
        teams_user_id = turn.user_id
        now = self.now()
        applied = await self.db(lambda s: submit_application(s, self.messaging, teams_user_id, profile, now))
        if applied.outcome is ApplicationOutcome.ALREADY_CHAMPION:
            await turn.say(run.t("join.already"))
        elif applied.outcome is ApplicationOutcome.APPROVED:
            await turn.say(run.t("join.auto_approved"))
        elif applied.leads_notified:
            await turn.say(run.t("join.submitted"))
        else:
            await turn.say(run.t("join.submitted_no_lead"))

    async def profile(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        teams_user_id = user.identity.teams_user_id
        champion = await self.db(lambda s: ChampionRoster(s).of_user(teams_user_id))
        if champion is None or champion.status in (ChampionStatus.DECLINED, ChampionStatus.STEPPED_DOWN):
            await turn.say(t("profile.not_champion"))
            return
        card = profile_card(t, champion.display_name, champion.status.value, champion.profile, champion.paused_until)
        await turn.send_card(card)

    async def _champion_or_explain(self, turn: Turn, user: UserContext, *statuses: ChampionStatus) -> Any:
        teams_user_id = user.identity.teams_user_id
        champion = await self.db(lambda s: ChampionRoster(s).of_user(teams_user_id))
        if champion is None or champion.status not in statuses:
            await turn.say(self.texts(user)("profile.not_champion"))
            return None
        return champion

    async def edit_profile(self, turn: Turn, user: UserContext, _argument: str) -> None:
        active = (ChampionStatus.ACTIVE, ChampionStatus.PAUSED, ChampionStatus.PENDING)
        champion = await self._champion_or_explain(turn, user, *active)
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
        await self.begin(turn, "edit_profile", {"data": data, "values": values})

    async def edit_profile_done(self, turn: Turn, values: Values, run: FormRun) -> None:
        if not values.get("confirm"):
            await turn.say(run.t("profile.not_saved"))
            return
        profile = _profile_of(values)
        teams_user_id = turn.user_id
        now = self.now()
        saved = await self.db(lambda s: update_profile(s, teams_user_id, profile, now))
        await turn.say(run.t("profile.saved" if saved else "profile.not_champion"))

    async def pause(self, turn: Turn, user: UserContext, _argument: str) -> None:
        if await self._champion_or_explain(turn, user, ChampionStatus.ACTIVE, ChampionStatus.PAUSED):
            await self.begin(turn, "pause")

    def parse_pause_end(self, answer: str) -> str:
        return parse_end_date(answer, self.now().date()).isoformat()

    async def pause_done(self, turn: Turn, values: Values, run: FormRun) -> None:
        until = date.fromisoformat(values["until"])
        teams_user_id = turn.user_id
        now = self.now()
        paused = await self.db(lambda s: pause(s, teams_user_id, until, now))
        await turn.say(run.t("pause.done", until=until.isoformat()) if paused else run.t("profile.not_champion"))

    async def resume(self, turn: Turn, user: UserContext, _argument: str) -> None:
        teams_user_id = user.identity.teams_user_id
        now = self.now()
        resumed = await self.db(lambda s: resume(s, teams_user_id, now))
        await turn.say(self.texts(user)("pause.resumed" if resumed else "pause.not_paused"))

    async def step_down(self, turn: Turn, user: UserContext, _argument: str) -> None:
        statuses = (ChampionStatus.ACTIVE, ChampionStatus.PAUSED, ChampionStatus.PENDING)
        if await self._champion_or_explain(turn, user, *statuses):
            await self.begin(turn, "step_down")

    async def step_down_done(self, turn: Turn, values: Values, run: FormRun) -> None:
        if not values.get("confirm"):
            await turn.say(run.t("step_down.kept"))
            return
        teams_user_id = turn.user_id
        now = self.now()
        successor, reason = values.get("successor"), values.get("reason")
        done = await self.db(lambda s: step_down(s, self.messaging, teams_user_id, successor, reason, now))
        await turn.say(run.t("step_down.done" if done else "profile.not_champion"))

    # --- nominations ----------------------------------------------------------------------

    async def nominate(self, turn: Turn, user: UserContext, argument: str) -> None:
        t = self.texts(user)
        data: dict[str, Any] = {}
        mentioned = turn.mentioned_people()
        if mentioned:
            teams_user_id, name = mentioned[0]
            data["nominee"] = {"name": name, "teams_user_id": teams_user_id}
        elif argument:
            try:
                matches = await self.find_people(argument)
            except AnswerError as error:
                await turn.say(t(error.reason, **error.params))
                matches = []
            if len(matches) == 1:
                data["nominee"] = matches[0]
        await self.begin(turn, "nominate", {"data": data})

    async def find_people(self, text: str) -> list[dict[str, str]]:
        people = await self.db(lambda s: Workplaces(s).search_employees(text, MAX_NOMINEE_MATCHES))
        if not people:
            raise AnswerError("nomination.nobody_found", text=text[:80])
        return [{"name": person.display_name, "email": person.email} for person in people]

    async def nominate_done(self, turn: Turn, values: Values, run: FormRun) -> None:
        if not values.get("confirm"):
            await turn.say(run.t("nomination.not_sent"))
            return
        person = run.data.get("nominee") or _picked(values)
        nominee = Nominee(person["name"], person.get("email"), person.get("teams_user_id"))
        user: UserContext | None = turn.user
        me = user.identity if user else None
        if me is not None and (
            nominee.teams_user_id == me.teams_user_id or (nominee.email and nominee.email in me.lead_keys())
        ):
            await turn.say(run.t("nomination.self"))
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
            await turn.say(run.t("nomination.already_champion", name=nominee.name))
            return
        teams_user_id = turn.user_id
        now = self.now()
        nominated = await self.db(lambda s: nominate(s, self.messaging, teams_user_id, nominee, values["reason"], now))
        key = "nomination.sent" if nominated.new else "nomination.added"
        await turn.say(run.t(key, name=nominee.name, count=nominated.supporters))

    # --- leads: approvals -----------------------------------------------------------------

    async def approvals(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)

        def load(session: Session) -> tuple[list[Any], list[Any]]:
            return ChampionRoster(session).pending(), Nominations(session).pending()

        applications, nominations = await self.db(load)
        if not applications and not nominations:
            await turn.say(t("approvals.none"))
            return
        cards = [application_card(t, c.id, c.display_name, c.profile) for c in applications[:10]]
        cards += [nomination_card(t, n.id, n.nominee_name, n.reasons) for n in nominations[:10]]
        await turn.send_cards(cards, text=t("approvals.intro", count=len(cards)))

    async def decide_champion(self, turn: Turn, user: UserContext, data: dict[str, Any], *, approve: bool) -> CardReply:
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

    async def settings(self, turn: Turn, user: UserContext, _argument: str) -> None:
        current = await self.db(lambda s: ProgramConfig(s).load())
        await turn.send_card(settings_card(self.texts(user), current))

    async def save_settings(self, turn: Turn, user: UserContext, data: dict[str, Any]) -> CardReply:
        t = self.texts(user)
        current = await self.db(lambda s: ProgramConfig(s).load())
        try:
            changes: dict[str, Any] = {
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

    async def use_channel(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        if not turn.in_channel:
            await turn.say(t("channel.only_in_channel"))
            return
        changes = {"champions_channel_id": turn.conversation_id, "champions_channel_name": turn.channel_name()[:256]}
        by, now = name_of(user), self.now()
        await self.db(lambda s: ProgramConfig(s).save(changes, by, now))
        await turn.say(t("channel.saved"))

    async def list_leads(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        added = await self.db(lambda s: Leads(s).all())
        bootstrap = sorted(self.services.roles.bootstrap_leads)
        lines = [f"- {key} ({t('leads.from_settings')})" for key in bootstrap] + [f"- {key}" for key in added]
        await turn.say(t("leads.list") + "\n\n" + "\n".join(lines))

    async def add_lead(self, turn: Turn, user: UserContext, argument: str) -> None:
        t = self.texts(user)
        key = argument.strip().lower()
        if not (EMAIL.match(key) or GUID.match(key)):
            await turn.say(t("leads.usage"))
            return
        by, now = name_of(user), self.now()
        added = await self.db(lambda s: Leads(s).add(key, by, now))
        await turn.say(t("leads.added" if added else "leads.already", key=key))

    async def remove_lead(self, turn: Turn, user: UserContext, argument: str) -> None:
        t = self.texts(user)
        key = argument.strip().lower()
        if self.services.roles.is_bootstrap_lead_key(key):
            await turn.say(t("leads.bootstrap", key=key))
            return
        removed = await self.db(lambda s: Leads(s).remove(key))
        await turn.say(t("leads.removed" if removed else "leads.not_found", key=key))

    # --- leads: coverage ------------------------------------------------------------------

    async def coverage(self, turn: Turn, user: UserContext, _argument: str) -> None:
        def load(session: Session) -> Any:
            coverage = Coverage(session)
            return coverage_report(coverage.figures(), coverage.targets())

        rows = await self.db(load)
        await turn.send_card(coverage_card(self.texts(user), rows))

    async def set_target(self, turn: Turn, user: UserContext, argument: str) -> None:
        t = self.texts(user)
        try:
            setting = parse_target(argument)
        except AnswerError as error:
            await turn.say(t(error.reason, **error.params))
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
            await turn.say(t("target.unknown_unit", kind=t(f"unit.{setting.kind.value}"), name=setting.unit_name))
            return
        name = t("target.every", kind=t(f"unit.{setting.kind.value}")) if saved == EVERY_UNIT else saved
        await turn.say(t("target.saved", unit=name, target=setting.target.describe()))


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

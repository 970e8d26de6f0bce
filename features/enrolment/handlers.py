"""Enrolment in chat for everyone and champions: where I work, who is my champion, joining, the profile,
pauses, stepping down and nominations. Leads' side is in lead_handlers.py."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from dialogs.form import FormRun, Values
from domain.answers import AnswerError
from domain.commands import (
    CANCEL,
    DELETE_MY_DATA,
    HELP,
    MY_DATA,
    Command,
    normalize_text,
)
from domain.people import ChampionProfile, Unit
from domain.program import UserContext
from domain.roles import HOLDING_A_PLACE, ChampionStatus, Role
from domain.turn import Turn
from features.enrolment import queries
from features.enrolment.dialogs import (
    DEPARTMENTS,
    FOCUS_AREAS,
    NOMINEE_LOOKUP,
    OFFICES,
    TEAMS_LOOKUP,
    TIME_COMMITMENT,
)
from features.enrolment.domain import parse_end_date
from features.enrolment.lead_handlers import LeadHandlers
from features.enrolment.nomination_workflows import Nominee, nominate
from features.enrolment.queries import ChampionView
from features.enrolment.views import (
    no_champion_card,
    profile_card,
    suggestion_card,
)
from features.enrolment.workflows import (
    ApplicationOutcome,
    Asker,
    count_referrals,
    declare_workplace,
    find_champions,
    pause,
    resume,
    step_down,
    submit_application,
    update_profile,
)

MAX_NOMINEE_MATCHES = 5


@dataclass(frozen=True, slots=True)
class Enrolment(LeadHandlers):
    """Enrolment's handlers: for everyone and champions here, for leads in `LeadHandlers`.

    `features/enrolment/__init__.py` names which command or card each one answers.
    """

    # --- asking where someone works (once) ------------------------------------------------

    async def intercept(self, turn: Turn, user: UserContext, command: Command, argument: str) -> bool:
        """Before an employee command: someone the directory does not know is asked once where they work."""
        # Help, cancel and a person's rights over their data never wait for a question.
        if command.id in (HELP.id, CANCEL.id, MY_DATA.id, DELETE_MY_DATA.id) or not command.allows(Role.EMPLOYEE):
            return False
        if user.workplace is not None and not user.workplace.may_need_asking:
            return False  # the turn already knows (most turns): no query
        teams_user_id = user.identity.teams_user_id
        if not await self.db(queries.needs_workplace, teams_user_id):
            return False
        offered = await self.db(queries.choices)
        data = {DEPARTMENTS: offered.departments, OFFICES: offered.offices}
        await self.begin(
            turn,
            "workplace",
            {"data": data, "values": {"then_command": command.id, "then_argument": argument}},
        )
        return True

    async def workplace_done(self, turn: Turn, values: Values, run: FormRun) -> None:
        teams_user_id = turn.user_id
        now = self.now()
        await self.db(declare_workplace, teams_user_id, values["department"], values["office"], now)
        await turn.say(run.t("workplace.thanks"))
        user: UserContext | None = turn.user
        command = self.services.commands.get(values.get("then_command") or "")
        if user is not None and command is not None and self.router.handles(command):
            await self.router.dispatch(turn, user, command, values.get("then_argument") or "")

    async def lookup(self, name: str, values: Values) -> list[str]:
        if name == TEAMS_LOOKUP:
            department = values.get("department") or ""
            return await self.db(queries.teams_in, department)
        if name == NOMINEE_LOOKUP:
            return [_person_label(person) for person in values.get("who") or []]
        raise KeyError(name)

    # --- who is my champion ---------------------------------------------------------------

    async def find(self, turn: Turn, user: UserContext, argument: str) -> None:
        t = self.texts(user)
        focus = None
        if argument:
            areas = (await self.db(queries.program_settings)).focus_areas
            wanted = normalize_text(re.sub(r"^(with|for|con|per|เรื่อง|ด้าน)\s+", "", argument.strip(), flags=re.I))
            focus = next((area for area in areas if normalize_text(area) == wanted), None)
            if focus is None:
                await turn.say(t("find.unknown_focus", focus=argument, areas=", ".join(areas)))
                return
        now = self.now()
        found = await self.db_autocommit(find_champions, Asker.of(user), focus, now.date(), now)
        if found.referral is not None:
            self.services.write_behind.add(count_referrals, found.referral)
        if not found.suggestions:
            # Never a dead end: name a lead to chat with, and offer to become the champion.
            lead = await self.db(queries.lead_to_ask, self.services.roles.bootstrap_leads)
            await turn.send_card(no_champion_card(t, lead.name if lead else None, lead.upn if lead else None))
            return
        intro = t("find.intro_focus", focus=focus) if focus else t("find.intro")
        await turn.send_cards(
            [
                suggestion_card(t, suggestion, found.office_hours.get(suggestion.candidate.champion_id))
                for suggestion in found.suggestions
            ],
            text=f"{intro}\n\n{t('find.not_it_support')}",
        )

    # --- joining and the profile ----------------------------------------------------------

    async def join(self, turn: Turn, user: UserContext, _argument: str) -> None:
        t = self.texts(user)
        teams_user_id = user.identity.teams_user_id

        start = await self.db(queries.join_start, teams_user_id)
        champion, unit, offered = start.champion, start.unit, start.choices
        data: dict[str, Any] = {
            DEPARTMENTS: offered.departments,
            OFFICES: offered.offices,
            FOCUS_AREAS: list(offered.settings.focus_areas),
            TIME_COMMITMENT: [offered.settings.commitment_hours, offered.settings.commitment_period],
            "prefilled": bool(unit.department and unit.office),
        }
        values: dict[str, Any] = {"department": unit.department, "office": unit.office, "team": unit.team}
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
        applied = await self.db(submit_application, self.messaging, teams_user_id, profile, now)
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
        champion = await self.db(queries.champion_of, teams_user_id)
        if champion is None or champion.status in (ChampionStatus.DECLINED, ChampionStatus.STEPPED_DOWN):
            await turn.say(t("profile.not_champion"))
            return
        card = profile_card(t, champion.display_name, champion.status.value, champion.profile, champion.paused_until)
        await turn.send_card(card)

    async def _champion_or_explain(
        self, turn: Turn, user: UserContext, *statuses: ChampionStatus
    ) -> ChampionView | None:
        teams_user_id = user.identity.teams_user_id
        champion = await self.db(queries.champion_of, teams_user_id)
        if champion is None or champion.status not in statuses:
            await turn.say(self.texts(user)("profile.not_champion"))
            return None
        return champion

    async def edit_profile(self, turn: Turn, user: UserContext, _argument: str) -> None:
        champion = await self._champion_or_explain(turn, user, *HOLDING_A_PLACE)
        if champion is None:
            return

        offered = await self.db(queries.choices)
        data = {
            DEPARTMENTS: offered.departments,
            OFFICES: offered.offices,
            FOCUS_AREAS: list(dict.fromkeys([*offered.settings.focus_areas, *champion.profile.focus_areas])),
            "prefilled": True,
        }
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
        saved = await self.db(update_profile, teams_user_id, profile, now)
        await turn.say(run.t("profile.saved" if saved else "profile.not_champion"))

    async def pause(self, turn: Turn, user: UserContext, _argument: str) -> None:
        if await self._champion_or_explain(turn, user, ChampionStatus.ACTIVE, ChampionStatus.PAUSED):
            await self.begin(turn, "pause")

    def parse_pause_end(self, answer: str) -> str:
        return parse_end_date(answer, self.now().date()).isoformat()  # machine: kept in the form

    async def pause_done(self, turn: Turn, values: Values, run: FormRun) -> None:
        until = date.fromisoformat(values["until"])
        teams_user_id = turn.user_id
        now = self.now()
        paused = await self.db(pause, teams_user_id, until, now)
        await turn.say(run.t("pause.done", until=until) if paused else run.t("profile.not_champion"))

    async def resume(self, turn: Turn, user: UserContext, _argument: str) -> None:
        teams_user_id = user.identity.teams_user_id
        now = self.now()
        resumed = await self.db(resume, teams_user_id, now)
        await turn.say(self.texts(user)("pause.resumed" if resumed else "pause.not_paused"))

    async def step_down(self, turn: Turn, user: UserContext, _argument: str) -> None:
        if await self._champion_or_explain(turn, user, *HOLDING_A_PLACE):
            await self.begin(turn, "step_down")

    async def step_down_done(self, turn: Turn, values: Values, run: FormRun) -> None:
        if not values.get("confirm"):
            await turn.say(run.t("step_down.kept"))
            return
        teams_user_id = turn.user_id
        now = self.now()
        successor, reason = values.get("successor"), values.get("reason")
        done = await self.db(step_down, self.messaging, teams_user_id, successor, reason, now)
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
        people = await self.db(queries.employees_matching, text, MAX_NOMINEE_MATCHES)
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

        if await self.db(queries.is_champion, nominee.teams_user_id, nominee.email):
            await turn.say(run.t("nomination.already_champion", name=nominee.name))
            return
        teams_user_id = turn.user_id
        now = self.now()
        nominated = await self.db(nominate, self.messaging, teams_user_id, nominee, values["reason"], now)
        key = "nomination.sent" if nominated.new else "nomination.added"
        await turn.say(run.t(key, name=nominee.name, count=nominated.supporters))


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

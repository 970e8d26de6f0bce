"""Enrolment: champions apply or are nominated, leads decide; profiles, pauses, who-is-my-champion,
coverage targets, program settings and leads.

Other features read champions through `storage.champions` (the role every feature shares)
and use nothing else of enrolment's.
"""

from __future__ import annotations

from dataclasses import replace

from bot.feature import Export, Feature, On, OnCard
from dialogs.form import FormSpec
from domain.commands import IN_EVERY_MENU, IN_PERSONAL_MENU, IN_TEAM_MENUS, LEADS_ONLY, Command
from features.enrolment import jobs, privacy, tables
from features.enrolment.dialogs import (
    edit_profile_form,
    join_form,
    nominate_form,
    pause_form,
    step_down_form,
    workplace_form,
)
from features.enrolment.handlers import Enrolment
from features.enrolment.pulse_queries import ChampionRef, ProgramPulse, program_pulse
from features.enrolment.queries import champions_for, program_settings
from features.enrolment.reports import champions_rows, coverage_rows, nominations_rows
from features.enrolment.sample import load_sample_champions
from features.enrolment.views import (
    APPROVE_CHAMPION,
    APPROVE_NOMINATION,
    DECLINE_CHAMPION,
    DECLINE_NOMINATION,
    SAVE_SETTINGS,
)


def _forms(handlers: Enrolment) -> tuple[FormSpec, ...]:
    forms = (
        join_form(handlers.join_done),
        edit_profile_form(handlers.edit_profile_done),
        workplace_form(handlers.workplace_done),
        nominate_form(handlers.find_people, handlers.nominate_done),
        pause_form(handlers.parse_pause_end, handlers.pause_done),
        step_down_form(handlers.step_down_done),
    )
    return tuple(replace(form, lookup=handlers.lookup) for form in forms)


FEATURE: Feature[Enrolment] = Feature(
    name="enrolment",
    package=__name__,
    handlers=Enrolment,
    commands=(
        On(Command("find_champion", menu=IN_EVERY_MENU), Enrolment.find),
        On(Command("join", menu=IN_PERSONAL_MENU), Enrolment.join),
        On(Command("nominate"), Enrolment.nominate),
        On(Command("profile"), Enrolment.profile),
        On(Command("edit_profile", listed=False), Enrolment.edit_profile),
        On(Command("pause", listed=False), Enrolment.pause),
        On(Command("resume", listed=False), Enrolment.resume),
        On(Command("step_down", listed=False), Enrolment.step_down),
        On(Command("approvals", LEADS_ONLY, menu=IN_PERSONAL_MENU), Enrolment.approvals),
        On(Command("coverage", LEADS_ONLY, menu=IN_PERSONAL_MENU), Enrolment.coverage),
        On(Command("set_target", LEADS_ONLY, needs_argument=True), Enrolment.set_target),
        On(Command("settings", LEADS_ONLY), Enrolment.settings),
        On(Command("use_channel", LEADS_ONLY, listed=False, menu=IN_TEAM_MENUS), Enrolment.use_channel),
        On(Command("leads", LEADS_ONLY), Enrolment.list_leads),
        On(Command("add_lead", LEADS_ONLY, needs_argument=True), Enrolment.add_lead),
        On(Command("remove_lead", LEADS_ONLY, needs_argument=True), Enrolment.remove_lead),
        On(Command("sponsors", LEADS_ONLY), Enrolment.list_sponsors),
        On(Command("add_sponsor", LEADS_ONLY, needs_argument=True), Enrolment.add_sponsor),
        On(Command("remove_sponsor", LEADS_ONLY, needs_argument=True), Enrolment.remove_sponsor),
    ),
    card_actions=(
        OnCard(APPROVE_CHAMPION, Enrolment.approve_champion, LEADS_ONLY),
        OnCard(DECLINE_CHAMPION, Enrolment.decline_champion, LEADS_ONLY),
        OnCard(APPROVE_NOMINATION, Enrolment.approve_nomination, LEADS_ONLY),
        OnCard(DECLINE_NOMINATION, Enrolment.decline_nomination, LEADS_ONLY),
        OnCard(SAVE_SETTINGS, Enrolment.save_settings, LEADS_ONLY),
    ),
    forms=_forms,
    interceptors=(Enrolment.intercept,),
    jobs=jobs.jobs,
    exports=(
        Export("coverage", "coverage by unit, worst first", coverage_rows),
        Export.by_date("champions", "every champion: profile, status and decision", champions_rows),
        Export.by_date("nominations", "every nomination and how many proposed the person", nominations_rows),
    ),
    tables=(
        tables.ChampionReferralRecord,
        tables.ChampionReferralCountRecord,
        tables.UnmatchedRequestRecord,
        tables.CoverageTargetRecord,
        tables.NominationRecord,
        tables.NominationReasonRecord,
    ),
    personal_data=privacy.PERSONAL_DATA,
    sample_data=load_sample_champions,
)

__all__ = [
    "FEATURE",
    "ChampionRef",
    "ProgramPulse",
    "champions_for",
    "program_pulse",
    "program_settings",
]

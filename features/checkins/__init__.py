"""Check-ins: recurring rounds champions answer, reminders, and the feedback items leads triage.

Other features use check-ins only through what this module exports.
"""

from __future__ import annotations

from bot.feature import Export, Feature, On, OnCard
from domain.commands import CHAMPIONS, IN_PERSONAL_MENU, LEADS_ONLY, Command
from features.checkins import jobs, privacy, tables
from features.checkins.dialogs import skip_form
from features.checkins.handlers import Checkins
from features.checkins.pulse_queries import CheckinPulse, checkin_pulse
from features.checkins.reports import answers_rows, feedback_rows
from features.checkins.views import (
    CHECKIN_SKIP_VERB,
    CHECKIN_SNOOZE_VERB,
    CHECKIN_SUBMIT_VERB,
    SAVE_CADENCE,
    SAVE_QUESTIONS,
    UPDATE_FEEDBACK,
)

FEATURE: Feature[Checkins] = Feature(
    name="checkins",
    package=__name__,
    handlers=Checkins,
    commands=(
        On(Command("check_in", CHAMPIONS, menu=IN_PERSONAL_MENU), Checkins.check_in),
        On(Command("skip_checkin", CHAMPIONS, listed=False), Checkins.skip),
        On(Command("snooze_checkin", CHAMPIONS, listed=False), Checkins.snooze),
        On(Command("checkin_history", CHAMPIONS), Checkins.history),
        On(Command("checkin_cadence", LEADS_ONLY), Checkins.cadence),
        On(Command("checkin_questions", LEADS_ONLY, listed=False), Checkins.questions),
        On(Command("checkin_results", LEADS_ONLY), Checkins.results),
        On(Command("feedback", LEADS_ONLY), Checkins.feedback),
    ),
    card_actions=(
        OnCard(CHECKIN_SUBMIT_VERB, Checkins.submit, CHAMPIONS),
        OnCard(CHECKIN_SKIP_VERB, Checkins.skip_from_card, CHAMPIONS),
        OnCard(CHECKIN_SNOOZE_VERB, Checkins.snooze_from_card, CHAMPIONS),
        OnCard(SAVE_CADENCE, Checkins.save_cadence, LEADS_ONLY),
        OnCard(SAVE_QUESTIONS, Checkins.save_questions, LEADS_ONLY),
        OnCard(UPDATE_FEEDBACK, Checkins.update_feedback, LEADS_ONLY),
    ),
    forms=lambda handlers: (skip_form(handlers.skip_done),),
    jobs=jobs.jobs,
    exports=(
        Export("feedback", "feedback items, newest first", feedback_rows),
        Export.by_date("checkin-answers", "every check-in answered, with its words (for leads)", answers_rows),
    ),
    tables=(
        tables.CheckinRoundRecord,
        tables.CheckinAssignmentRecord,
        tables.FeedbackItemRecord,
        tables.FeedbackEventRecord,
    ),
    personal_data=privacy.PERSONAL_DATA,
)

__all__ = [
    "FEATURE",
    "CheckinPulse",
    "checkin_pulse",
]

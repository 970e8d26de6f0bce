"""Treasure hunts between departments: legs of clues, each team dealt its own, answered in chat.

Uses recognition's `credit_contest` for players' points; nothing else of another feature.
"""

from __future__ import annotations

from bot.feature import Export, Feature, Files, On, OnCard
from domain.commands import LEADS_ONLY, Command
from features.hunts import jobs, privacy, tables
from features.hunts.evidence_storage import read_picture
from features.hunts.evidence_workflows import PICTURES
from features.hunts.handlers import HuntHandlers
from features.hunts.ops_workflows import HUNT_FILES
from features.hunts.pulse_queries import HuntPulse, hunt_pulse
from features.hunts.reports import results_rows
from features.hunts.storage import read_hunt_file
from features.hunts.views import ANSWER, CHECK, EDIT_CLUE, HINT, REVIEW, SAVE_CLUE, SCHEDULE

FEATURE: Feature[HuntHandlers] = Feature(
    name="hunts",
    package=__name__,
    handlers=HuntHandlers,
    commands=(
        On(Command("hunt"), HuntHandlers.hunt),
        On(Command("hunt_standings"), HuntHandlers.standings),
        On(Command("answer", needs_argument=True), HuntHandlers.answer_typed),
        On(Command("hunt_templates", LEADS_ONLY), HuntHandlers.templates),
        On(Command("new_hunt", LEADS_ONLY), HuntHandlers.new_hunt),
        On(Command("hunt_flags", LEADS_ONLY), HuntHandlers.flags),
        On(Command("hunt_evidence", LEADS_ONLY), HuntHandlers.evidence),
        On(Command("hunt_file", LEADS_ONLY), HuntHandlers.hunt_file),
        On(Command("announce_hunt", LEADS_ONLY), HuntHandlers.announce),
        On(Command("hunt_teams", LEADS_ONLY), HuntHandlers.teams),
        On(Command("dry_run_hunt", LEADS_ONLY), HuntHandlers.dry_run),
        On(Command("edit_hunt", LEADS_ONLY), HuntHandlers.edit),
        On(Command("preview_hunt", LEADS_ONLY, needs_argument=True), HuntHandlers.preview),
        On(Command("pause_hunt", LEADS_ONLY), HuntHandlers.pause),
        On(Command("resume_hunt", LEADS_ONLY), HuntHandlers.resume),
        On(Command("extend_hunt", LEADS_ONLY, needs_argument=True), HuntHandlers.extend),
        On(Command("adjust_hunt", LEADS_ONLY, needs_argument=True), HuntHandlers.adjust),
    ),
    card_actions=(
        OnCard(ANSWER, HuntHandlers.answer_card),
        OnCard(HINT, HuntHandlers.hint),
        OnCard(CHECK, HuntHandlers.check),
        OnCard(SCHEDULE, HuntHandlers.schedule, LEADS_ONLY),
        OnCard(EDIT_CLUE, HuntHandlers.edit_clue, LEADS_ONLY),
        OnCard(SAVE_CLUE, HuntHandlers.save_clue, LEADS_ONLY),
        # Anyone may press it: the workflow lets only the champion it was sent to, or a lead, decide.
        OnCard(REVIEW, HuntHandlers.review),
    ),
    file_takers=(HuntHandlers.take_files,),
    files=(Files(PICTURES, read_picture), Files(HUNT_FILES, read_hunt_file)),
    jobs=jobs.jobs,
    exports=(
        Export("hunt-results", "every hunt's teams: rank, score, points, share who played, clues solved", results_rows),
    ),
    tables=(
        tables.HuntRecord,
        tables.HuntTeamRecord,
        tables.HuntClueStateRecord,
        tables.HuntAnswerRecord,
        tables.HuntPlayerRecord,
        tables.HuntAdjustmentRecord,
        tables.HuntCheckRecord,
        tables.HuntEvidenceRecord,
    ),
    personal_data=privacy.PERSONAL_DATA,
)

__all__ = [
    "FEATURE",
    "HuntPulse",
    "hunt_pulse",
]

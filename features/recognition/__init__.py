"""Recognition: success stories, kudos, the points ledger, levels and leaderboards.

Other features use recognition only through what this module exports: `award` credits
a champion's points for something they did (enrolment and check-ins call it),
`credit_contest` credits anyone who plays a contest (hunts call it), `hidden_from_public`
says who may not be named in a contest's public results, `ledger_activity` is what people
earned points for (a lottery's tickets come from it), and `PointsReason` names why;
`recognition_pulse` is what the digests report and `thank_from_sponsor` a sponsor's thanks.
"""

from __future__ import annotations

from bot.feature import Export, Feature, On, OnCard
from domain.commands import CHAMPIONS, IN_EVERY_MENU, IN_PERSONAL_MENU, IN_TEAM_MENUS, LEADS_ONLY, Command
from features.recognition import jobs, privacy, tables
from features.recognition.dialogs import story_form
from features.recognition.domain import PointsReason
from features.recognition.handlers import Recognition
from features.recognition.pulse_queries import RecognitionPulse, recognition_pulse
from features.recognition.reports import ledger_rows, stories_rows
from features.recognition.views import (
    APPLAUD_STORY,
    PUBLISH_STORY,
    REJECT_STORY,
    SAVE_RECOGNITION,
    STORY_OF_MONTH,
)
from features.recognition.workflows import (
    LedgerActivity,
    award,
    credit_contest,
    hidden_from_public,
    ledger_activity,
    thank_from_sponsor,
)

FEATURE: Feature[Recognition] = Feature(
    name="recognition",
    package=__name__,
    handlers=Recognition,
    commands=(
        On(Command("share_story", menu=IN_PERSONAL_MENU), Recognition.share),
        On(Command("stories", menu=IN_TEAM_MENUS), Recognition.stories),
        On(Command("kudos", needs_argument=True, menu=IN_TEAM_MENUS), Recognition.kudos),
        On(Command("leaderboard", menu=IN_EVERY_MENU), Recognition.leaderboard),
        On(Command("seasons"), Recognition.seasons),
        On(Command("new_season", LEADS_ONLY, needs_argument=True), Recognition.new_season),
        On(Command("my_points", CHAMPIONS, menu=IN_PERSONAL_MENU), Recognition.my_points),
        On(Command("hide_me"), Recognition.hide_me),
        On(Command("show_me"), Recognition.show_me),
        On(Command("award_points", LEADS_ONLY, needs_argument=True), Recognition.award_points),
        On(Command("revoke_points", LEADS_ONLY, needs_argument=True), Recognition.revoke_points),
        On(Command("recognition_settings", LEADS_ONLY, listed=False), Recognition.settings),
        On(Command("recent_kudos", LEADS_ONLY, listed=False), Recognition.recent_kudos),
        On(Command("story_channel", LEADS_ONLY, listed=False, menu=IN_TEAM_MENUS), Recognition.story_channel),
    ),
    card_actions=(
        OnCard(PUBLISH_STORY, Recognition.publish_story, LEADS_ONLY),
        OnCard(REJECT_STORY, Recognition.reject_story, LEADS_ONLY),
        OnCard(STORY_OF_MONTH, Recognition.story_of_month, LEADS_ONLY),
        OnCard(APPLAUD_STORY, Recognition.applaud),
        OnCard(SAVE_RECOGNITION, Recognition.save_settings, LEADS_ONLY),
    ),
    forms=lambda handlers: (story_form(handlers.credit_for_story, handlers.share_done),),
    jobs=jobs.jobs,
    tables=(
        tables.StoryRecord,
        tables.StoryApplauseRecord,
        tables.KudosRecord,
        tables.PointsEntryRecord,
        tables.ChampionLevelRecord,
        tables.LeaderboardOptOutRecord,
        tables.SeasonRecord,
    ),
    exports=(
        Export.by_date("stories", "every story: status, impact, applause", stories_rows),
        Export.by_date("ledger", "the points ledger, oldest first", ledger_rows),
    ),
    personal_data=privacy.PERSONAL_DATA,
)

__all__ = [
    "FEATURE",
    "LedgerActivity",
    "PointsReason",
    "RecognitionPulse",
    "award",
    "credit_contest",
    "hidden_from_public",
    "ledger_activity",
    "recognition_pulse",
    "thank_from_sponsor",
]

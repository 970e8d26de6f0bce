"""Two leads choosing the story of the month at the same moment: one wins, the other is told who chose what."""

from __future__ import annotations

from datetime import date

import pytest

from bot.assembly import translator_for
from domain.identity import UserIdentity
from domain.roles import ProgramRoles
from features.installed import INSTALLED_FEATURES
from features.recognition.domain import StoryDraft, StoryStatus
from features.recognition.storage import Stories
from features.recognition.workflows import MonthOutcome, choose_story_of_month
from storage.database import Database
from storage.messaging import Messaging
from storage.migrations import upgrade
from storage.repositories import Members
from tests.support.clock import FrozenClock

TODAY = date(2026, 11, 23)


@pytest.fixture
def stories_db(database_url: str):
    upgrade(database_url)
    database = Database(database_url)
    yield database
    database.close()


def published(db: Database, clock: FrozenClock, title: str) -> int:
    now = clock.now()

    def work(session) -> int:
        members = Members(session)
        members.record_seen(UserIdentity(f"29:{title}", title), now)
        member = members.get(f"29:{title}")
        draft = StoryDraft(title, "What happened", "The impact", None, None, "Sales", ("Sales",))
        return Stories(session).add(member.id, draft, StoryStatus.PUBLISHED, now)

    return db.transaction(work)


def test_the_second_of_two_simultaneous_choices_is_told_who_chose_and_what(stories_db, monkeypatch):
    db, clock = stories_db, FrozenClock()
    messaging = Messaging(translator_for(INSTALLED_FEATURES), ProgramRoles(()))
    first, second = published(db, clock, "Quotes in a day"), published(db, clock, "Fewer duplicates")

    won = db.transaction(lambda s: choose_story_of_month(s, messaging, first, "Lena Lead", TODAY, clock.now()))
    assert (won.outcome, won.title, won.chosen_by) == (MonthOutcome.DONE, "Quotes in a day", "Lena Lead")

    # The race: the second lead's transaction looked before the first one committed.
    real_month_taken = Stories.month_taken
    looked = []

    def not_yet(self, month):
        looked.append(month)
        return None if len(looked) == 1 else real_month_taken(self, month)

    monkeypatch.setattr(Stories, "month_taken", not_yet)
    lost = db.transaction(lambda s: choose_story_of_month(s, messaging, second, "Marco Lead", TODAY, clock.now()))
    assert (lost.outcome, lost.title, lost.chosen_by) == (MonthOutcome.TAKEN, "Quotes in a day", "Lena Lead")
    assert db.transaction(lambda s: Stories(s).get(second)).story_of_month is None

"""What recognition's handlers read: one typed function per question, each run in its own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from domain.commands import normalize_text
from features.recognition.domain import RecognitionSettings, Season, Story
from features.recognition.storage import (
    KudosBook,
    PointsLedger,
    RecognitionConfig,
    Seasons,
    Stories,
)
from features.recognition.workflows import Leaderboard, leaderboard
from storage.champions import Champions
from storage.program import ProgramConfig
from storage.repositories import Members
from storage.workplaces import Workplaces


def champions_called(session: Session, text: str, limit: int) -> list[tuple[int, str, str]]:
    """(champion id, name, email) of champions whose name or email matches what was typed."""
    return Champions(session).named(text, limit)


def champion_id_of(session: Session, teams_user_id: str) -> int | None:
    return Champions(session).active_id_of(teams_user_id)


def display_name_of(session: Session, teams_user_id: str) -> str:
    """The name the directory knows a member by; "" when it knows none."""
    member = Members(session).get(teams_user_id)
    return member.display_name if member is not None and member.display_name else ""


def story_form_start(session: Session, teams_user_id: str) -> tuple[list[str], list[str], str]:
    """What the share-a-story form offers: departments, the program's focus areas, the author's department."""
    workplaces = Workplaces(session)
    unit, _ = workplaces.unit_of(teams_user_id)
    return workplaces.departments(), list(ProgramConfig(session).load().focus_areas), unit.department


def stories_about(session: Session, wanted: str, limit: int, *, with_pending: bool) -> tuple[list[Story], list[Story]]:
    """Published stories about a focus area or a unit (all, when `wanted` is empty), and those awaiting a lead."""
    stories = Stories(session)
    focus = next(
        (area for area in ProgramConfig(session).load().focus_areas if normalize_text(area) == normalize_text(wanted)),
        None,
    )
    published = stories.published(focus_area=focus, unit=None if focus or not wanted else wanted, limit=limit)
    return published, stories.pending() if with_pending and not wanted else []


def story(session: Session, story_id: int) -> Story | None:
    return Stories(session).get(story_id)


def recent_kudos(session: Session) -> Sequence[tuple[str, str, str, datetime]]:
    """(giver, champion, message, when), newest first."""
    return KudosBook(session).recent()


def board_for(
    session: Session, teams_user_id: str, since: datetime | None, until: datetime | None = None
) -> tuple[Leaderboard, int | None]:
    """The leaderboard from `since` to `until`, and the asker's champion id (None for someone not a champion)."""
    return leaderboard(session, since, until), Champions(session).active_id_of(teams_user_id)


def seasons(session: Session) -> list[Season]:
    """Every season, oldest first."""
    return Seasons(session).all()


def points_of(
    session: Session, teams_user_id: str, timezone: str
) -> tuple[int, list[tuple[date, int, str, str]]] | None:
    """A champion's total and latest ledger entries (day, points, reason, note); None if not a champion."""
    champion_id = Champions(session).active_id_of(teams_user_id)
    if champion_id is None:
        return None
    ledger = PointsLedger(session)
    zone = ZoneInfo(timezone)
    entries = [
        (entry.created_at.astimezone(zone).date(), entry.points, entry.reason, entry.note)
        for entry in ledger.entries(champion_id)
    ]
    return ledger.total(champion_id), entries


def recognition_settings(session: Session) -> RecognitionSettings:
    return RecognitionConfig(session).load()

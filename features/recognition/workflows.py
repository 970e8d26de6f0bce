"""Points, levels, stories, kudos and the monthly recognition post, each in the caller's transaction.

Points come with the action that earned them (same transaction, a source key so a replay
earns nothing twice); a level crossed is announced once, to the champion and, if the
program wants, in the channel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlmodel import Session

from domain.i18n import Texts
from domain.outbox import MessagePayload, OutboundMessage, ToConversation, ToUser
from features.recognition.domain import (
    LEADERBOARD_SIZE,
    PointsReason,
    Ranked,
    RecognitionSettings,
    Story,
    StoryDraft,
    StoryStatus,
    levels_reached,
    month_key,
    per_champion,
    previous_month,
    rank,
    season_at,
)
from features.recognition.storage import (
    KudosBook,
    LeaderboardOptOuts,
    Levels,
    PointsLedger,
    RecognitionConfig,
    Seasons,
    Stories,
)
from features.recognition.views import level_post, monthly_post, story_card, story_moderation_card
from storage.audit import AuditTrail
from storage.champions import Champions
from storage.messaging import Messaging
from storage.program import ProgramConfig
from storage.repositories import Members
from views.cards import Card, plain

SYSTEM = "Champion Circle"


def award(
    session: Session,
    messaging: Messaging,
    champion_id: int,
    reason: PointsReason,
    now: datetime,
    *,
    source_key: str | None,
    points: int | None = None,
    by: str = SYSTEM,
    note: str = "",
) -> int | None:
    """Add points (the program's value for `reason` unless given); the ledger entry's id, or None."""
    settings = RecognitionConfig(session).load()
    value = settings.value_of(reason) if points is None else points
    if value == 0:
        return None
    ledger = PointsLedger(session)
    champion = Champions(session).by_id(champion_id)
    credit = ledger.credit_for(champion.teams_user_id) if champion is not None else None
    if champion is None or credit is None:
        return None
    # Points a lead gives or takes stay the champion's even while their status is changing.
    credit = replace(credit, champion_id=champion_id)
    before = ledger.total(champion_id)
    entry_id = ledger.add(credit, value, reason, now, by=by, note=note, source_key=source_key)
    if entry_id is None:
        return None
    crossed = levels_reached(before, before + value)
    if crossed:
        _announce_levels(
            session, messaging, champion_id, [level.key for level in crossed], now, settings.announce_levels
        )
    return entry_id


def credit_contest(
    session: Session,
    messaging: Messaging,
    teams_user_id: str,
    points: int,
    now: datetime,
    *,
    source_key: str,
    note: str = "",
) -> int | None:
    """Points a contest (a hunt, a lottery) gives anyone who plays, champion or not, counted
    for their department; the ledger entry's id, or None when `source_key` already earned."""
    if points == 0:
        return None
    ledger = PointsLedger(session)
    credit = ledger.credit_for(teams_user_id)
    if credit is None:
        return None
    before = ledger.total(credit.champion_id) if credit.champion_id is not None else 0
    entry_id = ledger.add(credit, points, PointsReason.CONTEST, now, by=SYSTEM, note=note, source_key=source_key)
    if entry_id is not None and credit.champion_id is not None:
        crossed = levels_reached(before, before + points)
        if crossed:
            announce = RecognitionConfig(session).load().announce_levels
            _announce_levels(session, messaging, credit.champion_id, [level.key for level in crossed], now, announce)
    return entry_id


def thank_from_sponsor(
    session: Session, messaging: Messaging, champion_id: int, sponsor: str, period: str, now: datetime
) -> bool:
    """A sponsor's thanks to a champion of the month: recognition points and a message from them,
    once per sponsor, champion and period (a second press changes nothing); False when it was
    already given or the champion is gone."""
    champion = Champions(session).by_id(champion_id)
    if champion is None:
        return False
    key = f"sponsor-thanks:{period}:{champion_id}:{sponsor.casefold()}"[:191]
    entry_id = award(session, messaging, champion_id, PointsReason.SPONSOR_THANKS, now, source_key=key, by=sponsor)
    if entry_id is None:
        return False
    points = RecognitionConfig(session).load().value_of(PointsReason.SPONSOR_THANKS)
    texts = messaging.texts_for(Members(session).get(champion.teams_user_id))
    text = texts("sponsor_thanks.message", sponsor=sponsor, points=points)
    messaging.send(session, OutboundMessage(key, ToUser(champion.teams_user_id), MessagePayload(text)), now)
    return True


def _announce_levels(
    session: Session, messaging: Messaging, champion_id: int, levels: list[str], now: datetime, in_channel: bool
) -> None:
    champion = Champions(session).by_id(champion_id)
    if champion is None:
        return
    texts = messaging.texts_for(Members(session).get(champion.teams_user_id))
    channel = ProgramConfig(session).load().champions_channel_id
    # Someone hidden from public posts is told, not announced.
    if in_channel and channel and LeaderboardOptOuts(session).hides(champion.member_id):
        in_channel = False
    for level in levels:
        if not Levels(session).reach(champion_id, level, now):
            continue
        name = texts(f"level.{level}")
        messaging.send(
            session,
            OutboundMessage(
                f"level:{champion_id}:{level}",
                ToUser(champion.teams_user_id),
                MessagePayload(texts("level.reached", level=name)),
            ),
            now,
        )
        if in_channel and channel:
            channel_texts = Texts(messaging.translate, None)
            post = level_post(channel_texts, champion.display_name, level)
            message = MessagePayload(channel_texts("level.channel_preview", name=champion.display_name), post)
            messaging.send(
                session, OutboundMessage(f"level:{champion_id}:{level}:channel", ToConversation(channel), message), now
            )


def adjust_points(
    session: Session, messaging: Messaging, champion_id: int, points: int, note: str, by: str, now: datetime
) -> int:
    """A lead awards (points > 0) or revokes (points < 0) with a reason; the champion is told. New total."""
    reason = PointsReason.AWARD if points > 0 else PointsReason.REVOKE
    entry_id = award(session, messaging, champion_id, reason, now, source_key=None, points=points, by=by, note=note)
    champion = Champions(session).by_id(champion_id)
    if champion is not None and entry_id is not None:
        action = "points.award" if points > 0 else "points.revoke"
        AuditTrail(session).record(by, action, champion.display_name, now, after={"points": points, "reason": note})
        texts = messaging.texts_for(Members(session).get(champion.teams_user_id))
        text_key = "points.awarded_message" if points > 0 else "points.revoked_message"
        text = texts(text_key, points=abs(points), reason=note, lead=by)
        messaging.send(
            session, OutboundMessage(f"points:{entry_id}", ToUser(champion.teams_user_id), MessagePayload(text)), now
        )
    return PointsLedger(session).total(champion_id)


# --- stories ------------------------------------------------------------------------------


class StoryOutcome(StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    ALREADY_DECIDED = "already_decided"
    NOT_FOUND = "not_found"


@dataclass(frozen=True, slots=True)
class StoryResult:
    outcome: StoryOutcome
    story_id: int | None = None
    leads_notified: int = 0


def share_story(
    session: Session, messaging: Messaging, author_teams_id: str, draft: StoryDraft, now: datetime
) -> StoryResult:
    member = Members(session).get(author_teams_id)
    if member is None or member.id is None:
        return StoryResult(StoryOutcome.NOT_FOUND)
    settings = RecognitionConfig(session).load()
    stories = Stories(session)
    if not settings.moderation:
        story_id = stories.add(member.id, draft, StoryStatus.PUBLISHED, now)
        _published(session, messaging, story_id, now)
        return StoryResult(StoryOutcome.PUBLISHED, story_id)
    story_id = stories.add(member.id, draft, StoryStatus.PENDING, now)
    story = stories.get(story_id)
    assert story is not None

    def build(texts: Texts) -> tuple[str, Card | None]:
        return texts("story.moderation_preview", name=story.author_name), story_moderation_card(texts, story)

    notified = messaging.notify_leads(session, f"story:{story_id}:moderation", now, build)
    return StoryResult(StoryOutcome.PENDING, story_id, notified)


def moderate_story(
    session: Session,
    messaging: Messaging,
    story_id: int,
    *,
    publish: bool,
    lead_name: str,
    reason: str | None,
    edits: dict[str, str],
    now: datetime,
) -> StoryResult:
    """Publish (with a lead's edits, if any) or reject with a reason that reaches the author; once."""
    stories = Stories(session)
    current = stories.get(story_id)
    if current is None:
        return StoryResult(StoryOutcome.NOT_FOUND)
    changed = {name: value for name, value in edits.items() if getattr(current, name) != value}
    to = StoryStatus.PUBLISHED if publish else StoryStatus.REJECTED
    if not stories.moderate(story_id, to, lead_name, now, reason=reason, edits=changed or None):
        return StoryResult(StoryOutcome.ALREADY_DECIDED, story_id)
    AuditTrail(session).record(
        lead_name,
        "story.publish" if publish else "story.reject",
        current.title,
        now,
        before={name: getattr(current, name) for name in changed} or None,
        after={**changed, **({"reason": reason} if reason else {})} or None,
    )
    if publish:
        _published(session, messaging, story_id, now)
        return StoryResult(StoryOutcome.PUBLISHED, story_id)
    texts = Texts(messaging.translate, current.author_locale)
    text = texts("story.rejected_message", title=current.title, reason=reason or "—", lead=lead_name)
    messaging.send(
        session,
        OutboundMessage(f"story:{story_id}:rejected", ToUser(current.author_teams_id), MessagePayload(text)),
        now,
    )
    return StoryResult(StoryOutcome.REJECTED, story_id)


def _credited(session: Session, story: Story) -> int | None:
    """Who the story's points go to: the champion it credits, else its author if a champion."""
    if story.credited_champion_id is not None:
        return story.credited_champion_id
    author = Champions(session).of_user(story.author_teams_id)
    return author.id if author is not None and author.status.is_champion else None


def _published(session: Session, messaging: Messaging, story_id: int, now: datetime) -> None:
    story = Stories(session).get(story_id)
    assert story is not None
    texts = Texts(messaging.translate, story.author_locale)
    key = "story.published_edited" if story.edited else "story.published_message"
    messaging.send(
        session,
        OutboundMessage(
            f"story:{story_id}:published", ToUser(story.author_teams_id), MessagePayload(texts(key, title=story.title))
        ),
        now,
    )
    channel_texts = Texts(messaging.translate, None)
    for channel in story_channels(session):
        card = story_card(channel_texts, story)
        payload = MessagePayload(channel_texts("story.channel_preview", title=story.title), card)
        messaging.send(
            session, OutboundMessage(f"story:{story_id}:post:{channel}", ToConversation(channel), payload), now
        )
    champion_id = _credited(session, story)
    if champion_id is not None:
        award(session, messaging, champion_id, PointsReason.STORY, now, source_key=f"story:{story_id}")
        credited = Champions(session).by_id(champion_id)
        if credited is not None and credited.teams_user_id != story.author_teams_id:
            champion_texts = messaging.texts_for(Members(session).get(credited.teams_user_id))
            text = champion_texts("story.credited_message", author=story.author_name, title=story.title)
            messaging.send(
                session,
                OutboundMessage(f"story:{story_id}:credited", ToUser(credited.teams_user_id), MessagePayload(text)),
                now,
            )


def story_channels(session: Session) -> list[str]:
    configured = RecognitionConfig(session).load().story_channels
    if configured:
        return list(configured)
    channel = ProgramConfig(session).load().champions_channel_id
    return [channel] if channel else []


class MonthOutcome(StrEnum):
    DONE = "done"
    TAKEN = "taken"
    NOT_PUBLISHED = "not_published"


@dataclass(frozen=True, slots=True)
class MonthChoice:
    outcome: MonthOutcome
    # The month's story as it stands, and the lead who chose it.
    title: str | None = None
    chosen_by: str | None = None


def choose_story_of_month(
    session: Session, messaging: Messaging, story_id: int, lead_name: str, today: date, now: datetime
) -> MonthChoice:
    """One story per month (the program's calendar); its champion earns the month's points."""
    stories = Stories(session)
    month = month_key(today)
    taken = stories.month_taken(month)
    if taken is None and not stories.make_story_of_month(story_id, month, lead_name, now):
        # Not published, or another lead's click took the month a moment ago.
        taken = stories.month_taken(month)
        if taken is None:
            return MonthChoice(MonthOutcome.NOT_PUBLISHED)
    if taken is not None:
        outcome = MonthOutcome.DONE if taken.id == story_id else MonthOutcome.TAKEN
        return MonthChoice(outcome, taken.title, taken.story_of_month_by)
    story = stories.get(story_id)
    assert story is not None  # just made story of the month in this transaction
    AuditTrail(session).record(lead_name, "story.of_the_month", story.title, now, after={"month": month})
    champion_id = _credited(session, story)
    if champion_id is not None:
        award(
            session, messaging, champion_id, PointsReason.STORY_OF_THE_MONTH, now, source_key=f"story-of-month:{month}"
        )
    return MonthChoice(MonthOutcome.DONE, story.title, lead_name)


# --- kudos --------------------------------------------------------------------------------


class KudosOutcome(StrEnum):
    SENT = "sent"
    SELF = "self"
    LIMIT = "limit"
    UNKNOWN_GIVER = "unknown_giver"


def give_kudos(
    session: Session,
    messaging: Messaging,
    giver_teams_id: str,
    champion_id: int,
    message: str,
    giver_today: date,
    now: datetime,
) -> KudosOutcome:
    giver = Members(session).get(giver_teams_id)
    if giver is None or giver.id is None:
        return KudosOutcome.UNKNOWN_GIVER
    champion = Champions(session).by_id(champion_id)
    if champion is None or champion.teams_user_id == giver_teams_id:
        return KudosOutcome.SELF
    book = KudosBook(session)
    if book.given_on(giver.id, giver_today) >= RecognitionConfig(session).load().kudos_per_day:
        return KudosOutcome.LIMIT
    kudos_id = book.add(giver.id, champion_id, message, giver_today, now)
    texts = messaging.texts_for(Members(session).get(champion.teams_user_id))
    text = texts("kudos.received", giver=giver.display_name or "—", message=message)
    messaging.send(
        session, OutboundMessage(f"kudos:{kudos_id}", ToUser(champion.teams_user_id), MessagePayload(text)), now
    )
    award(session, messaging, champion_id, PointsReason.KUDOS, now, source_key=f"kudos:{kudos_id}")
    return KudosOutcome.SENT


# --- leaderboards and the monthly post ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Leaderboard:
    champions: list[Ranked]
    departments_total: list[Ranked]
    departments_per_champion: list[Ranked]


def leaderboard(session: Session, since: datetime | None, until: datetime | None = None) -> Leaderboard:
    ledger = PointsLedger(session)
    rows = ledger.by_champion(since, until)
    hidden = LeaderboardOptOuts(session).hidden_champions()
    champions = [
        replace(entry, hidden=entry.key in hidden)
        for entry in rank([(cid, name, points) for cid, name, _department, points in rows])
    ]
    totals: dict[str, float] = {}
    for _cid, _name, department, points in rows:
        totals[department] = totals.get(department, 0.0) + points
    department_rows = [(department, department or "—", points) for department, points in totals.items()]
    headcount = ledger.champions_per_department()
    return Leaderboard(
        champions,
        rank(department_rows, headcount),
        per_champion(department_rows, headcount),
    )


def monthly_recognition(session: Session, messaging: Messaging, timezone: str, now: datetime) -> bool:
    """Last month's top champions, story of the month and new levels, posted once per month."""
    channel = ProgramConfig(session).load().champions_channel_id
    if not channel:
        return False
    tz = ZoneInfo(timezone)
    today = now.astimezone(tz).date()
    first_of_this = date(today.year, today.month, 1)
    first_of_last = previous_month(today)
    start = datetime.combine(first_of_last, datetime.min.time(), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(first_of_this, datetime.min.time(), tzinfo=tz).astimezone(UTC)
    board = leaderboard(session, start, end)
    month = month_key(first_of_last)
    story = Stories(session).month_taken(month)
    levels = Levels(session).reached_between(start, end)
    texts = Texts(messaging.translate, None)
    season = season_at(Seasons(session).all(), end - timedelta(microseconds=1))
    top = board.champions[: LEADERBOARD_SIZE // 2]
    card = monthly_post(texts, month, top, story, levels, season.name if season else None)
    payload = MessagePayload(texts("monthly.preview", month=texts.month(month)), card)
    return messaging.send(session, OutboundMessage(f"recognition:{month}", ToConversation(channel), payload), now)


# --- small changes leads and colleagues make ----------------------------------------------


def applaud(session: Session, story_id: int, teams_user_id: str, now: datetime) -> Story | None:
    """Applaud a published story (once per person); the story as it now stands, or None if it can't be."""
    member = Members(session).get(teams_user_id)
    stories = Stories(session)
    story = stories.get(story_id)
    if story is None or member is None or member.id is None or story.status is not StoryStatus.PUBLISHED:
        return None
    stories.applaud(story_id, member.id, now)
    return stories.get(story_id)


def add_story_channel(session: Session, channel_id: str, by: str, now: datetime) -> None:
    """Published stories are posted in this channel too."""
    config = RecognitionConfig(session)
    current = config.load()
    if channel_id not in current.story_channels:
        config.save(replace(current, story_channels=(*current.story_channels, channel_id)), by, now)
        AuditTrail(session).record(by, "settings.story_channel", channel_id, now)


def save_settings(session: Session, settings: RecognitionSettings, by: str, now: datetime) -> None:
    config = RecognitionConfig(session)
    before = config.load()
    config.save(settings, by, now)
    if before != settings:
        AuditTrail(session).record(by, "settings.recognition", "recognition", now, before=before, after=settings)


class SeasonOutcome(StrEnum):
    STARTED = "started"
    TAKEN = "taken"


def start_season(session: Session, messaging: Messaging, name: str, by: str, now: datetime) -> SeasonOutcome:
    """A new season from now: leaderboards count from here, past seasons stay readable, and
    the champions' channel hears of it."""
    if not Seasons(session).start(name, by, now):
        return SeasonOutcome.TAKEN
    AuditTrail(session).record(by, "season.start", name, now)
    channel = ProgramConfig(session).load().champions_channel_id
    if channel:
        texts = Texts(messaging.translate, None)
        payload = MessagePayload(texts("season.channel_post", season=plain(name)))
        messaging.send(session, OutboundMessage(f"season:{name.casefold()}", ToConversation(channel), payload), now)
    return SeasonOutcome.STARTED


def hide_from_leaderboards(session: Session, teams_user_id: str, hidden: bool, now: datetime) -> bool:
    """Hide someone from leaderboards and public posts, or name them again; False when nothing changed."""
    member = Members(session).get(teams_user_id)
    if member is None or member.id is None:
        return False
    opt_outs = LeaderboardOptOuts(session)
    return opt_outs.hide(member.id, now) if hidden else opt_outs.show(member.id)


def hidden_from_public(session: Session, member_ids: Sequence[int]) -> set[int]:
    """Which of these people asked not to be named on leaderboards and public posts (a
    contest's reveal names them "a colleague")."""
    return LeaderboardOptOuts(session).hidden_among(member_ids)


@dataclass(frozen=True, slots=True)
class LedgerActivity:
    """One thing someone earned points for, as a contest reads the ledger."""

    member_id: int
    reason: PointsReason
    source_key: str
    at: datetime


def ledger_activity(
    session: Session, since: datetime, until: datetime, member_id: int | None = None
) -> list[LedgerActivity]:
    """What people (or one member) earned points for from `since` to `until` (both included),
    oldest first; revocations and hand-made awards are not activities, and an erased person's
    entries are no one's."""
    return [
        LedgerActivity(member, PointsReason(reason), source_key or "", at)
        for member, reason, source_key, at in PointsLedger(session).activity(since, until, member_id)
    ]

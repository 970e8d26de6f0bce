"""Enrolment, approval, profile changes and finding a champion, each in one transaction.

Every function takes the caller's session: the domain change and the outbox messages it
causes commit together, so a crash never loses a notification nor sends one for a change
that rolled back. Messages to other people are written in *their* language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Session

from domain.i18n import Texts
from domain.outbox import MessagePayload, OutboundMessage, ToConversation, ToUser
from domain.people import ChampionProfile, Unit
from domain.program import UserContext
from domain.roles import HOLDING_A_PLACE, ChampionStatus
from features.enrolment.domain import ChampionQuery, Referral, Suggestion, suggest_champions
from features.enrolment.storage import ChampionRoster, Coverage
from features.enrolment.views import application_card, manager_fact_sheet, new_champion_post, welcome_card
from features.events import next_office_hours
from features.recognition import PointsReason, award
from storage.audit import AuditTrail
from storage.champions import ChampionView
from storage.messaging import Messaging, stamp
from storage.models import MemberRecord
from storage.program import ProgramConfig
from storage.repositories import Members
from storage.workplaces import Workplaces
from views.cards import Card

AUTO_APPROVER = "auto-approval"


class ApplicationOutcome(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    ALREADY_CHAMPION = "already_champion"


@dataclass(frozen=True, slots=True)
class Applied:
    outcome: ApplicationOutcome
    champion_id: int
    leads_notified: int = 0


def submit_application(
    session: Session, messaging: Messaging, teams_user_id: str, profile: ChampionProfile, now: datetime
) -> Applied:
    roster = ChampionRoster(session)
    current = roster.of_user(teams_user_id)
    if current is not None and current.status.is_champion:
        return Applied(ApplicationOutcome.ALREADY_CHAMPION, current.id)
    settings = ProgramConfig(session).load()
    champion_id = roster.apply(teams_user_id, profile, ChampionStatus.PENDING, now)
    if settings.auto_approve:
        decide_application(session, messaging, champion_id, approve=True, lead_name=AUTO_APPROVER, reason=None, now=now)
        return Applied(ApplicationOutcome.APPROVED, champion_id)
    view = roster.by_id(champion_id)
    assert view is not None

    def build(texts: Texts) -> tuple[str, Card | None]:
        return texts("approval.preview", name=view.display_name), application_card(
            texts, champion_id, view.display_name, profile
        )

    notified = messaging.notify_leads(session, f"application:{champion_id}:{stamp(now)}", now, build)
    return Applied(ApplicationOutcome.PENDING, champion_id, notified)


class DecisionOutcome(StrEnum):
    """How a lead's decision (on an application or a nomination) went."""

    DONE = "done"
    ALREADY_DECIDED = "already_decided"
    NOT_FOUND = "not_found"


@dataclass(frozen=True, slots=True)
class Decided:
    outcome: DecisionOutcome
    champion: ChampionView | None = None


def decide_application(
    session: Session,
    messaging: Messaging,
    champion_id: int,
    *,
    approve: bool,
    lead_name: str,
    reason: str | None,
    now: datetime,
) -> Decided:
    """Approve or decline a pending application; a second decision (a replayed card) changes nothing."""
    roster = ChampionRoster(session)
    to = ChampionStatus.ACTIVE if approve else ChampionStatus.DECLINED
    if not roster.transition(champion_id, [ChampionStatus.PENDING], to, now, decided_by=lead_name, reason=reason):
        current = roster.by_id(champion_id)
        return Decided(DecisionOutcome.NOT_FOUND if current is None else DecisionOutcome.ALREADY_DECIDED, current)
    champion = roster.by_id(champion_id)
    assert champion is not None
    action = "champion.approve" if approve else "champion.decline"
    AuditTrail(session).record(
        lead_name, action, champion.display_name, now, after={"reason": reason} if reason else None
    )
    member = Members(session).get(champion.teams_user_id)
    texts = messaging.texts_for(member)
    key = f"decision:{champion_id}:{stamp(now)}"
    if not approve:
        text = texts("approval.declined_message", reason=reason or "—")
        messaging.send(session, OutboundMessage(key, ToUser(champion.teams_user_id), MessagePayload(text)), now)
        return Decided(DecisionOutcome.DONE, champion)
    _welcome(session, messaging, champion, member, key, now)
    award(session, messaging, champion_id, PointsReason.ENROLMENT, now, source_key=f"enrolment:{champion_id}")
    return Decided(DecisionOutcome.DONE, champion)


def _welcome(
    session: Session,
    messaging: Messaging,
    champion: ChampionView,
    member: MemberRecord | None,
    key: str,
    now: datetime,
) -> None:
    """The welcome checklist, the manager's fact sheet, and the post in the champions' channel."""
    settings = ProgramConfig(session).load()
    texts = messaging.texts_for(member)
    _, manager = Workplaces(session).manager_member(champion.teams_user_id)
    to_champion = ToUser(champion.teams_user_id)
    welcome = welcome_card(texts, champion.display_name, settings, manager_reached=manager is not None)
    messaging.send(
        session, OutboundMessage(f"{key}:welcome", to_champion, MessagePayload(texts("welcome.preview"), welcome)), now
    )
    if manager is not None:
        manager_texts = messaging.texts_for(manager)
        sheet = manager_fact_sheet(manager_texts, champion.display_name, settings, forwarded=False)
        preview = manager_texts("factsheet.preview", name=champion.display_name)
        messaging.send(
            session,
            OutboundMessage(f"{key}:manager", ToUser(manager.teams_user_id), MessagePayload(preview, sheet)),
            now,
        )
    else:
        # Nobody to send it to: the champion forwards it (the card says so).
        sheet = manager_fact_sheet(texts, champion.display_name, settings, forwarded=True)
        messaging.send(
            session,
            OutboundMessage(f"{key}:factsheet", to_champion, MessagePayload(texts("factsheet.forward"), sheet)),
            now,
        )
    if settings.champions_channel_id:
        # The channel is read by everyone: the program's default language.
        channel_texts = Texts(messaging.translate, None)
        post = new_champion_post(channel_texts, champion.display_name, champion.profile)
        messaging.send(
            session,
            OutboundMessage(
                f"{key}:channel",
                ToConversation(settings.champions_channel_id),
                MessagePayload(channel_texts("channel.new_champion", name=champion.display_name), post),
            ),
            now,
        )


# --- profile changes ----------------------------------------------------------------------


def update_profile(session: Session, teams_user_id: str, profile: ChampionProfile, now: datetime) -> bool:
    roster = ChampionRoster(session)
    champion = roster.of_user(teams_user_id)
    if champion is None or champion.status not in HOLDING_A_PLACE:
        return False
    roster.update_profile(champion.id, profile, now)
    return True


def pause(session: Session, teams_user_id: str, until: date, now: datetime) -> bool:
    roster = ChampionRoster(session)
    champion = roster.of_user(teams_user_id)
    if champion is None:
        return False
    return roster.transition(
        champion.id, [ChampionStatus.ACTIVE, ChampionStatus.PAUSED], ChampionStatus.PAUSED, now, paused_until=until
    )


def resume(session: Session, teams_user_id: str, now: datetime) -> bool:
    roster = ChampionRoster(session)
    champion = roster.of_user(teams_user_id)
    if champion is None:
        return False
    return roster.transition(champion.id, [ChampionStatus.PAUSED], ChampionStatus.ACTIVE, now)


def end_pauses(session: Session, messaging: Messaging, today: date, now: datetime) -> int:
    """Pauses whose end date has come: active again, with a short welcome back."""
    roster = ChampionRoster(session)
    resumed = 0
    for champion in roster.pauses_ending(today):
        if not roster.transition(champion.id, [ChampionStatus.PAUSED], ChampionStatus.ACTIVE, now):
            continue
        resumed += 1
        texts = messaging.texts_for(Members(session).get(champion.teams_user_id))
        messaging.send(
            session,
            OutboundMessage(
                f"pause-ended:{champion.id}:{today.isoformat()}",
                ToUser(champion.teams_user_id),
                MessagePayload(texts("pause.ended")),
            ),
            now,
        )
    return resumed


def step_down(
    session: Session, messaging: Messaging, teams_user_id: str, successor: str | None, reason: str | None, now: datetime
) -> bool:
    roster = ChampionRoster(session)
    champion = roster.of_user(teams_user_id)
    if champion is None:
        return False
    stepped = roster.transition(
        champion.id,
        HOLDING_A_PLACE,
        ChampionStatus.STEPPED_DOWN,
        now,
        reason=reason,
    )
    if not stepped:
        return False

    def build(texts: Texts) -> tuple[str, Card | None]:
        return (
            texts(
                "step_down.lead_message",
                name=champion.display_name,
                unit=", ".join(p for p in (champion.profile.unit.team, champion.profile.unit.department) if p) or "—",
                successor=successor or texts("step_down.no_successor"),
                reason=reason or "—",
            ),
            None,
        )

    messaging.notify_leads(session, f"step-down:{champion.id}:{stamp(now)}", now, build)
    return True


# --- finding a champion -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Found:
    suggestions: Sequence[Suggestion]
    unit_known: bool
    # Each suggested champion's next office hours: (start, minutes, topic).
    office_hours: Mapping[int, tuple[datetime, int, str]] = field(default_factory=dict)
    # Who was pointed to whom, to be counted (None when nobody was, or the asker is no member).
    referral: Referral | None = None


@dataclass(frozen=True, slots=True)
class Asker:
    """Who asks for a champion, with what their turn already read (None: read it here)."""

    teams_user_id: str
    member_id: int | None = None
    unit: Unit | None = None

    @classmethod
    def of(cls, user: UserContext) -> Asker:
        workplace = user.workplace
        return cls(user.identity.teams_user_id, user.member_id, workplace.unit if workplace is not None else None)


def find_champions(session: Session, asker: Asker, focus_area: str | None, today: date, now: datetime) -> Found:
    """Suggest up to three champions, with their next office hours; nobody found is recorded as
    a coverage gap for the unit. Who was suggested is counted later (`Found.referral`, for
    `count_referrals`). Each statement stands alone (`Database.autocommit`)."""
    unit = asker.unit if asker.unit is not None else Workplaces(session).unit_of(asker.teams_user_id)[0]
    member_id = asker.member_id
    if member_id is None:
        member = Members(session).get(asker.teams_user_id)
        member_id = member.id if member is not None else None
    query = ChampionQuery(asker.teams_user_id, unit, focus_area)
    suggestions = suggest_champions(query, ChampionRoster(session).candidates(query, today), today)
    if not suggestions:
        if member_id is not None:
            # A gap: worth keeping, not worth a wait for the disk.
            Coverage(session).record_unmatched(member_id, unit.department, unit.office, unit.team, focus_area, now)
        return Found(suggestions, unit.known)
    champion_ids = tuple(s.candidate.champion_id for s in suggestions)
    referral = Referral(member_id, champion_ids, now) if member_id is not None else None
    return Found(suggestions, unit.known, next_office_hours(session, list(champion_ids), now), referral)


def count_referrals(session: Session, referrals: list[Referral]) -> None:
    """Searches' referrals, handed over to the write-behind and written here together."""
    ChampionRoster(session).record_referrals_of(referrals)


def declare_workplace(
    session: Session, teams_user_id: str, department: str | None, office: str | None, now: datetime
) -> None:
    """What someone the directory does not know told the bot about where they work."""
    Workplaces(session).declare(teams_user_id, department, office, now)

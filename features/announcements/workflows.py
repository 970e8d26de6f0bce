"""Announcements from the compose card to every inbox: once per person, through the outbox in
bulk at the pace Teams allows, each with its own tracked link and a "Got it"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel import Session

from domain.i18n import Texts
from domain.outbox import DeliveryFigures, MessagePayload, OutboundMessage, ToConversation, ToUser
from features.announcements.domain import Announcement, Draft, Status
from features.announcements.storage import (
    Announcements,
    Receipts,
    audience_channels,
    audience_people,
    known_units,
)
from features.announcements.tables import AnnouncementRecord
from features.announcements.views import ANNOUNCEMENT_FIELD, announcement_card
from storage.audit import AuditTrail
from storage.links import file_link
from storage.messaging import Messaging
from storage.outbox import delivery_figures

CLICKS = "announcement-link"  # the kind of the tracked links
LINK_LIFETIME = timedelta(days=90)


def _key(announcement_id: int) -> str:
    return f"announcement:{announcement_id}:"


def save_draft(session: Session, draft: Draft, announcement_id: int | None, by: str, now: datetime) -> int | None:
    """A new draft, or the same one revised; None when it is no longer a draft (sent or scheduled)."""
    announcements = Announcements(session)
    if announcement_id is None:
        return announcements.create(draft, by, now)
    return announcement_id if announcements.revise(announcement_id, draft) else None


def unknown_units(session: Session, draft: Draft) -> list[str]:
    """Departments or offices typed that no champion serves in."""
    if not draft.audience.kind.needs_units:
        return []
    known = {unit.casefold() for unit in known_units(session, draft.audience.kind)}
    return [unit for unit in draft.audience.units if unit.casefold() not in known]


@dataclass(frozen=True, slots=True)
class Preview:
    announcement: Announcement
    people: int
    channels: int


def preview_of(session: Session, announcement_id: int) -> Preview | None:
    announcement = Announcements(session).get(announcement_id)
    if announcement is None:
        return None
    audience = announcement.draft.audience
    return Preview(announcement, len(audience_people(session, audience)), len(audience_channels(session, audience)))


def draft_of(session: Session, announcement_id: int) -> Announcement | None:
    return Announcements(session).get(announcement_id)


class Sent(StrEnum):
    SENT = "sent"
    SCHEDULED = "scheduled"
    ALREADY = "already"
    UNKNOWN = "unknown"


def send(
    session: Session, messaging: Messaging, announcement_id: int, origin: str, by: str, now: datetime
) -> tuple[Sent, int]:
    """Now, or at the time the lead chose; (outcome, how many it went to)."""
    announcements = Announcements(session)
    record = announcements.record(announcement_id)
    if record is None:
        return Sent.UNKNOWN, 0
    if record.status != Status.DRAFT.value:
        return Sent.ALREADY, record.recipients
    if record.send_at is not None and record.send_at > now:
        if not announcements.schedule(announcement_id, origin):
            return Sent.ALREADY, 0
        AuditTrail(session).record(by, "announcement.schedule", f"announcement {announcement_id}", now)
        return Sent.SCHEDULED, 0
    count = _deliver(session, messaging, record, Status.DRAFT, origin, now)
    if count is None:
        return Sent.ALREADY, 0
    AuditTrail(session).record(by, "announcement.send", f"announcement {announcement_id}", now, after={"to": count})
    return Sent.SENT, count


def send_due(session: Session, messaging: Messaging, now: datetime) -> int:
    """The scheduled announcements whose time has come; how many went."""
    announcements = Announcements(session)
    sent = 0
    for announcement_id in announcements.due(now):
        record = announcements.record(announcement_id)
        if record is not None and _deliver(session, messaging, record, Status.SCHEDULED, record.link_origin, now):
            sent += 1
    return sent


def _deliver(
    session: Session, messaging: Messaging, record: AnnouncementRecord, expected: Status, origin: str, now: datetime
) -> int | None:
    """Enqueue one message per person (and per channel) in one statement; None when another
    press or replica sent it first."""
    assert record.id is not None
    announcements = Announcements(session)
    if not announcements.mark_sent(record.id, expected, origin, now):
        return None
    announcement = announcements.get(record.id)
    assert announcement is not None
    draft = announcement.draft
    people = audience_people(session, draft.audience)
    receipts = Receipts(session).add_all(record.id, [person.member_id for person in people])
    acknowledge = {ANNOUNCEMENT_FIELD: record.id}
    texts: dict[tuple[str | None, str | None], Texts] = {}
    messages = []
    for person in people:
        reader = texts.get((person.locale, person.timezone))
        if reader is None:
            reader = texts[(person.locale, person.timezone)] = Texts(
                messaging.translate, person.locale, person.timezone
            )
        link = None
        if draft.link_url and origin:
            link = file_link(session, origin, CLICKS, receipts[person.member_id], now + LINK_LIFETIME, now)
        card = announcement_card(reader, draft, link, acknowledge)
        payload = MessagePayload(_summary(draft), card)
        messages.append(OutboundMessage(f"{_key(record.id)}{person.member_id}", ToUser(person.teams_user_id), payload))
    channel_texts = Texts(messaging.translate, None)
    for channel in audience_channels(session, draft.audience):
        payload = MessagePayload(_summary(draft), announcement_card(channel_texts, draft, None, None))
        messages.append(OutboundMessage(f"{_key(record.id)}channel:{channel}"[:256], ToConversation(channel), payload))
    messaging.send_all(session, messages, now)
    announcements.set_recipients(record.id, len(messages))
    return len(messages)


def _summary(draft: Draft) -> str:
    """The notification's text: the announcement's first line."""
    first = draft.text.strip().splitlines()[0] if draft.text.strip() else ""
    return first[:120]


def acknowledge(session: Session, announcement_id: int, member_id: int | None, now: datetime) -> bool | None:
    if member_id is None:
        return None
    return Receipts(session).acknowledge(announcement_id, member_id, now)


def recent_with_figures(session: Session, limit: int) -> list[tuple[Announcement, DeliveryFigures]]:
    return [
        (announcement, delivery_figures(session, _key(announcement.id)))
        for announcement in Announcements(session).recent(limit)
    ]

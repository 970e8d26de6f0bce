"""Events and office hours: invitations and reminders through the outbox, each in the reader's
language and time zone, once per person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session

from domain.i18n import Texts
from domain.outbox import MessagePayload, OutboundMessage, ToUser
from domain.reports import Report
from features.events.domain import REMINDERS, SAME_DAY, Answer, EventDraft, OfficeHours, occurrences
from features.events.storage import Events, OfficeHoursBook
from features.events.views import invitation_card, reminder_card
from storage.audit import AuditTrail
from storage.champions import Champions
from storage.messaging import Messaging


@dataclass(frozen=True, slots=True)
class Created:
    event_id: int
    invited: int
    occurrences: int


def create_event(
    session: Session, messaging: Messaging, draft: EventDraft, timezone: str, by: str, now: datetime
) -> Created:
    """The event and its occurrences, and an invitation to each champion in its audience."""
    starts = occurrences(draft.starts_at, draft.repeat, draft.occurrences, timezone)
    events = Events(session)
    event_id = events.create(draft, starts, by, now)
    members = events.audience(draft.audience, draft.units)
    events.invite(event_id, members)
    messages = []
    for invitee in events.invitees(event_id):
        t = Texts(messaging.translate, invitee.locale, invitee.timezone)
        card = invitation_card(
            t, event_id, draft.title, starts[0], draft.minutes, draft.meeting_url, draft.repeat, len(starts)
        )
        payload = MessagePayload(t("event.invitation", title=draft.title), card)
        messages.append(
            OutboundMessage(f"event:{event_id}:invite:{invitee.member_id}", ToUser(invitee.teams_user_id), payload)
        )
    messaging.send_all(session, messages, now)
    AuditTrail(session).record(by, "event.create", draft.title, now, after={"invited": len(members)})
    return Created(event_id, len(members), len(starts))


def respond(session: Session, event_id: int, member_id: int | None, answer: Answer, now: datetime) -> bool | None:
    if member_id is None:
        return None
    return Events(session).answer(event_id, member_id, answer, now)


def send_reminders(session: Session, messaging: Messaging, now: datetime) -> int:
    """A day and an hour before each occurrence, to those coming, in their own time zone."""
    events = Events(session)
    sent = 0
    for which, before in REMINDERS.items():
        field = f"{which}_reminded_at"
        for occurrence_id, event_id, starts_at in events.reminders_to_send(now, field, before):
            if not events.mark_reminded(occurrence_id, field, now):
                continue
            if which == "day" and starts_at - now <= SAME_DAY:
                continue  # created, or caught up, too late for a day's notice: the hour's reminder will do
            event = events.get(event_id)
            if event is None:
                continue
            messages = []
            for invitee in events.invitees(event_id, Answer.YES):
                t = Texts(messaging.translate, invitee.locale, invitee.timezone)
                card = reminder_card(t, which, event.title, starts_at, event.minutes, event.meeting_url)
                payload = MessagePayload(t(f"event.reminder.{which}", title=event.title), card)
                key = f"event:{event_id}:{occurrence_id}:{which}:{invitee.member_id}"
                messages.append(OutboundMessage(key, ToUser(invitee.teams_user_id), payload))
            sent += messaging.send_all(session, messages, now)
    return sent


def upcoming(session: Session, now: datetime, limit: int) -> list[tuple[int, str, datetime, int, int, int, int]]:
    return [
        (row.event_id, row.title, row.starts_at, row.minutes, row.yes, row.no, row.invited)
        for row in Events(session).upcoming(now, limit)
    ]


@dataclass(frozen=True, slots=True)
class Attendance:
    title: str
    coming: list[str]
    not_coming: list[str]
    waiting: int


def attendance(session: Session, event_id: int) -> Attendance | None:
    events = Events(session)
    event = events.get(event_id)
    if event is None:
        return None
    invitees = events.invitees(event_id)
    return Attendance(
        event.title,
        [invitee.name for invitee in invitees if invitee.answer is Answer.YES],
        [invitee.name for invitee in invitees if invitee.answer is Answer.NO],
        sum(1 for invitee in invitees if invitee.answer is None),
    )


def attendee_rows(session: Session) -> Report:
    """Every event's invitees and their answers, for `python app.py export event-attendees`."""
    events = Events(session)
    rows: list[list[object]] = []
    for event in events.all():
        assert event.id is not None
        first = events.first_start(event.id)
        for invitee in events.invitees(event.id):
            answer = invitee.answer.value if invitee.answer else ""
            when = first.isoformat() if first else ""
            rows.append([event.id, event.title, when, invitee.name, invitee.email or "", answer])
    return ["event_id", "title", "first_starts_at", "name", "email", "answer"], rows


class HoursOutcome(StrEnum):
    SAVED = "saved"
    REMOVED = "removed"
    NOT_A_CHAMPION = "not_a_champion"


def save_office_hours(session: Session, teams_user_id: str, hours: OfficeHours | None, now: datetime) -> HoursOutcome:
    champion_id = Champions(session).active_id_of(teams_user_id)
    if champion_id is None:
        return HoursOutcome.NOT_A_CHAMPION
    book = OfficeHoursBook(session)
    if hours is None:
        book.remove(champion_id)
        return HoursOutcome.REMOVED
    book.save(champion_id, hours, now)
    return HoursOutcome.SAVED


def office_hours_of(session: Session, teams_user_id: str) -> OfficeHours | None:
    champion_id = Champions(session).active_id_of(teams_user_id)
    return OfficeHoursBook(session).of([champion_id]).get(champion_id) if champion_id is not None else None


def next_office_hours(session: Session, champion_ids: list[int], now: datetime) -> dict[int, tuple[datetime, int, str]]:
    """(next start, minutes, topic) of each champion's office hours, for "who is my champion"."""
    found = {}
    for champion_id, hours in OfficeHoursBook(session).of(champion_ids).items():
        found[champion_id] = (hours.next_after(now), hours.minutes, hours.topic)
    return found

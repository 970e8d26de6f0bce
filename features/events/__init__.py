"""Events: champion meetings and office hours. A lead creates a one-off or recurring event
with a Teams meeting link for some champions; they answer from the invitation, those coming
are reminded a day and an hour before in their own time zone, and the lead sees (and exports)
who is coming. Champions publish office hours, which `who is my champion` shows through
`next_office_hours`."""

from __future__ import annotations

from bot.feature import Export, Feature, On, OnCard
from domain.commands import CHAMPIONS, EVERYONE, LEADS_ONLY, Command
from features.events import jobs, privacy, tables
from features.events.handlers import EventHandlers
from features.events.views import ATTENDEES, CREATE, RESPOND
from features.events.workflows import attendee_rows, next_office_hours

FEATURE: Feature[EventHandlers] = Feature(
    name="events",
    package=__name__,
    handlers=EventHandlers,
    commands=(
        On(Command("new_event", LEADS_ONLY), EventHandlers.new_event),
        On(Command("events", LEADS_ONLY), EventHandlers.events),
        On(Command("office_hours", CHAMPIONS), EventHandlers.office_hours),
    ),
    card_actions=(
        OnCard(CREATE, EventHandlers.create, LEADS_ONLY),
        OnCard(ATTENDEES, EventHandlers.attendees, LEADS_ONLY),
        # Who may answer is checked per event: those invited.
        OnCard(RESPOND, EventHandlers.respond, EVERYONE),
    ),
    jobs=jobs.jobs,
    exports=(Export("event-attendees", "every event's invitees and their answers", attendee_rows),),
    tables=(
        tables.EventRecord,
        tables.EventOccurrenceRecord,
        tables.EventInviteeRecord,
        tables.OfficeHoursRecord,
    ),
    personal_data=privacy.PERSONAL_DATA,
)

__all__ = ["FEATURE", "next_office_hours"]

"""Event cards: the lead's form, the invitation with its answers, reminders, the lead's list
and attendees; office hours as a line on a champion's card."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from domain.i18n import Texts
from features.events.domain import AudienceKind, Repeat
from views.cards import (
    Card,
    Element,
    adaptive_card,
    choice_input,
    execute_action,
    fact_set,
    open_url_action,
    plain,
    text_block,
)

CREATE = "events.create"
RESPOND = "events.respond"
ATTENDEES = "events.attendees"
EVENT_FIELD = "event"
ANSWER_FIELD = "answer"


def _input(element_id: str, label: str, **extra: object) -> Element:
    return {"type": "Input.Text", "id": element_id, "label": label, **extra}


def event_form(t: Texts, notice: str = "") -> Card:
    body: list[Element] = [text_block(t("event.form_title"), weight="Bolder", size="Medium")]
    if notice:
        body.append(text_block(notice, color="Attention", weight="Bolder"))
    body += [
        _input("title", t("event.title"), maxLength=120),
        {"type": "Input.Date", "id": "date", "label": t("event.date")},
        {"type": "Input.Time", "id": "time", "label": t("event.time")},
        {"type": "Input.Number", "id": "minutes", "label": t("event.minutes"), "value": 60, "min": 5, "max": 480},
        _input("meeting_url", t("event.meeting_url"), placeholder="https://teams.microsoft.com/l/meetup-join/…"),
        choice_input("repeat", t("event.repeat"), [(r.value, t(f"event.repeat.{r.value}")) for r in Repeat], "none"),
        {"type": "Input.Number", "id": "occurrences", "label": t("event.occurrences"), "value": 6, "min": 2, "max": 26},
        choice_input(
            "audience",
            t("event.audience"),
            [(a.value, t(f"event.audience.{a.value}")) for a in AudienceKind],
            "champions",
        ),
        _input("units", t("event.units"), placeholder="Sales, Service"),
    ]
    return adaptive_card(body, [execute_action(t("event.create"), CREATE, {})])


def when_text(t: Texts, starts_at: datetime, minutes: int) -> str:
    """In the reader's own time zone: "Dec 9, 2026, 3:00 PM (60 minutes)"."""
    return t("event.when_value", when=t.moment(starts_at), minutes=minutes)


def invitation_card(
    t: Texts, event_id: int, title: str, starts_at: datetime, minutes: int, url: str, repeat: Repeat, count: int
) -> Card:
    facts = [(t("event.when"), when_text(t, starts_at, minutes))]
    if repeat is not Repeat.NONE:
        facts.append((t("event.repeats"), t(f"event.repeats.{repeat.value}", count=count)))
    data = {EVENT_FIELD: event_id}
    return adaptive_card(
        [text_block(t("event.invitation", title=plain(title)), weight="Bolder", size="Medium"), fact_set(facts)],
        [
            execute_action(t("event.yes"), RESPOND, {**data, ANSWER_FIELD: "yes"}),
            execute_action(t("event.no"), RESPOND, {**data, ANSWER_FIELD: "no"}),
            open_url_action(t("event.join"), url),
        ],
    )


def reminder_card(t: Texts, which: str, title: str, starts_at: datetime, minutes: int, url: str) -> Card:
    return adaptive_card(
        [
            text_block(t(f"event.reminder.{which}", title=plain(title)), weight="Bolder"),
            fact_set([(t("event.when"), when_text(t, starts_at, minutes))]),
        ],
        [open_url_action(t("event.join"), url)],
    )


def events_card(t: Texts, rows: Sequence[tuple[int, str, datetime, int, int, int, int]]) -> Card:
    """(event id, title, start, minutes, yes, no, invited) of upcoming occurrences."""
    body: list[Element] = [text_block(t("event.list_title"), weight="Bolder", size="Medium")]
    for event_id, title, starts_at, minutes, yes, no, invited in rows:
        body += [
            text_block(f"**{plain(title)}**: {when_text(t, starts_at, minutes)}", separator=True, spacing="Medium"),
            text_block(t("event.counts", yes=yes, no=no, waiting=invited - yes - no)),
            {
                "type": "ActionSet",
                "actions": [execute_action(t("event.attendees"), ATTENDEES, {EVENT_FIELD: event_id})],
            },
        ]
    return adaptive_card(body)


def attendees_card(t: Texts, title: str, coming: Sequence[str], not_coming: Sequence[str], waiting: int) -> Card:
    body: list[Element] = [text_block(t("event.attendees_title", title=plain(title)), weight="Bolder", size="Medium")]
    body.append(text_block(t("event.coming", count=len(coming)), weight="Bolder"))
    body.append(text_block(", ".join(plain(name) for name in coming) or "—"))
    body.append(text_block(t("event.not_coming", count=len(not_coming)), weight="Bolder"))
    body.append(text_block(", ".join(plain(name) for name in not_coming) or "—"))
    body.append(text_block(t("event.no_answer", count=waiting), isSubtle=True))
    body.append(text_block(t("event.export_hint"), isSubtle=True, size="Small"))
    return adaptive_card(body)


def office_hours_line(t: Texts, starts_at: datetime, minutes: int, topic: str) -> str:
    ends = starts_at + timedelta(minutes=minutes)
    text = t("office_hours.next", when=t.moment(starts_at), until=t.clock_time(ends))
    return f"{text} ({plain(topic)})" if topic else text

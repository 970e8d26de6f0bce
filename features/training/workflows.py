"""The training path: the onboarding checklist to each new champion, their ticks, reminders of
required items not done, and completion for the leads."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from domain.i18n import Texts
from domain.outbox import MessagePayload, OutboundMessage, ToUser
from domain.reports import Report
from features.enrolment import program_settings
from features.training.domain import REMIND_AFTER, REMINDERS, Completion, Resource
from features.training.storage import Progress, Resources, Starts, Trainee, trainees
from features.training.views import checklist_card
from storage.audit import AuditTrail
from storage.champions import Champions
from storage.messaging import Messaging


def focus_areas(session: Session) -> list[str]:
    return list(program_settings(session).focus_areas)


def add_resource(
    session: Session,
    title: str,
    url: str,
    area: str,
    language: str,
    required: bool,
    checklist: bool,
    by: str,
    now: datetime,
) -> int:
    resource_id = Resources(session).add(title, url, area, language, required, checklist, by, now)
    AuditTrail(session).record(by, "training.add", title, now, after={"url": url, "required": required})
    return resource_id


def _checklist(resources: list[Resource], trainee: Trainee) -> list[Resource]:
    return [item for item in resources if item.checklist and item.suits(trainee.focus_areas, trainee.language)]


def _required(resources: list[Resource], trainee: Trainee) -> list[Resource]:
    return [item for item in resources if item.required and item.suits(trainee.focus_areas, trainee.language)]


def resources_for(session: Session, teams_user_id: str, language: str | None) -> list[Resource]:
    """What suits the reader: a champion's focus areas and language; anyone else's language."""
    champion_id = Champions(session).active_id_of(teams_user_id)
    found = trainees(session, [champion_id]) if champion_id is not None else []
    resources = Resources(session).all()
    if found:
        return [item for item in resources if item.suits(found[0].focus_areas, found[0].language)]
    return [item for item in resources if item.suits(None, language)]


def checklist_of(session: Session, teams_user_id: str) -> tuple[list[Resource], set[int]] | None:
    """The champion's checklist and what they have done; None for someone not a champion."""
    champion_id = Champions(session).active_id_of(teams_user_id)
    found = trainees(session, [champion_id]) if champion_id is not None else []
    if not found:
        return None
    return _checklist(Resources(session).all(), found[0]), Progress(session).done(found[0].champion_id)


def tick(session: Session, teams_user_id: str, ticked: set[int], now: datetime) -> tuple[int, int] | None:
    """Save the champion's ticks (items of their checklist only); (done, of how many)."""
    found = checklist_of(session, teams_user_id)
    champion_id = Champions(session).active_id_of(teams_user_id)
    if found is None or champion_id is None:
        return None
    items, _ = found
    offered = {item.id for item in items}
    Progress(session).set_done(champion_id, ticked & offered, offered, now)
    return len(ticked & offered), len(offered)


def send_checklists_and_reminders(session: Session, messaging: Messaging, now: datetime) -> int:
    """New champions get the checklist once; required items still open after REMIND_AFTER are
    reminded (at most REMINDERS times); how many messages went."""
    resources = Resources(session).all()
    if not any(item.checklist for item in resources):
        return 0
    starts, progress = Starts(session), Progress(session)
    started = starts.started()
    done = progress.done_by_champion()
    sent = 0
    for trainee in trainees(session):
        items = _checklist(resources, trainee)
        if not items:
            continue
        t = Texts(messaging.translate, trainee.locale, trainee.timezone)
        if trainee.champion_id not in started:
            if starts.start(trainee.champion_id, now):
                card = checklist_card(t, items, done.get(trainee.champion_id, set()))
                payload = MessagePayload(t("training.checklist_intro"), card)
                key = f"training:checklist:{trainee.champion_id}"
                sent += messaging.send(session, OutboundMessage(key, ToUser(trainee.teams_user_id), payload), now)
            continue
        since, reminders = started[trainee.champion_id]
        open_required = [
            item for item in _required(resources, trainee) if item.id not in done.get(trainee.champion_id, set())
        ]
        due = since + REMIND_AFTER * (reminders + 1) <= now
        if open_required and due and reminders < REMINDERS and starts.count_reminder(trainee.champion_id, reminders):
            titles = ", ".join(item.title for item in open_required)
            payload = MessagePayload(
                t("training.reminder", count=len(open_required), items=titles),
                checklist_card(t, items, done.get(trainee.champion_id, set())),
            )
            key = f"training:reminder:{trainee.champion_id}:{reminders + 1}"
            sent += messaging.send(session, OutboundMessage(key, ToUser(trainee.teams_user_id), payload), now)
    return sent


def completion(session: Session) -> list[Completion]:
    """Each active champion's required items done, least done first."""
    resources = Resources(session).all()
    done = Progress(session).done_by_champion()
    rows = []
    for trainee in trainees(session):
        required = _required(resources, trainee)
        finished = sum(1 for item in required if item.id in done.get(trainee.champion_id, set()))
        rows.append(Completion(trainee.name, trainee.department, finished, len(required)))
    return sorted(rows, key=lambda row: (row.share, row.name.casefold()))


def progress_rows(session: Session) -> Report:
    """Training progress by champion, for `python app.py export training`."""
    header = ["champion", "department", "required_done", "required"]
    return header, [[row.name, row.department, row.done, row.required] for row in completion(session)]

"""Ask a champion, from the question to its rating: each step one transaction with the
messages it sends, each conditional on the state the card was made in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Session

from domain.i18n import Texts
from domain.outbox import MessagePayload, OutboundMessage, ToUser
from features.enrolment import champions_for, program_settings
from features.questions.domain import ESCALATE_AFTER, MAX_PASSES, Kind, Question, Status
from features.questions.storage import Questions, serving_champion
from features.questions.views import answer_card, champion_card
from features.recognition import PointsReason, award
from storage.audit import AuditTrail
from storage.champions import Champions
from storage.messaging import Messaging, stamp
from storage.program import SettingsStore
from storage.repositories import Members
from storage.workplaces import Workplaces
from views.cards import Card, plain

SERVICE_DESK = "service_desk"


class Outcome(StrEnum):
    DONE = "done"
    NOT_YOURS = "not_yours"  # pressed by someone the card is not for
    ALREADY = "already"  # the question moved on since the card was made
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Asked:
    question_id: int
    topics: tuple[str, ...]


def ask(session: Session, teams_user_id: str, text: str, now: datetime) -> Asked | None:
    """Keep the question; the asker says next what kind it is. None for someone the bot does not know."""
    member = Members(session).get(teams_user_id)
    if member is None or member.id is None:
        return None
    unit, _ = Workplaces(session).unit_of(teams_user_id)
    question_id = Questions(session).add(member.id, text, unit.department, now)
    return Asked(question_id, tuple(program_settings(session).focus_areas))


@dataclass(frozen=True, slots=True)
class Routed:
    outcome: Outcome
    kind: Kind | None = None
    champion: str = ""  # who has it now ("" when the leads do)
    service_desk: str = ""


def choose_kind(
    session: Session,
    messaging: Messaging,
    question_id: int,
    member_id: int | None,
    kind: Kind,
    topic: str,
    today: date,
    now: datetime,
) -> Routed:
    """A technical question goes to the service desk and stops; a business one to a champion
    for the asker's unit and topic (the leads when there is none)."""
    questions = Questions(session)
    question = questions.get(question_id)
    if question is None:
        return Routed(Outcome.UNKNOWN)
    if member_id is None or question.asker_member_id != member_id:
        return Routed(Outcome.NOT_YOURS)
    topics = program_settings(session).focus_areas
    topic = next((known for known in topics if known.casefold() == topic.casefold()), "")
    if kind is Kind.TECHNICAL:
        if not questions.classify(question_id, kind, topic, Status.TO_SERVICE_DESK, now):
            return Routed(Outcome.ALREADY)
        return Routed(Outcome.DONE, kind, service_desk=service_desk(session))
    candidates = champions_for(session, question.asker_teams_user_id or "", topic or None, today)
    if not candidates:
        if not questions.classify(question_id, kind, topic, Status.WITH_LEADS, now):
            return Routed(Outcome.ALREADY)
        _tell_leads(session, messaging, question_id, "question.nobody", now)
        return Routed(Outcome.DONE, kind)
    champion_id, name = candidates[0]
    if not questions.classify(question_id, kind, topic, Status.WITH_CHAMPION, now):
        return Routed(Outcome.ALREADY)
    questions.assign(question_id, champion_id, None, now, passed=False)
    _send_to_champion(session, messaging, question_id, champion_id, now)
    return Routed(Outcome.DONE, kind, champion=name)


def _send_to_champion(
    session: Session, messaging: Messaging, question_id: int, champion_id: int, now: datetime
) -> None:
    question = Questions(session).get(question_id)
    held = serving_champion(session, champion_id)
    if question is None or held is None:
        return
    teams_user_id, _ = held
    others = [
        (other_id, name)
        for other_id, name in champions_for(
            session, question.asker_teams_user_id or "", question.topic or None, now.date()
        )
        if other_id != champion_id
    ][:3]
    texts = messaging.texts_for(Members(session).get(teams_user_id))
    card = champion_card(texts, question, others)
    key = f"question:{question_id}:to:{champion_id}:{stamp(now)}"
    intro = texts("question.intro", name=plain(question.asker_name) or texts("question.a_colleague"))
    messaging.send(session, OutboundMessage(key, ToUser(teams_user_id), MessagePayload(intro, card)), now)


def _tell_leads(session: Session, messaging: Messaging, question_id: int, why: str, now: datetime) -> None:
    question = Questions(session).get(question_id)
    if question is None:
        return

    def build(t: Texts) -> tuple[str, Card | None]:
        return t(why), champion_card(t, question, [], for_leads=True)

    messaging.notify_leads(session, f"question:{question_id}:leads:{stamp(now)}", now, build)


@dataclass(frozen=True, slots=True)
class Acting:
    """Who presses a question card: its champion, or a lead."""

    teams_user_id: str
    name: str
    is_lead: bool


def _may_act(session: Session, question: Question, who: Acting) -> bool:
    if who.is_lead:
        return True
    champion_id = Champions(session).active_id_of(who.teams_user_id)
    return champion_id is not None and champion_id == question.champion_id


def pass_on(
    session: Session, messaging: Messaging, question_id: int, who: Acting, to_champion: int, now: datetime
) -> tuple[Outcome, str]:
    """To another champion (once more than MAX_PASSES, to the leads); (outcome, who has it now)."""
    questions = Questions(session)
    question = questions.get(question_id)
    if question is None:
        return Outcome.UNKNOWN, ""
    if question.status is not Status.WITH_CHAMPION:
        return Outcome.ALREADY, ""
    if not _may_act(session, question, who):
        return Outcome.NOT_YOURS, ""
    target = serving_champion(session, to_champion)
    if target is None or to_champion == question.champion_id:
        return Outcome.UNKNOWN, ""
    if question.passes + 1 > MAX_PASSES:
        return hand_to_leads(session, messaging, question_id, who, now), ""
    if not questions.assign(question_id, to_champion, question.champion_id, now, passed=True):
        return Outcome.ALREADY, ""
    _send_to_champion(session, messaging, question_id, to_champion, now)
    return Outcome.DONE, target[1]


def hand_to_leads(session: Session, messaging: Messaging, question_id: int, who: Acting, now: datetime) -> Outcome:
    questions = Questions(session)
    question = questions.get(question_id)
    if question is None:
        return Outcome.UNKNOWN
    if not _may_act(session, question, who):
        return Outcome.NOT_YOURS
    if not questions.to_leads(question_id, now, escalated=False):
        return Outcome.ALREADY
    _tell_leads(session, messaging, question_id, "question.handed", now)
    return Outcome.DONE


def answer(session: Session, messaging: Messaging, question_id: int, who: Acting, text: str, now: datetime) -> Outcome:
    """The answer goes to the asker with a way to rate it; a champion's answer earns points."""
    questions = Questions(session)
    question = questions.get(question_id)
    if question is None:
        return Outcome.UNKNOWN
    if not question.status.open:
        return Outcome.ALREADY
    if not _may_act(session, question, who):
        return Outcome.NOT_YOURS
    champion_id = Champions(session).active_id_of(who.teams_user_id)
    if not questions.answer(question_id, text, who.name, champion_id, now):
        return Outcome.ALREADY
    answered = questions.get(question_id)
    if answered is not None and answered.asker_teams_user_id:
        texts = Texts(messaging.translate, answered.asker_locale)
        card = answer_card(texts, answered)
        key = f"question:{question_id}:answer"
        payload = MessagePayload(texts("question.answered_intro"), card)
        messaging.send(session, OutboundMessage(key, ToUser(answered.asker_teams_user_id), payload), now)
    if champion_id is not None:
        award(
            session, messaging, champion_id, PointsReason.QUESTION_ANSWERED, now, source_key=f"question:{question_id}"
        )
    if who.is_lead:
        AuditTrail(session).record(who.name, "question.answer", f"question {question_id}", now)
    return Outcome.DONE


def rate(session: Session, question_id: int, member_id: int | None, value: int, now: datetime) -> Outcome:
    questions = Questions(session)
    question = questions.get(question_id)
    if question is None:
        return Outcome.UNKNOWN
    if member_id is None or question.asker_member_id != member_id:
        return Outcome.NOT_YOURS
    return Outcome.DONE if questions.rate(question_id, value, now) else Outcome.ALREADY


def escalate_waiting(session: Session, messaging: Messaging, now: datetime) -> int:
    """Questions a champion has not answered in time go to the leads; the asker hears they are on it."""
    questions = Questions(session)
    escalated = 0
    for question_id in questions.waiting_too_long(now - ESCALATE_AFTER):
        if not questions.to_leads(question_id, now, escalated=True):
            continue
        escalated += 1
        _tell_leads(session, messaging, question_id, "question.escalated", now)
        question = questions.get(question_id)
        if question is not None and question.asker_teams_user_id:
            texts = Texts(messaging.translate, question.asker_locale)
            payload = MessagePayload(texts("question.escalated_asker"))
            key = f"question:{question_id}:escalated"
            messaging.send(session, OutboundMessage(key, ToUser(question.asker_teams_user_id), payload), now)
    return escalated


def open_questions(session: Session, limit: int) -> tuple[list[Question], int]:
    questions = Questions(session)
    return questions.open(limit), questions.count_open()


def service_desk(session: Session) -> str:
    value = SettingsStore(session).read(SERVICE_DESK)
    return value if isinstance(value, str) else ""


def save_service_desk(session: Session, text: str, by: str, now: datetime) -> None:
    SettingsStore(session).write(SERVICE_DESK, text, by, now)
    AuditTrail(session).record(by, "settings.service_desk", text[:200], now)

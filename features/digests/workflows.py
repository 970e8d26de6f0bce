"""Digests built from the other slices' pulses, sent through the outbox once per reader and
period, and what sponsors and leads do from them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlmodel import Session

from domain.i18n import Texts
from domain.outbox import MessagePayload, OutboundMessage, ToUser
from features.checkins import checkin_pulse
from features.digests.domain import (
    DECISIONS_SHOWN,
    LEAD_MIN_GROUP,
    SPONSOR_MIN_GROUP,
    THEMES_FOR_SPONSORS,
    WINS_SHOWN,
    Answer,
    Contests,
    Figures,
    Health,
    Need,
    Schedule,
    at_risk,
    coverage_gaps,
    health_line,
    lead_due,
    month_span,
    needs_you,
    previous_week,
    share,
    sponsor_due,
    verdict,
    voice,
    week_number,
    week_of,
)
from features.digests.storage import Decisions, Deliveries, HealthHistory, Schedules
from features.enrolment import program_pulse
from features.hunts import HuntPulse, hunt_pulse
from features.lottery import LotteryPulse, lottery_pulse
from features.questions import question_pulse
from features.recognition import recognition_pulse, thank_from_sponsor
from storage.audit import AuditTrail
from storage.links import file_link
from storage.messaging import Messaging
from storage.models import MemberRecord
from storage.program import Leads, Sponsors
from views.cards import Card

LEAD, SPONSOR = "lead", "sponsor"
WEEK = timedelta(days=7)
CSV_FILES = "digest-csv"
LINK_LIFETIME = timedelta(days=14)


def csv_link(session: Session, origin: str, week: str, now: datetime) -> str:
    """A signed link to the week's figures as CSV, valid two weeks."""
    return file_link(session, origin, CSV_FILES, week_number(week), now + LINK_LIFETIME, now)


def lead_figures(
    session: Session, week: str, now: datetime, span: tuple[datetime, datetime] | None = None, *, keep: bool = True
) -> Figures:
    """The lead digest sent in `week`, about the seven days before `now` (or `span`); `keep`
    saves its health line, which next week's change is measured from."""
    start, end = span or (now - WEEK, now)
    program = program_pulse(session, now.date())
    checkins = checkin_pulse(session, start, end)
    recognition = recognition_pulse(session, start, end)
    hunt, lottery = hunt_pulse(session, now), lottery_pulse(session, now)
    asked = question_pulse(session, start, end)
    serving = set(program.champions)
    latest = checkins.rounds[-1] if checkins.rounds else None
    figures_now = {
        Health.COVERAGE.value: program.units_at_target,
        Health.ACTIVITY.value: checkins.active_share,
        Health.VOICE.value: latest.response_rate if latest else None,
        Health.RECOGNITION.value: share(len(serving & recognition.recognised_recently), len(serving)),
    }
    history = HealthHistory(session)
    before = history.of(previous_week(week))
    if keep:
        history.keep(week, figures_now, now)
    loop = checkins.loop
    needs = needs_you(
        {
            Need.APPLICATIONS: program.applications_waiting,
            Need.NOMINATIONS: program.nominations_waiting,
            Need.FEEDBACK_AGED: loop.aged,
            Need.FEEDBACK: loop.untriaged - loop.aged,
            Need.QUESTIONS: asked.with_leads,
            Need.STORIES: recognition.stories_waiting,
            Need.HUNT_EVIDENCE: hunt.evidence_waiting,
            Need.HUNT_FLAGS: hunt.flags,
            Need.DRAWS: lottery.closing_soon,
        }
    )
    departments = program.departments
    risky, risky_total = at_risk(
        {ref.champion_id: (ref.name, ref.department) for ref in program.champions.values()},
        checkins.missed_twice,
        [ref.champion_id for ref in program.long_pauses],
        serving,
        recognition.recognised_in_60_days,
    )
    quotes = [(quote.theme, quote.department, quote.text) for quote in checkins.quotes]
    return Figures(
        period=week,
        health=health_line(figures_now, before),
        needs=needs,
        gaps=coverage_gaps(
            [(unit.name, unit.headcount, unit.champions, unit.gap) for unit in departments],
            program.nominees,
            recognition.thanked_not_serving,
        ),
        at_risk=risky,
        at_risk_total=risky_total,
        voice=voice(checkins.answers_by_theme, checkins.respondents_by_department, quotes, LEAD_MIN_GROUP),
        themes={theme.id: (theme.key, theme.text) for theme in checkins.themes},
        questions_by_topic=_topics(asked.topics, LEAD_MIN_GROUP),
        response_trend=tuple(
            (point.round_date, point.response_rate) for point in checkins.rounds if point.response_rate is not None
        ),
        sentiment_trend=tuple(
            (point.round_date, point.sentiment) for point in checkins.rounds if point.sentiment is not None
        ),
        feedback_closed=loop.closed,
        raisers_told=loop.raisers_told,
        triage_hours=loop.triage_hours,
        feedback_aged=loop.aged,
        participation=tuple(sorted(recognition.points_by_department.items(), key=lambda item: (-item[1], item[0]))),
        coverage_by_department=tuple(
            (unit.name, unit.champions, unit.required or 0) for unit in departments if unit.headcount > 0
        ),
        contests=_contests(hunt, lottery),
        activity_this_period=checkins.respondents
        + len(recognition.points_by_department)
        + loop.closed
        + len(recognition.wins)
        + sum(asked.topics.values()),
    )


def sponsor_figures(session: Session, month: str, timezone: str, now: datetime) -> Figures:
    """The sponsor digest of `month`: aggregates only, none about fewer than five people."""
    start, end = month_span(month, timezone)
    end = min(end, now) if start <= now else end
    program = program_pulse(session, now.date())
    # Sponsors see no trend of rounds nor who is at risk: the lighter reads.
    checkins = checkin_pulse(session, start, end, rounds_shown=2)
    recognition = recognition_pulse(session, start, end, at_risk=False)
    serving = set(program.champions)
    latest = checkins.rounds[-1] if checkins.rounds else None
    large = [unit for unit in program.departments if unit.headcount >= SPONSOR_MIN_GROUP]
    at_target = share(sum(1 for unit in large if unit.gap == 0), len(large))
    rate = latest.response_rate if latest and latest.invited >= SPONSOR_MIN_GROUP else None
    active = checkins.active_share if checkins.recent_invited >= SPONSOR_MIN_GROUP else None
    quotes = [(quote.theme, quote.department, quote.text) for quote in checkins.quotes]
    heard = voice(
        checkins.answers_by_theme,
        checkins.respondents_by_department,
        quotes,
        SPONSOR_MIN_GROUP,
        shown=THEMES_FOR_SPONSORS,
        one_per_theme=True,
    )
    heard = replace(heard, themes=heard.themes[:THEMES_FOR_SPONSORS])
    enough = len(serving) >= SPONSOR_MIN_GROUP
    return Figures(
        period=month,
        health=health_line(
            {
                Health.COVERAGE.value: at_target,
                Health.ACTIVITY.value: active,
                Health.VOICE.value: rate,
                Health.RECOGNITION.value: share(len(serving & recognition.recognised_recently), len(serving))
                if enough
                else None,
            },
            {},
        ),
        verdict=verdict(at_target, active, rate),
        active_champions=program.active_champions if enough else 0,
        employees=program.employees if program.employees >= SPONSOR_MIN_GROUP else 0,
        # The plan: each department's target, or one champion where people work and none does.
        network=(sum(unit.champions for unit in large), sum(unit.champions + unit.gap for unit in large)),
        coverage_by_department=tuple((unit.name, unit.champions, unit.required or 0) for unit in large),
        voice=heard,
        themes={theme.id: (theme.key, theme.text) for theme in checkins.themes},
        decisions=tuple(Decisions(session).open(DECISIONS_SHOWN)),
        wins=tuple((story.id, story.title, story.impact, story.department) for story in recognition.wins[:WINS_SHOWN]),
        champions_of_month=tuple(
            (int(row.key), row.name, int(row.points)) for row in recognition.top if not row.hidden
        ),
        contests=_contests(hunt_pulse(session, now), lottery_pulse(session, now)),
        risky_departments=tuple(unit.name for unit in large if unit.gap > 0)[:3],
        feedback_aged=checkins.loop.aged,
        activity_this_period=checkins.respondents + len(recognition.points_by_department),
    )


def _topics(topics: dict[str, int], minimum: int) -> tuple[tuple[str, int], ...]:
    """Topics asked about at least `minimum` times, most asked first."""
    return tuple(
        sorted(((topic, count) for topic, count in topics.items() if count >= minimum), key=lambda i: (-i[1], i[0]))
    )


def _contests(hunt: HuntPulse, lottery: LotteryPulse) -> Contests:
    return Contests(
        hunt_title=hunt.title,
        hunt_top=tuple((row.team, row.score) for row in hunt.top),
        hunt_mover=hunt.mover,
        tickets_issued=lottery.tickets_issued,
        last_draw=lottery.last_draw,
        next_draw=lottery.next_draw,
        next_closes_at=lottery.next_closes_at,
    )


# --- delivery -------------------------------------------------------------------------------------

Build = Callable[[Texts, Figures], tuple[str, Card]]


def send_lead_digests(session: Session, messaging: Messaging, build: Build, now: datetime) -> int:
    """Each lead whose day and hour have come (their time zone) gets this week's digest once,
    unless nothing happened and nothing waits; how many were sent."""
    leads = Leads(session).reachable_members(messaging.roles.bootstrap_leads)
    schedules, deliveries = Schedules(session), Deliveries(session)
    built: dict[str, Figures] = {}
    decided: dict[str, set[int]] = {}  # per week: whose digest was already decided (read once)
    sent = 0
    for lead in leads:
        assert lead.id is not None
        texts = messaging.texts_for(lead)
        week = lead_due(schedules.of(lead.id), now, texts.timezone)
        if week is None:
            continue
        if week not in decided:
            decided[week] = deliveries.decided(LEAD, week)
        if lead.id in decided[week]:
            continue
        figures = built.get(week)
        if figures is None:
            figures = built[week] = lead_figures(session, week, now)
        if not deliveries.decide(LEAD, week, lead.id, not figures.quiet, now) or figures.quiet:
            continue
        sent += _send(session, messaging, f"digest:{LEAD}:{week}:{lead.id}", lead, build(texts, figures), now)
    return sent


def send_sponsor_digests(session: Session, messaging: Messaging, build: Build, timezone: str, now: datetime) -> int:
    """Every sponsor gets last month's digest once, from the first working day (the program's zone)."""
    month = sponsor_due(now, timezone)
    if month is None:
        return 0
    deliveries = Deliveries(session)
    decided = deliveries.decided(SPONSOR, month)
    waiting = [
        sponsor
        for sponsor in Sponsors(session).reachable_members(messaging.roles.bootstrap_sponsors)
        if sponsor.id is not None and sponsor.id not in decided
    ]
    if not waiting:
        return 0
    figures = sponsor_figures(session, month, timezone, now)
    sent = 0
    for sponsor in waiting:
        assert sponsor.id is not None
        if deliveries.decide(SPONSOR, month, sponsor.id, True, now):
            key = f"digest:{SPONSOR}:{month}:{sponsor.id}"
            sent += _send(session, messaging, key, sponsor, build(messaging.texts_for(sponsor), figures), now)
    return sent


def _send(
    session: Session, messaging: Messaging, key: str, reader: MemberRecord, message: tuple[str, Card], now: datetime
) -> int:
    text, card = message
    return int(
        messaging.send(session, OutboundMessage(key, ToUser(reader.teams_user_id), MessagePayload(text, card)), now)
    )


# --- what readers do ------------------------------------------------------------------------------


def save_schedule(session: Session, member_id: int, weekday: int, hour: int, now: datetime) -> Schedule:
    schedules = Schedules(session)
    schedule = replace(schedules.of(member_id), weekday=weekday, hour=hour)
    schedules.save(member_id, schedule, now)
    return schedule


def snooze(session: Session, member_id: int, weeks: int, today: date, now: datetime) -> date | None:
    """No digest for `weeks` weeks (0 wakes it again); the last day snoozed."""
    schedules = Schedules(session)
    until = today + timedelta(weeks=weeks) - timedelta(days=1) if weeks > 0 else None
    schedules.save(member_id, replace(schedules.of(member_id), snoozed_until=until), now)
    return until


def raise_decision(session: Session, question: str, by: str, now: datetime) -> int:
    decision_id = Decisions(session).raise_one(question, by, now)
    AuditTrail(session).record(by, "decision.raise", f"decision {decision_id}", now, after={"question": question})
    return decision_id


class Answered(StrEnum):
    DONE = "done"
    ALREADY = "already"
    UNKNOWN = "unknown"


def answer_decision(
    session: Session, messaging: Messaging, decision_id: int, answer: Answer, sponsor: str, now: datetime
) -> tuple[Answered, str | None, str | None]:
    """The first sponsor's answer stands and goes back to the leads; (outcome, question, answer given)."""
    decisions = Decisions(session)
    found = decisions.get(decision_id)
    if found is None:
        return Answered.UNKNOWN, None, None
    if not decisions.answer(decision_id, answer, sponsor, now):
        return Answered.ALREADY, found.question, found.answer
    AuditTrail(session).record(
        sponsor, "decision.answer", f"decision {decision_id}", now, after={"answer": answer.value}
    )
    messaging.notify_leads(
        session,
        f"decision:{decision_id}",
        now,
        lambda t: (t(f"decision.answered.{answer.value}", sponsor=sponsor, question=found.question), None),
    )
    return Answered.DONE, found.question, answer.value


def thank(session: Session, messaging: Messaging, champion_id: int, sponsor: str, month: str, now: datetime) -> bool:
    return thank_from_sponsor(session, messaging, champion_id, sponsor, month, now)


def current_week(now: datetime, timezone: str) -> str:
    return week_of(now.astimezone(ZoneInfo(timezone)).date())

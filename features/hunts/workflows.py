"""Hunts, each change in one transaction with the messages it causes.

A lead creates a hunt from a template and schedules it; the tick job opens it (teams from
the directory's departments, each dealt its variants, order and code word), opens clues
that waited long enough, and closes it with the reveal. Players answer and open hints.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel import Session

from domain.i18n import Texts
from domain.outbox import MessagePayload, OutboundMessage, ToConversation, ToUser
from features.hunts.domain import (
    Board,
    Clue,
    ClueKind,
    ClueState,
    Flag,
    Highlights,
    Hunt,
    HuntPlan,
    HuntStatus,
    Lessons,
    Limited,
    OpenClue,
    Play,
    PlayerTally,
    Standing,
    Team,
    TeamsBy,
    TeamTally,
    Verdict,
    after_miss,
    clue_award,
    code_word,
    deal,
    first_open,
    flags,
    form_teams,
    frozen_at,
    highlights,
    hint_credits,
    judge,
    localized,
    may_guess,
    needs_verifier,
    standings,
)
from features.hunts.evidence_storage import Evidences
from features.hunts.plans import plan_to_data, template
from features.hunts.storage import Hunts, captains_of, champion_units, units_with_headcount
from features.hunts.views import lessons_card, reveal_card, walkthrough_card
from features.recognition import credit_contest, hidden_from_public
from storage.audit import AuditTrail
from storage.champions import Champions
from storage.messaging import Messaging
from storage.models import MemberRecord
from storage.program import ProgramConfig
from storage.repositories import Members
from storage.workplaces import Workplaces

# --- creating and scheduling ----------------------------------------------------------------------


class CreateOutcome(StrEnum):
    CREATED = "created"
    NEEDS_VERIFIER = "needs_verifier"


@dataclass(frozen=True, slots=True)
class Created:
    outcome: CreateOutcome
    hunt_id: int | None = None


def create_from_template(session: Session, key: str, by: str, now: datetime, *, verifier: bool) -> Created:
    """A draft hunt from a shipped template (raises PlanError for an unknown one)."""
    return create_from_plan(session, template(key), by, now, verifier=verifier, source={"template": key})


def create_from_plan(
    session: Session, plan: HuntPlan, by: str, now: datetime, *, verifier: bool, source: dict[str, str]
) -> Created:
    """A draft hunt from a checked plan (a template, or a lead's hunt file)."""
    if needs_verifier(plan) and not verifier:
        return Created(CreateOutcome.NEEDS_VERIFIER)
    hunt_id = Hunts(session).create(plan.title["en"], plan_to_data(plan), secrets.token_hex(16), by, now)
    AuditTrail(session).record(by, "hunt.create", plan.title["en"], now, after=source)
    return Created(CreateOutcome.CREATED, hunt_id)


class ScheduleOutcome(StrEnum):
    SCHEDULED = "scheduled"
    NOT_FOUND = "not_found"
    STARTED = "started"  # running or closed: too late to move
    BAD_WINDOW = "bad_window"


def schedule(
    session: Session, hunt_id: int, starts_at: datetime, ends_at: datetime, by: str, now: datetime
) -> ScheduleOutcome:
    hunts = Hunts(session)
    hunt = hunts.get(hunt_id)
    if hunt is None:
        return ScheduleOutcome.NOT_FOUND
    if ends_at <= starts_at or ends_at <= now or ends_at - starts_at > timedelta(days=60):
        return ScheduleOutcome.BAD_WINDOW
    if not hunts.schedule(hunt_id, starts_at, ends_at, now):
        return ScheduleOutcome.STARTED
    before = {"starts_at": hunt.starts_at, "ends_at": hunt.ends_at} if hunt.starts_at else None
    after = {"starts_at": starts_at, "ends_at": ends_at}
    AuditTrail(session).record(by, "hunt.schedule", hunt.title, now, before=before, after=after)
    return ScheduleOutcome.SCHEDULED


# --- the tick: opening, clues that waited long enough, closing ------------------------------------


def open_hunt(session: Session, messaging: Messaging, hunt_id: int, now: datetime, default_timezone: str) -> int:
    """Open a scheduled hunt once: a team per department (or office, or group a lead made) in
    the directory, each dealt its clues, with the first clue of every leg open; each team's
    captains (its champions) hear that they lead it. Returns how many teams play (0: not opened)."""
    hunts = Hunts(session)
    hunt = hunts.get(hunt_id)
    if hunt is None or not hunts.open(hunt_id, now):
        return 0
    plan = hunt.plan
    units = champion_units(session) if hunt.rehearsal else units_with_headcount(session, hunt.teams_by)
    teams = form_teams(units, hunt.team_groups)
    notice = "hunt.rehearsal_captain" if hunt.rehearsal else "hunt.captain"
    for team in teams:
        code = code_word(hunt.salt, team.name)
        team_id = hunts.add_team(
            hunt_id, team.name, team.units, team.headcount, team.timezone or default_timezone, code
        )
        # The first clue of every leg is open from the start (the final waits for the legs).
        dealt = [
            (item.clue.key, item.leg_key, item.position, item.variant, now if first_open(item) else None)
            for item in deal(plan, hunt.salt, team.name)
        ]
        hunts.deal(hunt_id, team_id, dealt)
        for member_id, teams_user_id, _name in captains_of(session, hunt.teams_by, team.units):
            texts = messaging.texts_for(session.get(MemberRecord, member_id))
            text = texts(notice, title=localized(plan.title, texts.locale), team=team.name, when=hunt.ends_at or now)
            message = OutboundMessage(
                f"hunt:{hunt_id}:captain:{member_id}", ToUser(teams_user_id), MessagePayload(text)
            )
            messaging.send(session, message, now)
    return len(teams)


def open_waiting_clues(session: Session, hunt_id: int, now: datetime) -> int:
    """Open the clues whose turn came on its own: `opens_anyway_after` the one before them opened."""
    hunts = Hunts(session)
    hunt = hunts.get(hunt_id)
    if hunt is None or hunt.status is not HuntStatus.RUNNING:
        return 0
    opened = 0
    waiting = [state for state in hunts.unopened(hunt_id) if state.leg_key and state.position > 0]
    states_of: dict[int, list[ClueState]] = {}  # each waiting team's clues, read once
    for state in waiting:
        clue = hunt.plan.clue(state.clue_key)
        if clue is None or clue.opens_anyway_after is None:
            continue
        if state.team_id not in states_of:
            states_of[state.team_id] = hunts.states(state.team_id)
        before = _at_position(states_of[state.team_id], state.leg_key, state.position - 1)
        if before is not None and before.opened_at is not None and before.opened_at + clue.opens_anyway_after <= now:
            opened += hunts.open_clue(state.team_id, state.clue_key, now)
    return opened


def close_hunt(session: Session, messaging: Messaging, hunt_id: int, now: datetime) -> bool:
    """Close a running hunt once, and reveal the final board in the champions' channel."""
    hunts = Hunts(session)
    hunt = hunts.get(hunt_id)
    if hunt is None or not hunts.close(hunt_id, now):
        return False
    board = final_board(session, hunt)
    channel = ProgramConfig(session).load().champions_channel_id
    if hunt.rehearsal:  # a dry run's results are for the leads, who check the hunt with them
        best = _highlights(session, hunts, hunt, board)
        messaging.notify_leads(
            session,
            f"hunt:{hunt_id}:rehearsal",
            now,
            lambda t: (t("hunt.rehearsal_over"), reveal_card(t, localized(hunt.plan.title, t.locale), board, best)),
        )
    elif channel and board:
        texts = messaging.texts_for(None)
        title = localized(hunt.plan.title, texts.locale)
        best = _highlights(session, hunts, hunt, board)
        for part, card in (
            ("reveal", reveal_card(texts, title, board, best)),
            ("walkthrough", walkthrough_card(texts, hunt)),
        ):
            message = OutboundMessage(f"hunt:{hunt_id}:{part}", ToConversation(channel), MessagePayload("", card))
            messaging.send(session, message, now)
    lessons = lessons_of(hunts, hunt)
    messaging.notify_leads(session, f"hunt:{hunt_id}:lessons", now, lambda t: ("", lessons_card(t, hunt, lessons)))
    return True


def _highlights(session: Session, hunts: Hunts, hunt: Hunt, board: list[Standing]) -> Highlights:
    """Who climbed most while the board was frozen, whose solves earned most, the best
    newcomer; people who asked not to be named in public posts are "a colleague"."""
    frozen = frozen_board(session, hunt)
    scored = hunts.player_points(hunt.id)
    ids = [member_id for member_id, _, _, _ in scored]
    hidden, veterans = hidden_from_public(session, ids), hunts.played_before(hunt.id, ids)
    players = [
        PlayerTally(member_id, "" if member_id in hidden else name, team, points)
        for member_id, name, team, points in scored
    ]
    return highlights(frozen, board, players, set(ids) - veterans)


def lessons_of(hunts: Hunts, hunt: Hunt) -> Lessons:
    """What the hunt taught: each team's slowest clue (a training need), and the records fixed."""
    slowest: dict[str, tuple[str, timedelta | None]] = {}
    for team_name, clue_key, opened_at, solved_at in hunts.solve_times(hunt.id):
        if opened_at is None:
            continue  # never reached: not a lesson about that clue
        took = solved_at - opened_at if solved_at is not None else None
        known = slowest.get(team_name)
        if known is None or _longer(took, known[1]):
            slowest[team_name] = (clue_key, took)
    return Lessons(
        slowest=tuple((team, key, took) for team, (key, took) in sorted(slowest.items())),
        fixed=tuple(hunts.verified_counts(hunt.id).items()),
    )


def _longer(took: timedelta | None, than: timedelta | None) -> bool:
    """Unsolved counts as longest of all."""
    if took is None:
        return than is not None
    return than is not None and took > than


# --- playing ---------------------------------------------------------------------------------------


class PlayOutcome(StrEnum):
    PLAYING = "playing"
    NO_HUNT = "no_hunt"
    NOT_STARTED = "not_started"
    PAUSED = "paused"
    NO_TEAM = "no_team"  # their department is not playing (not in the directory when it opened)


@dataclass(frozen=True, slots=True)
class Seen:
    outcome: PlayOutcome
    play: Play | None = None
    hunt: Hunt | None = None


def current_hunt(session: Session) -> Hunt | None:
    hunts = Hunts(session)
    return hunts.latest([HuntStatus.RUNNING, HuntStatus.PAUSED]) or hunts.latest(
        [HuntStatus.SCHEDULED, HuntStatus.CLOSED]
    )


def _live_for(session: Session, hunts: Hunts, teams_user_id: str) -> Hunt | None:
    """The running or paused hunt this person plays: a dry run first if they are a champion
    (nobody else sees one), else the hunt everyone plays."""
    live = hunts.live()
    rehearsal = next((hunt for hunt in live if hunt.rehearsal and hunt.status is HuntStatus.RUNNING), None)
    if rehearsal is not None and Champions(session).active_id_of(teams_user_id) is not None:
        return rehearsal
    return next((hunt for hunt in live if not hunt.rehearsal), None)


def play_of(session: Session, teams_user_id: str, now: datetime) -> Seen:
    """What the sender sees of the current hunt: their team's clues, or why there are none."""
    hunts = Hunts(session)
    hunt = _live_for(session, hunts, teams_user_id) or hunts.latest([HuntStatus.SCHEDULED, HuntStatus.CLOSED])
    if hunt is None:
        return Seen(PlayOutcome.NO_HUNT)
    if hunt.status is HuntStatus.SCHEDULED:
        return Seen(PlayOutcome.NOT_STARTED, hunt=hunt)
    if hunt.status is HuntStatus.PAUSED:
        return Seen(PlayOutcome.PAUSED, hunt=hunt)
    player = player_of(session, teams_user_id)
    team = team_of(hunts, hunt, player) if player is not None else None
    if team is None:
        return Seen(PlayOutcome.NO_TEAM, hunt=hunt)
    return Seen(PlayOutcome.PLAYING, _play(session, hunts, hunt, team, now), hunt)


def _open_clues(hunt: Hunt, states: list[ClueState]) -> tuple[OpenClue, ...]:
    """The team's open clues, numbered as its card lists them."""
    open_states = [state for state in states if state.opened_at is not None and state.solved_at is None]
    open_clues = []
    for number, state in enumerate(open_states, start=1):
        clue = hunt.plan.clue(state.clue_key)
        if clue is not None:
            open_clues.append(OpenClue(number, clue, state, state.hints_used))
    return tuple(open_clues)


def open_clues_of(session: Session, hunt: Hunt, team: Team) -> tuple[OpenClue, ...]:
    """The team's open clues as its card lists them, with where its evidence pictures stand."""
    return _with_reviews(session, team, _open_clues(hunt, Hunts(session).states(team.id)))


def _with_reviews(session: Session, team: Team, open_clues: tuple[OpenClue, ...]) -> tuple[OpenClue, ...]:
    evidences = Evidences(session)
    return tuple(
        replace(
            item,
            reviewing=evidences.waiting_for(team.id, item.clue.key),
            turned_down=evidences.last_rejection(team.id, item.clue.key),
        )
        if item.clue.kind is ClueKind.EVIDENCE
        else item
        for item in open_clues
    )


def _play(session: Session, hunts: Hunts, hunt: Hunt, team: Team, now: datetime) -> Play:
    states = hunts.states(team.id)
    return Play(
        hunt=hunt,
        team=team,
        open=_with_reviews(session, team, _open_clues(hunt, states)),
        solved=sum(state.solved_at is not None for state in states),
        total=len(states),
        fragments=_fragments(hunt.plan, states),
        captains=tuple(name for _, _, name in captains_of(session, hunt.teams_by, team.departments)),
        hint_credits=_credits(hunt, team, now, used=sum(state.hints_used for state in states)),
    )


def _credits(hunt: Hunt, team: Team, now: datetime, used: int) -> int:
    starts = hunt.starts_at or now
    return hint_credits(starts, now, team.timezone, hunt.plan.hints_at_start, used, team.hints_granted)


def _fragments(plan: HuntPlan, states: list[ClueState]) -> tuple[str, ...]:
    if plan.final is None:
        return ()
    final = next((state for state in states if state.clue_key == plan.final.key), None)
    if final is None:
        return ()
    return tuple(leg.fragments[final.variant] for leg in plan.legs if _leg_done(states, leg.key))


def _leg_done(states: list[ClueState], leg_key: str) -> bool:
    legs = [state for state in states if state.leg_key == leg_key]
    return bool(legs) and all(state.solved_at is not None for state in legs)


def _at_position(states: list[ClueState], leg_key: str, position: int) -> ClueState | None:
    return next((s for s in states if s.leg_key == leg_key and s.position == position), None)


class AnswerOutcome(StrEnum):
    SOLVED = "solved"
    NEAR_MISS = "near_miss"
    WRONG = "wrong"
    LIMITED = "limited"
    ALREADY_SOLVED = "already_solved"  # a teammate got there first
    WHICH_CLUE = "which_clue"  # several open: say which
    NOTHING_OPEN = "nothing_open"
    USE_CHECK = "use_check"  # an action clue: done in the business system, then "Check it"
    SEND_PICTURE = "send_picture"  # an evidence clue: a picture, not words
    PAUSED = "paused"  # by the leads, for a while
    NOT_PLAYING = "not_playing"  # no running hunt, or no team


@dataclass(frozen=True, slots=True)
class Answered:
    outcome: AnswerOutcome
    clue: Clue | None = None
    points: int = 0
    reply: dict[str, str] = field(default_factory=dict)  # the author's words for a near miss
    warning: bool = False  # the next wrong answer locks the team out
    limited: Limited | None = None
    fragment: str = ""  # a leg finished: the fragment it reveals
    final_opened: bool = False
    finished: bool = False  # the final clue solved


@dataclass(frozen=True, slots=True)
class Player:
    member_id: int
    teams_user_id: str
    department: str
    office: str = ""


def team_of(hunts: Hunts, hunt: Hunt, player: Player) -> Team | None:
    """The team the player plays for: their department's (or office's, or the group it is in)."""
    unit = player.office if hunt.teams_by is TeamsBy.OFFICE else player.department
    return hunts.team_of_unit(hunt.id, unit) if unit else None


def player_of(session: Session, teams_user_id: str) -> Player | None:
    """Who is playing, and for which department (the directory's, else what they told the bot)."""
    member = Members(session).get(teams_user_id)
    if member is None or member.id is None:
        return None
    unit, _ = Workplaces(session).unit_of(teams_user_id)
    return Player(member.id, teams_user_id, unit.department or "", unit.office or "")


def playing_now(session: Session, hunts: Hunts, teams_user_id: str, now: datetime) -> tuple[Hunt, Team, Player] | None:
    """The running hunt (a champion's dry run first), the sender's team in it and the sender,
    while the hunt is on."""
    hunt = _live_for(session, hunts, teams_user_id)
    player = player_of(session, teams_user_id) if hunt is not None else None
    if hunt is None or hunt.status is not HuntStatus.RUNNING or player is None:
        return None
    if hunt.ends_at is not None and now >= hunt.ends_at:
        return None
    team = team_of(hunts, hunt, player)
    return (hunt, team, player) if team is not None else None


def paused(hunts: Hunts) -> bool:
    """Whether the hunt players would be playing is paused by the leads."""
    return hunts.latest([HuntStatus.PAUSED]) is not None


def answer(
    session: Session,
    messaging: Messaging,
    teams_user_id: str,
    clue_key: str | None,
    number: int | None,
    text: str,
    now: datetime,
) -> Answered:
    """Judge an answer to one of the team's open clues (by key from a card, by number or alone
    when typed), within the rate and lockouts, and solve it once."""
    hunts = Hunts(session)
    playing = playing_now(session, hunts, teams_user_id, now)
    if playing is None:
        return Answered(AnswerOutcome.PAUSED if paused(hunts) else AnswerOutcome.NOT_PLAYING)
    hunt, team, player = playing
    chosen = _chosen(_open_clues(hunt, hunts.states(team.id)), clue_key, number)
    if isinstance(chosen, AnswerOutcome):
        if clue_key is not None and chosen is AnswerOutcome.NOTHING_OPEN:
            state = hunts.state(team.id, clue_key)
            if state is not None and state.solved_at is not None:
                return Answered(AnswerOutcome.ALREADY_SOLVED, hunt.plan.clue(clue_key))
        return Answered(chosen)
    clue, state = chosen.clue, chosen.state
    if clue.kind is ClueKind.ACTION:
        return Answered(AnswerOutcome.USE_CHECK, clue)
    if clue.kind is ClueKind.EVIDENCE:
        return Answered(AnswerOutcome.SEND_PICTURE, clue)
    rules = hunt.plan.guesses
    limited = may_guess(state.guesses, now, rules)
    if limited is not None:
        return Answered(AnswerOutcome.LIMITED, clue, limited=limited)
    judged = judge(text, clue, state.variant)
    hunts.add_answer(hunt.id, team.id, clue.key, player.member_id, text, judged.verdict.value, now)
    hunts.add_player(hunt.id, player.member_id, team.id, now)
    if judged.verdict is Verdict.SOLVED:
        return solve_clue(session, messaging, hunts, hunt, team, clue, state, player, now)
    missed = after_miss(state.guesses, now, rules)
    hunts.record_miss(team.id, clue.key, missed.guesses)
    outcome = AnswerOutcome.NEAR_MISS if judged.verdict is Verdict.NEAR_MISS else AnswerOutcome.WRONG
    limit = Limited(missed.locked_until, locked=True) if missed.locked_until is not None else None
    return Answered(outcome, clue, reply=dict(judged.reply), warning=missed.warning, limited=limit)


def said_on_solve(t: Texts, solved: Answered) -> list[str]:
    """What a solve earned and what it opened, in the solver's language."""
    said = [t("hunt.solved", count=solved.points)]
    if solved.fragment:
        said.append(t("hunt.fragment", fragment=solved.fragment))
    if solved.final_opened:
        said.append(t("hunt.final_opened"))
    if solved.finished:
        said.append(t("hunt.finished"))
    return said


def said_on_limit(t: Texts, limited: Limited | None, warning: bool = False) -> list[str]:
    """A lockout or the rate per minute the team met, else the warning one miss before a lockout."""
    if limited is not None:
        return [t("hunt.locked" if limited.locked else "hunt.rate", until=limited.until)]
    return [t("hunt.warning")] if warning else []


def _chosen(open_clues: tuple[OpenClue, ...], clue_key: str | None, number: int | None) -> OpenClue | AnswerOutcome:
    if not open_clues:
        return AnswerOutcome.NOTHING_OPEN
    if clue_key is not None:
        found = next((item for item in open_clues if item.clue.key == clue_key), None)
        return found if found is not None else AnswerOutcome.NOTHING_OPEN
    if number is not None:
        found = next((item for item in open_clues if item.number == number), None)
        return found if found is not None else AnswerOutcome.WHICH_CLUE
    return open_clues[0] if len(open_clues) == 1 else AnswerOutcome.WHICH_CLUE


def solve_clue(
    session: Session,
    messaging: Messaging,
    hunts: Hunts,
    hunt: Hunt,
    team: Team,
    clue: Clue,
    state: ClueState,
    player: Player,
    now: datetime,
) -> Answered:
    plan = hunt.plan
    costs = [hint.cost for hint in clue.hints[: state.hints_used]]
    award = clue_award(clue.value, hunts.solved_before(hunt.id, clue.key), costs, plan.scoring)
    if not hunts.solve(team.id, clue.key, player.member_id, award, now):
        return Answered(AnswerOutcome.ALREADY_SOLVED, clue)
    # A person's own points, capped per day (the team's score counts every solve).
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    earned_today = hunts.member_points_since(hunt.id, player.member_id, midnight) - award
    personal = max(0, min(award, plan.scoring.daily_points_cap - earned_today))
    if not hunt.rehearsal:  # a dry run earns nobody points
        note = localized(plan.title, "en")
        source = f"hunt:{hunt.id}:{team.id}:{clue.key}"
        credit_contest(session, messaging, player.teams_user_id, personal, now, source_key=source, note=note)
    states = hunts.states(team.id)
    fragment, final_opened = "", False
    if state.leg_key:
        following = _at_position(states, state.leg_key, state.position + 1)
        if following is not None:
            hunts.open_clue(team.id, following.clue_key, now)
        elif _leg_done(states, state.leg_key) and plan.final is not None:
            final_state = next(s for s in states if s.clue_key == plan.final.key)
            leg = next(leg for leg in plan.legs if leg.key == state.leg_key)
            fragment = leg.fragments[final_state.variant]
            _grant_catch_up_hints(hunts, hunt, team, state.leg_key)
            if all(_leg_done(states, other.key) for other in plan.legs):
                final_opened = hunts.open_clue(team.id, plan.final.key, now)
    finished = clue.kind is ClueKind.FINAL or (plan.final is None and all(s.solved_at for s in states))
    return Answered(
        AnswerOutcome.SOLVED, clue, points=award, fragment=fragment, final_opened=final_opened, finished=finished
    )


def _grant_catch_up_hints(hunts: Hunts, hunt: Hunt, leader: Team, leg_key: str) -> None:
    """The first team to finish a leg gives every other team one more hint credit."""
    if hunts.teams_done_with_leg(hunt.id, leg_key) == [leader.id]:
        hunts.grant_hints([team.id for team in hunts.teams(hunt.id) if team.id != leader.id])


class HintOutcome(StrEnum):
    SHOWN = "shown"
    NO_CREDITS = "no_credits"
    NO_MORE = "no_more"  # all the clue's hints are open
    NOT_OPEN = "not_open"
    PAUSED = "paused"


@dataclass(frozen=True, slots=True)
class HintTaken:
    outcome: HintOutcome
    clue: Clue | None = None
    shown: int = 0  # how many of the clue's hints the team has open now


def take_hint(session: Session, teams_user_id: str, clue_key: str, seen: int, now: datetime) -> HintTaken:
    """Open the clue's next hint for the team, if it has a credit; a replayed button opens none."""
    hunts = Hunts(session)
    playing = playing_now(session, hunts, teams_user_id, now)
    if playing is None:
        return HintTaken(HintOutcome.PAUSED if paused(hunts) else HintOutcome.NOT_OPEN)
    hunt, team, _player = playing
    state, clue = hunts.state(team.id, clue_key), hunt.plan.clue(clue_key)
    if state is None or clue is None or state.opened_at is None or state.solved_at is not None:
        return HintTaken(HintOutcome.NOT_OPEN)
    if state.hints_used != seen:
        return HintTaken(HintOutcome.SHOWN, clue, state.hints_used)  # pressed twice: what is open already
    if seen >= len(clue.hints):
        return HintTaken(HintOutcome.NO_MORE, clue, seen)
    if _credits(hunt, team, now, used=hunts.hints_used(team.id)) <= 0:
        return HintTaken(HintOutcome.NO_CREDITS, clue, seen)
    hunts.use_hint(team.id, clue_key, seen)
    return HintTaken(HintOutcome.SHOWN, clue, seen + 1)


# --- standings --------------------------------------------------------------------------------------


def board_of(session: Session, now: datetime) -> Board | None:
    hunt = current_hunt(session)
    if hunt is None or hunt.status is HuntStatus.SCHEDULED:
        return None
    freeze = None
    if hunt.status is HuntStatus.RUNNING and hunt.ends_at is not None:
        freeze_at = frozen_at(hunt.ends_at, hunt.plan.scoring)
        freeze = freeze_at if now >= freeze_at else None
    return Board(hunt, tuple(_standings(Hunts(session), hunt, freeze)), freeze)


def final_board(session: Session, hunt: Hunt) -> list[Standing]:
    return _standings(Hunts(session), hunt, None)


def frozen_board(session: Session, hunt: Hunt) -> list[Standing]:
    """The board as players last saw it, before the freeze (the final one without an end)."""
    until = frozen_at(hunt.ends_at, hunt.plan.scoring) if hunt.ends_at else None
    return _standings(Hunts(session), hunt, until)


def _standings(hunts: Hunts, hunt: Hunt, until: datetime | None) -> list[Standing]:
    tallies = [
        TeamTally(team.name, points, players, team.headcount, solved)
        for team, points, players, solved in hunts.tallies(hunt.id, until)
    ]
    return standings(tallies, hunt.plan.scoring)


# --- fair play: flags and adjustments -------------------------------------------------------------


def flags_of(session: Session) -> tuple[Hunt, list[Flag]] | None:
    """What looks unfair in the current hunt, newest first, for leads to review."""
    hunt = current_hunt(session)
    if hunt is None or hunt.status is HuntStatus.SCHEDULED:
        return None
    hunts = Hunts(session)
    solves = [
        (team, key, opened, solved)
        for team, key, opened, solved in hunts.solve_times(hunt.id)
        if opened is not None and solved is not None
    ]
    return hunt, flags(hunts.answers_given(hunt.id), solves)


class AdjustOutcome(StrEnum):
    ADJUSTED = "adjusted"
    NO_HUNT = "no_hunt"
    NO_SUCH_TEAM = "no_such_team"


def adjust_score(session: Session, team_name: str, points: int, reason: str, by: str, now: datetime) -> AdjustOutcome:
    """A lead's change to a team's score: always with a reason, kept with the hunt and in the audit trail."""
    hunt = current_hunt(session)
    if hunt is None or hunt.status is HuntStatus.SCHEDULED:
        return AdjustOutcome.NO_HUNT
    hunts = Hunts(session)
    team = hunts.team_named(hunt.id, team_name)
    if team is None:
        return AdjustOutcome.NO_SUCH_TEAM
    hunts.adjust(hunt.id, team.id, points, reason, by, now)
    AuditTrail(session).record(
        by, "hunt.adjust", f"{hunt.title}: {team.name}", now, after={"points": points, "reason": reason}
    )
    return AdjustOutcome.ADJUSTED

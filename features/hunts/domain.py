"""Treasure hunts as plain rules: the plan of a hunt, what each team sees, answers, guesses, hints and scores.

Nothing here knows the bot or the database. A hunt's plan (legs of clues, each clue with
variants, accepted answers and hints, in every shipped language) comes from a template or
a lead's file (`features/hunts/plans.py` reads those); per team, the plan is dealt out
deterministically from the hunt's secret salt: which variant of each clue, the order of the
clues within a leg, and the team's code word, so that another team's answer is useless.
"""

from __future__ import annotations

import hashlib
import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

# Languages every shipped text comes in; a reader's language falls back to the first.
LANGUAGES = ("en", "it", "th")


def localized(texts: Mapping[str, str], locale: str | None) -> str:
    """The text in the reader's language (its first two letters), else English, else any."""
    language = (locale or "en")[:2].lower()
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


# Where a clue (and an action clue's filter) names the team's code word.
CODE_PLACEHOLDER = "{code}"


def with_code(text: str, code_word: str) -> str:
    return text.replace(CODE_PLACEHOLDER, code_word)


class ClueKind(StrEnum):
    KNOWLEDGE = "knowledge"  # a typed answer
    ACTION = "action"  # done in the business system, checked by a verifier
    EVIDENCE = "evidence"  # a screenshot, reviewed by a champion of another team
    FINAL = "final"  # the fragments from every leg, combined


# Clues answered with words (the others are checked in the business system, or reviewed).
ANSWERED = (ClueKind.KNOWLEDGE, ClueKind.FINAL)


@dataclass(frozen=True, slots=True)
class NearMiss:
    """Answers that are close, and what the author says to keep the team going."""

    answers: tuple[str, ...]
    reply: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Variant:
    """One version of a clue; each team is dealt one."""

    text: Mapping[str, str]
    answers: tuple[str, ...] = ()  # accepted, in any language
    near_misses: tuple[NearMiss, ...] = ()
    walkthrough: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Hint:
    text: Mapping[str, str]
    cost: float  # the share of the clue's value it costs, charged only if the clue is solved
    link: str = ""  # the training resource the clue exercises (the last hint's)


@dataclass(frozen=True, slots=True)
class ActionCheck:
    """What a verifier looks for in the business system: at least `at_least` records of
    `table` matching `filter` ("{code}" is the team's code word), created or changed by the
    solver (`who`: "createdby" or "modifiedby") while the clue was open."""

    table: str
    filter: str
    who: str = "createdby"
    at_least: int = 1


@dataclass(frozen=True, slots=True)
class Clue:
    key: str
    kind: ClueKind
    value: int
    variants: tuple[Variant, ...]
    hints: tuple[Hint, ...] = ()
    title: Mapping[str, str] = field(default_factory=dict)
    # Opens on its own this long after the clue before it opened, solved or not.
    opens_anyway_after: timedelta | None = None
    check: ActionCheck | None = None  # an action clue's

    def title_in(self, locale: str | None) -> str:
        """Its title in the reader's language, else its key."""
        return localized(self.title, locale) if self.title else self.key


@dataclass(frozen=True, slots=True)
class Leg:
    key: str
    title: Mapping[str, str]
    clues: tuple[Clue, ...]
    # Whether each team gets its own order of the clues after the first.
    shuffled: bool = True
    # What finishing the leg reveals for the final clue: one per variant of the final, so a
    # team's fragments spell its own final answer.
    fragments: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Scoring:
    first_solve_bonus: float = 0.5  # of the clue's value
    decay_per_solve: float = 0.1  # of the clue's value, for each team that solved it before
    floor: float = 0.4  # of the clue's value, whatever the decay
    # A team's score is its points times (1 + this share of its people who played), so
    # breadth counts and a small department can win.
    breadth_weight: float = 1.0
    daily_points_cap: int = 200  # a person's ledger points from one hunt, per day
    freeze_hours: int = 12  # the board stops changing for everyone this long before the end


@dataclass(frozen=True, slots=True)
class GuessRules:
    per_minute: int = 5  # wrong answers a team may give to one clue in any minute
    misses_before_lockout: int = 10  # in a row, then a lockout
    first_lockout: timedelta = timedelta(minutes=2)  # doubling with each lockout, to a cap
    longest_lockout: timedelta = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class HuntPlan:
    key: str
    title: Mapping[str, str]
    intro: Mapping[str, str]
    legs: tuple[Leg, ...]
    final: Clue | None = None
    scoring: Scoring = Scoring()
    guesses: GuessRules = GuessRules()
    hints_at_start: int = 1  # hint credits per team at the start, then one each morning

    def clue(self, key: str) -> Clue | None:
        for clue in self.clues():
            if clue.key == key:
                return clue
        return None

    def clue_title(self, key: str, locale: str | None) -> str:
        """A clue's title in the reader's language, else its key (also for a clue no longer in the plan)."""
        clue = self.clue(key)
        return clue.title_in(locale) if clue is not None else key

    def clues(self) -> list[Clue]:
        return [clue for leg in self.legs for clue in leg.clues] + ([self.final] if self.final else [])


class PlanError(ValueError):
    """A plan that cannot run; the message says where and why."""


def check_plan(plan: HuntPlan) -> HuntPlan:
    """The plan, if every clue can be solved and every text exists in every language."""
    keys = [clue.key for clue in plan.clues()]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise PlanError(f"clue keys used twice: {', '.join(duplicates)}")
    if not plan.legs or any(not leg.clues for leg in plan.legs):
        raise PlanError("a hunt needs at least one leg, and every leg at least one clue")
    for clue in plan.clues():
        if clue.value <= 0 or not clue.variants:
            raise PlanError(f"clue {clue.key}: needs a value above 0 and at least one variant")
        if len(clue.hints) > 3:
            raise PlanError(f"clue {clue.key}: at most three hints")
        if sum(hint.cost for hint in clue.hints) > 1:
            raise PlanError(f"clue {clue.key}: its hints cost more than the clue is worth")
        for number, variant in enumerate(clue.variants, start=1):
            missing = [language for language in LANGUAGES if not variant.text.get(language)]
            if missing:
                raise PlanError(f"clue {clue.key}, variant {number}: no text in {', '.join(missing)}")
            if clue.kind in ANSWERED and not any(map(answer_key, variant.answers)):
                raise PlanError(f"clue {clue.key}, variant {number}: no accepted answer")
        if (clue.kind is ClueKind.ACTION) != (clue.check is not None):
            raise PlanError(f"clue {clue.key}: an action clue, and only an action clue, says what to check")
    if plan.final is not None:
        for leg in plan.legs:
            if len(leg.fragments) != len(plan.final.variants):
                raise PlanError(f"leg {leg.key}: needs one fragment for each variant of the final clue")
    return plan


@dataclass(frozen=True, slots=True)
class ClueEdit:
    """A lead's change to one clue, in one language: its title and value, each variant's text
    and accepted answers, each hint's text (answers are accepted in any language)."""

    language: str
    title: str
    value: int
    variants: tuple[tuple[str, tuple[str, ...]], ...]  # (text, accepted answers), one per variant
    hints: tuple[str, ...]  # one per existing hint


def edit_clue(plan: HuntPlan, clue_key: str, edit: ClueEdit) -> HuntPlan:
    """The plan with one clue changed as the lead wrote it (checked like any plan, so a clue
    left without an answer, a value or a text is refused with the reason)."""
    clue = plan.clue(clue_key)
    if clue is None:
        raise PlanError(f"no clue {clue_key}")
    if len(edit.variants) != len(clue.variants) or len(edit.hints) != len(clue.hints):
        raise PlanError(f"clue {clue_key}: the card did not match the clue; open it again")
    language = edit.language

    def worded(texts: Mapping[str, str], text: str) -> dict[str, str]:
        return {**texts, language: " ".join(text.split())} if text.strip() else {**texts, language: ""}

    variants = tuple(
        replace(variant, text=worded(variant.text, text), answers=answers if clue.kind in ANSWERED else variant.answers)
        for variant, (text, answers) in zip(clue.variants, edit.variants, strict=True)
    )
    hints = tuple(
        replace(hint, text=worded(hint.text, text)) for hint, text in zip(clue.hints, edit.hints, strict=True)
    )
    title = worded(clue.title, edit.title) if edit.title.strip() or clue.title else clue.title
    edited = replace(clue, title=title, value=edit.value, variants=variants, hints=hints)

    def swapped(item: Clue) -> Clue:
        return edited if item.key == clue_key else item

    legs = tuple(replace(leg, clues=tuple(swapped(item) for item in leg.clues)) for leg in plan.legs)
    final = swapped(plan.final) if plan.final is not None else None
    return check_plan(replace(plan, legs=legs, final=final))


def needs_verifier(plan: HuntPlan) -> bool:
    return any(clue.kind is ClueKind.ACTION for clue in plan.clues())


# --- dealing the plan out to teams ------------------------------------------------------------


def _draw(salt: str, *parts: str) -> int:
    """A number that depends only on the hunt's secret salt and `parts`: the same deal every time."""
    digest = hashlib.sha256("\x1f".join((salt, *parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big")


CODE_WORDS = (
    "FALCO", "LUPO", "ORSO", "VOLPE", "AQUILA", "DELFINO", "GHEPARDO", "LINCE",
    "TIGRE", "PANDA", "CONDOR", "BISONTE", "CERVO", "GUFO", "AIRONE", "FOCA",
)  # fmt: skip


def code_word(salt: str, team: str) -> str:
    """The team's own word for action clues' records ("FALCO-7"), so another team's record does not count."""
    number = _draw(salt, "code", team)
    return f"{CODE_WORDS[number % len(CODE_WORDS)]}-{(number >> 8) % 90 + 10}"


def variant_index(salt: str, team: str, clue: Clue) -> int:
    return _draw(salt, "variant", team, clue.key) % len(clue.variants)


def leg_order(salt: str, team: str, leg: Leg) -> list[Clue]:
    """The team's order of the leg's clues: the first stays first (it introduces the leg)."""
    clues = list(leg.clues)
    if not leg.shuffled or len(clues) < 3:
        return clues
    rest = sorted(clues[1:], key=lambda clue: _draw(salt, "order", team, leg.key, clue.key))
    return [clues[0], *rest]


@dataclass(frozen=True, slots=True)
class Dealt:
    """One clue as a team gets it: its leg ("" for the final), its place there, its variant."""

    leg_key: str
    position: int
    clue: Clue
    variant: int


def deal(plan: HuntPlan, salt: str, team: str) -> list[Dealt]:
    """Every clue of the plan as this team gets it, leg by leg in the team's order, the final last."""
    dealt = [
        Dealt(leg.key, position, clue, variant_index(salt, team, clue))
        for leg in plan.legs
        for position, clue in enumerate(leg_order(salt, team, leg))
    ]
    if plan.final is not None:
        dealt.append(Dealt("", 0, plan.final, variant_index(salt, team, plan.final)))
    return dealt


def first_open(dealt: Dealt) -> bool:
    """Open from the hunt's start: the first clue of each leg."""
    return bool(dealt.leg_key) and dealt.position == 0


# --- answers ------------------------------------------------------------------------------------

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


def _latin(character: str) -> bool:
    return character.isascii() or "\u00c0" <= character <= "\u024f" or "\u1e00" <= character <= "\u1eff"


def answer_key(text: str) -> str:
    """An answer as it is compared: case, accents on Latin letters, punctuation and spacing
    ignored; Thai and other scripts keep their marks (Thai vowels and tones are marks);
    Thai and other digits read as 0-9."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ZERO_WIDTH))
    kept: list[str] = []
    for character in decomposed:
        mark = unicodedata.category(character).startswith("M")
        if mark and kept and _latin(kept[-1]):
            continue  # an accent on a Latin letter
        if character.isdigit():
            kept.append(str(unicodedata.digit(character, 0)))
        elif character.isalnum() or mark:
            kept.append(character)
    return unicodedata.normalize("NFC", "".join(kept)).casefold()


class Verdict(StrEnum):
    SOLVED = "solved"
    NEAR_MISS = "near_miss"
    WRONG = "wrong"
    OTHER_TEAMS = "other_teams"  # right for another variant: useless here, and flagged


@dataclass(frozen=True, slots=True)
class Judged:
    verdict: Verdict
    reply: Mapping[str, str] = field(default_factory=dict)  # the author's words for a near miss


def judge(answer: str, clue: Clue, variant: int) -> Judged:
    key = answer_key(answer)
    if not key:
        return Judged(Verdict.WRONG)
    mine = clue.variants[variant]
    if key in {answer_key(accepted) for accepted in mine.answers}:
        return Judged(Verdict.SOLVED)
    for near in mine.near_misses:
        if key in {answer_key(close) for close in near.answers}:
            return Judged(Verdict.NEAR_MISS, near.reply)
    others = {
        answer_key(accepted)
        for number, other in enumerate(clue.variants)
        if number != variant
        for accepted in other.answers
    }
    if key in others:
        return Judged(Verdict.OTHER_TEAMS)
    return Judged(Verdict.WRONG)


# --- guesses: a rate, then lockouts that grow ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Guesses:
    """A team's wrong answers to one clue, as far as the limits need to know."""

    recent: tuple[datetime, ...] = ()  # wrong answers in the last minute
    misses_in_a_row: int = 0
    lockouts: int = 0
    locked_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class Limited:
    until: datetime
    locked: bool  # a lockout (True) or the rate per minute (False)


def may_guess(guesses: Guesses, now: datetime, rules: GuessRules) -> Limited | None:
    """None when the team may answer now; otherwise until when it must wait, and why."""
    if guesses.locked_until is not None and now < guesses.locked_until:
        return Limited(guesses.locked_until, locked=True)
    recent = [at for at in guesses.recent if now - at < timedelta(minutes=1)]
    if len(recent) >= rules.per_minute:
        return Limited(min(recent) + timedelta(minutes=1), locked=False)
    return None


@dataclass(frozen=True, slots=True)
class Missed:
    guesses: Guesses
    warning: bool  # the next miss locks the team out
    locked_until: datetime | None  # this miss locked it out


def after_miss(guesses: Guesses, now: datetime, rules: GuessRules) -> Missed:
    recent = (*(at for at in guesses.recent if now - at < timedelta(minutes=1)), now)
    in_a_row = guesses.misses_in_a_row + 1
    if in_a_row >= rules.misses_before_lockout:
        lockout = min(rules.first_lockout * 2**guesses.lockouts, rules.longest_lockout)
        locked = Guesses(recent, 0, guesses.lockouts + 1, now + lockout)
        return Missed(locked, warning=False, locked_until=now + lockout)
    kept = replace(guesses, recent=recent, misses_in_a_row=in_a_row)
    return Missed(kept, warning=in_a_row == rules.misses_before_lockout - 1, locked_until=None)


# --- scores -------------------------------------------------------------------------------------


def clue_award(value: int, solved_before: int, hint_costs: Sequence[float], scoring: Scoring) -> int:
    """What solving a clue earns the team: less for each team that solved it first (to a
    floor), a bonus for the first, less the share of the hints the team opened."""
    share = max(scoring.floor, 1 - scoring.decay_per_solve * solved_before)
    if solved_before == 0:
        share += scoring.first_solve_bonus
    earned = value * share * max(0.0, 1 - sum(hint_costs))
    return max(0, math.floor(earned + 0.5))


@dataclass(frozen=True, slots=True)
class TeamTally:
    team: str
    points: int
    players: int
    headcount: int
    solved: int


@dataclass(frozen=True, slots=True)
class Standing:
    rank: int
    team: str
    score: int
    points: int
    breadth: float  # share of the team's people who played
    solved: int


def standings(tallies: Sequence[TeamTally], scoring: Scoring) -> list[Standing]:
    """Teams by score (points weighted by breadth), then clues solved, then name; ties share a rank."""
    scored = []
    for tally in tallies:
        breadth = min(1.0, tally.players / tally.headcount) if tally.headcount else 0.0
        score = math.floor(tally.points * (1 + scoring.breadth_weight * breadth) + 0.5)
        scored.append((score, tally.solved, tally.team, tally.points, breadth))
    scored.sort(key=lambda row: (-row[0], -row[1], row[2].casefold()))
    ranked: list[Standing] = []
    for position, (score, solved, team, points, breadth) in enumerate(scored, start=1):
        tied = ranked and ranked[-1].score == score and ranked[-1].solved == solved
        ranked.append(Standing(ranked[-1].rank if tied else position, team, score, points, breadth, solved))
    return ranked


@dataclass(frozen=True, slots=True)
class PlayerTally:
    member_id: int
    name: str  # "" when they asked not to be named in public posts
    team: str
    points: int  # what their solves earned their team


@dataclass(frozen=True, slots=True)
class Highlights:
    """The reveal's celebration beyond the winner: who climbed most while the board was
    frozen, whose solves earned most, and the best of those playing their first hunt."""

    mover: tuple[str, int] | None = None  # (team, places climbed)
    most_valuable: PlayerTally | None = None
    first_timer: PlayerTally | None = None


def biggest_mover(before: Sequence[Standing], after: Sequence[Standing]) -> tuple[str, int] | None:
    """The team that climbed most places from `before` (the frozen board) to `after` (the final
    one); on a tie, the one that finished higher. None when nobody climbed."""
    earlier = {row.team: row.rank for row in before}
    climbs = [(earlier[row.team] - row.rank, -row.rank, row.team) for row in after if row.team in earlier]
    if not climbs:
        return None
    places, _, team = max(climbs)
    return (team, places) if places > 0 else None


def highlights(
    before: Sequence[Standing], after: Sequence[Standing], players: Sequence[PlayerTally], first_timers: set[int]
) -> Highlights:
    """`players` by points, best first; the first-timer is someone else than the most valuable."""
    scored = [player for player in players if player.points > 0]
    best = scored[0] if scored else None
    newcomer = next((p for p in scored if p.member_id in first_timers and p is not best), None)
    return Highlights(biggest_mover(before, after), best, newcomer)


def frozen_at(ends_at: datetime, scoring: Scoring) -> datetime:
    """From when the board shows nobody new points, until the reveal at the close."""
    return ends_at - timedelta(hours=scoring.freeze_hours)


MORNING = time(7)


def hint_credits(starts_at: datetime, now: datetime, timezone_name: str, at_start: int, used: int, granted: int) -> int:
    """Hint credits a team has: those at the start, one each morning (07:00 where the team
    works) after the start, those granted to trailing teams, less those used."""
    zone = ZoneInfo(timezone_name)
    start, current = starts_at.astimezone(zone), now.astimezone(zone)
    first = start.date() if start.time() < MORNING else start.date() + timedelta(days=1)
    mornings = max(0, (current.date() - first).days + (1 if current.time() >= MORNING else 0))
    return max(0, at_start + mornings + granted - used)


# --- a hunt as it runs: what storage hands over and cards show --------------------------------


class TeamsBy(StrEnum):
    """What a team is: a department of the directory (the default), or an office."""

    DEPARTMENT = "department"
    OFFICE = "office"


@dataclass(frozen=True, slots=True)
class TeamPlan:
    """A team as it will play: its name, the units (departments or offices) in it, its people."""

    name: str
    units: tuple[str, ...]
    headcount: int
    timezone: str | None


def form_teams(units: Sequence[tuple[str, int, str | None]], groups: Sequence[Sequence[str]]) -> list[TeamPlan]:
    """Teams from the directory's units (name, people, usual time zone): the groups a lead
    made play together ("Sales + Marketing", in the zone of the larger), every other unit alone."""
    known = {name.casefold(): (name, headcount, zone) for name, headcount, zone in units}
    teams: list[TeamPlan] = []
    grouped: set[str] = set()
    for group in groups:
        members = [known[name.casefold()] for name in group if name.casefold() in known]
        if not members:
            continue
        grouped.update(name.casefold() for name, _, _ in members)
        largest = max(members, key=lambda unit: unit[1])
        name = " + ".join(unit[0] for unit in members)
        teams.append(TeamPlan(name, tuple(unit[0] for unit in members), sum(unit[1] for unit in members), largest[2]))
    teams += [
        TeamPlan(name, (name,), headcount, zone) for name, headcount, zone in units if name.casefold() not in grouped
    ]
    return sorted(teams, key=lambda team: team.name.casefold())


def group_problem(units: Sequence[str], groups: Sequence[Sequence[str]]) -> str | None:
    """Why a lead's grouping cannot be used (a unit the directory does not have, or one in two
    groups), else None."""
    known = {name.casefold() for name in units}
    seen: set[str] = set()
    for group in groups:
        for name in group:
            if name.casefold() not in known:
                return name
            if name.casefold() in seen:
                return name
            seen.add(name.casefold())
    return None


class HuntStatus(StrEnum):
    DRAFT = "draft"  # created, being edited
    SCHEDULED = "scheduled"  # opens at its start
    RUNNING = "running"
    PAUSED = "paused"  # by a lead: no answers until resumed, and the end moves by the pause
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class Hunt:
    id: int
    title: str
    plan: HuntPlan
    salt: str
    status: HuntStatus
    starts_at: datetime | None
    ends_at: datetime | None
    paused_at: datetime | None = None
    teams_by: TeamsBy = TeamsBy.DEPARTMENT
    team_groups: tuple[tuple[str, ...], ...] = ()
    rehearsal: bool = False  # a dry run with champions only
    version: str = ""  # the plan's revision: an edit made on an older one is refused


@dataclass(frozen=True, slots=True)
class Team:
    id: int
    name: str
    departments: tuple[str, ...]
    headcount: int
    timezone: str
    code_word: str
    hints_granted: int


@dataclass(frozen=True, slots=True)
class ClueState:
    team_id: int
    clue_key: str
    leg_key: str
    position: int
    variant: int
    opened_at: datetime | None
    solved_at: datetime | None
    award: int
    hints_used: int
    guesses: Guesses


@dataclass(frozen=True, slots=True)
class OpenClue:
    number: int  # as the player's card lists it: "answer 2 ..."
    clue: Clue
    state: ClueState
    hints_seen: int
    # An evidence clue's: a picture is with its reviewer, or why the last one was turned down.
    reviewing: bool = False
    turned_down: str | None = None


@dataclass(frozen=True, slots=True)
class Play:
    hunt: Hunt
    team: Team
    open: tuple[OpenClue, ...]
    solved: int
    total: int
    fragments: tuple[str, ...]  # revealed by the legs the team finished
    hint_credits: int
    captains: tuple[str, ...] = ()  # the team's champions, who rally it


@dataclass(frozen=True, slots=True)
class Board:
    hunt: Hunt
    standings: tuple[Standing, ...]
    frozen_since: datetime | None  # the board stopped changing for the last hours


@dataclass(frozen=True, slots=True)
class Lessons:
    """What leads learn at the close: each team's slowest clue (None: never solved) and the
    records the hunt's action clues had people fix, by clue."""

    slowest: tuple[tuple[str, str, timedelta | None], ...]
    fixed: tuple[tuple[str, int], ...]


# --- evidence: a picture a champion of another team reviews ---------------------------------------

MAX_PICTURE_BYTES = 4 * 1024 * 1024  # a phone photo or a screenshot; Teams' own cap is far higher
MAX_REASON = 300
# What a picture's first bytes say it is (its sender's word for it is not trusted): only
# formats a card shows and a browser cannot run.
_PICTURE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def picture_type(body: bytes) -> str | None:
    """The picture's type by its content (PNG, JPEG, GIF or WebP), else None."""
    for signature, content_type in _PICTURE_SIGNATURES:
        if body.startswith(signature):
            return content_type
    if body[:4] == b"RIFF" and body[8:12] == b"WEBP":
        return "image/webp"
    return None


class EvidenceStatus(StrEnum):
    WAITING = "waiting"  # for its reviewer
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Evidence:
    """A picture sent for an evidence clue, as its reviewer sees it."""

    id: int
    hunt_id: int
    team: str
    clue: Clue
    variant: int
    code_word: str
    status: EvidenceStatus
    sent_at: datetime
    reviewer_member_id: int | None
    reason: str = ""
    decided_by: str = ""


# --- flags for leads: what looks like unfair play ----------------------------------------------

FAST_SOLVE = timedelta(seconds=30)  # solved this soon after the clue opened
BURST_WINDOW = timedelta(minutes=2)
BURST_PEOPLE = 3  # the same answer from this many people of a team within the window


class FlagKind(StrEnum):
    OTHER_TEAMS_ANSWER = "other_teams_answer"
    FAST_SOLVE = "fast_solve"
    BURST = "burst"


@dataclass(frozen=True, slots=True)
class Flag:
    kind: FlagKind
    team: str
    clue_key: str
    at: datetime
    detail: str = ""  # the answer, for a burst


@dataclass(frozen=True, slots=True)
class GivenAnswer:
    team: str
    clue_key: str
    member_id: int | None
    answer: str
    verdict: str
    at: datetime


def flags(answers: Sequence[GivenAnswer], solves: Sequence[tuple[str, str, datetime, datetime]]) -> list[Flag]:
    """Another team's answer given, solves within seconds of the clue opening, and bursts of one
    answer from several people of a team at once; newest first."""
    found = [
        Flag(FlagKind.OTHER_TEAMS_ANSWER, given.team, given.clue_key, given.at, given.answer)
        for given in answers
        if given.verdict == Verdict.OTHER_TEAMS.value
    ]
    found += [
        Flag(FlagKind.FAST_SOLVE, team, key, solved)
        for team, key, opened, solved in solves
        if solved - opened < FAST_SOLVE
    ]
    groups: dict[tuple[str, str, str], list[GivenAnswer]] = {}
    for given in answers:
        if given.answer:
            groups.setdefault((given.team, given.clue_key, answer_key(given.answer)), []).append(given)
    for (team, key, _), same in groups.items():
        same.sort(key=lambda given: given.at)
        for start, first in enumerate(same):
            window = [given for given in same[start:] if given.at - first.at <= BURST_WINDOW]
            if len({given.member_id for given in window}) >= BURST_PEOPLE:
                found.append(Flag(FlagKind.BURST, team, key, window[-1].at, first.answer))
                break
    return sorted(found, key=lambda flag: flag.at, reverse=True)

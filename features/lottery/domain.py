"""An auditable lottery as plain rules: tickets earned from the ledger, a registry committed
before the draw, a seed from public randomness, and winners anyone can recompute.

Nothing here knows the bot or the database. `tools/verify_draw.py` is the same algorithm
written again with the standard library only, so that anyone can rerun a draw from its
published data; the tests hold both to the same golden vectors.

The algorithm (version `ALGORITHM`):
1. Each eligible person has a pseudonym: HMAC-SHA256(draw salt, their key), 16 hex digits.
2. The registry is one line per ticket, `ticket_id,pseudonym`, people in pseudonym order,
   ticket ids numbered from 1 (six digits). Its hash is SHA-256 of the lines, each ending
   in a newline; its Merkle root lets one person check their tickets without the others'.
3. The seed is SHA-256 of `ALGORITHM|draw id|registry hash|beacon randomness|secret`.
4. A generator in counter mode gives 64-bit numbers, SHA-256(seed || counter) eight bytes
   at a time, and picks an index below n by rejection (no modulo bias).
5. Prizes in their published order (each as many times as its quantity), then the
   alternates: each pick is a ticket among those left; all of its holder's tickets leave.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

ALGORITHM = "champion-circle-draw/1"
PSEUDONYM_DIGITS = 16


# --- a draw as leads set it up ------------------------------------------------------------------


class DrawStatus(StrEnum):
    DRAFT = "draft"  # being set up; nothing published
    OPEN = "open"  # the rules and the ticket schedule are published; entries until it closes
    COMMITTED = "committed"  # the registry and the beacon round are published; the draw is due
    DRAWN = "drawn"


class AudienceKind(StrEnum):
    EVERYONE = "everyone"  # every active employee in the directory
    CHAMPIONS = "champions"
    DEPARTMENTS = "departments"
    OFFICES = "offices"


@dataclass(frozen=True, slots=True)
class Audience:
    kind: AudienceKind = AudienceKind.EVERYONE
    units: tuple[str, ...] = ()  # the departments or offices


# --- tickets: earned by taking part, never bought ---------------------------------------------


class EarnedBy(StrEnum):
    """What in the points ledger earns tickets."""

    HUNT_CLUE = "hunt_clue"  # a treasure-hunt clue solved (checked by the bot or the business system)
    STORY = "story"  # a success story published
    CHECKIN_STREAK = "checkin_streak"  # four weeks in a row with a check-in answered
    KUDOS = "kudos"  # thanks received


@dataclass(frozen=True, slots=True)
class TicketRules:
    """The published schedule: what earns how many tickets, the free base ticket, the cap."""

    per: Mapping[EarnedBy, int] = field(
        default_factory=lambda: {
            EarnedBy.HUNT_CLUE: 2,
            EarnedBy.STORY: 2,
            EarnedBy.CHECKIN_STREAK: 1,
            EarnedBy.KUDOS: 1,
        }
    )
    kudos_at_most: int = 3  # tickets from kudos received, at most
    base: int = 1  # every eligible person's, so that entry is free
    cap: int = 10  # a person's tickets in one draw, at most


@dataclass(frozen=True, slots=True)
class Activity:
    """One ledger event of one person, as the lottery reads it."""

    earned_by: EarnedBy
    at: datetime


@dataclass(frozen=True, slots=True)
class Reason:
    earned_by: EarnedBy | None  # None: the base ticket
    count: int  # events of that kind (or streaks)
    tickets: int


@dataclass(frozen=True, slots=True)
class Tickets:
    total: int
    reasons: tuple[Reason, ...]
    capped: bool  # the person earned more than the cap


def rules_to_data(rules: TicketRules) -> dict[str, object]:
    """The schedule as stored and published."""
    return {
        "per": {kind.value: count for kind, count in rules.per.items()},
        "kudos_at_most": rules.kudos_at_most,
        "base": rules.base,
        "cap": rules.cap,
    }


def rules_from_data(data: Mapping[str, object]) -> TicketRules:
    per = data.get("per", {})
    return TicketRules(
        per={EarnedBy(kind): int(str(count)) for kind, count in per.items()} if isinstance(per, Mapping) else {},
        kudos_at_most=int(str(data.get("kudos_at_most", 3))),
        base=int(str(data.get("base", 1))),
        cap=int(str(data.get("cap", 10))),
    )


STREAK_WEEKS = 4


def streaks(days: Sequence[date]) -> int:
    """Complete runs of `STREAK_WEEKS` consecutive ISO weeks with something in each."""
    weeks = sorted({(day - timedelta(days=day.weekday())) for day in days})
    found, run, previous = 0, 0, None
    for week in weeks:
        run = run + 1 if previous is not None and week - previous == timedelta(weeks=1) else 1
        if run == STREAK_WEEKS:
            found, run = found + 1, 0
        previous = week
    return found


def tickets_for(activities: Sequence[Activity], rules: TicketRules) -> Tickets:
    """A person's tickets: the base one, then the schedule's, kudos limited, all capped."""
    by_kind: dict[EarnedBy, list[Activity]] = {}
    for activity in activities:
        by_kind.setdefault(activity.earned_by, []).append(activity)
    reasons = [Reason(None, 1, rules.base)] if rules.base else []
    for kind in EarnedBy:
        happened = by_kind.get(kind, [])
        count = streaks([a.at.date() for a in happened]) if kind is EarnedBy.CHECKIN_STREAK else len(happened)
        earned = count * rules.per.get(kind, 0)
        if kind is EarnedBy.KUDOS:
            earned = min(earned, rules.kudos_at_most)
        if earned:
            reasons.append(Reason(kind, count, earned))
    total = sum(reason.tickets for reason in reasons)
    return Tickets(min(total, rules.cap), tuple(reasons), total > rules.cap)


# --- the registry, committed before the draw ---------------------------------------------------


def pseudonym(salt: str, person: str) -> str:
    """A person's name in the published list: the same within a draw, unlinkable across draws."""
    digest = hmac.new(salt.encode(), person.strip().casefold().encode(), hashlib.sha256).hexdigest()
    return digest[:PSEUDONYM_DIGITS]


@dataclass(frozen=True, slots=True)
class Entry:
    ticket_id: str
    pseudonym: str

    @property
    def line(self) -> str:
        return f"{self.ticket_id},{self.pseudonym}"


def registry(tickets_by_pseudonym: Mapping[str, int]) -> list[Entry]:
    """Every ticket, people in pseudonym order, numbered from 000001."""
    entries: list[Entry] = []
    for name in sorted(tickets_by_pseudonym):
        for _ in range(tickets_by_pseudonym[name]):
            entries.append(Entry(f"{len(entries) + 1:06d}", name))
    return entries


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def registry_hash(entries: Sequence[Entry]) -> str:
    return _sha256("".join(f"{entry.line}\n" for entry in entries).encode())


def exclusion_hash(pseudonyms: Sequence[str]) -> str:
    """The hash of the excluded people's pseudonyms, sorted (published without the list)."""
    return _sha256("".join(f"{name}\n" for name in sorted(set(pseudonyms))).encode())


def commitment(secret: str) -> str:
    """What is published before the draw instead of the secret revealed at it."""
    return _sha256(secret.encode())


def _leaf(line: str) -> bytes:
    return hashlib.sha256(b"\x00" + line.encode()).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def merkle_root(entries: Sequence[Entry]) -> str:
    """The root of the registry's Merkle tree (leaves and nodes domain-separated; a lone node
    is carried up unchanged)."""
    level = [_leaf(entry.line) for entry in entries] or [hashlib.sha256(b"").digest()]
    while len(level) > 1:
        level = [_node(*level[i : i + 2]) if i + 1 < len(level) else level[i] for i in range(0, len(level), 2)]
    return level[0].hex()


def merkle_proof(entries: Sequence[Entry], index: int) -> list[tuple[str, str]]:
    """The path from one ticket to the root: (side of the sibling, "L" or "R", its hash)."""
    level = [_leaf(entry.line) for entry in entries]
    proof: list[tuple[str, str]] = []
    while len(level) > 1:
        sibling = index ^ 1
        if sibling < len(level):
            proof.append(("L" if sibling < index else "R", level[sibling].hex()))
        level = [_node(*level[i : i + 2]) if i + 1 < len(level) else level[i] for i in range(0, len(level), 2)]
        index //= 2
    return proof


def in_registry(line: str, proof: Sequence[tuple[str, str]], root: str) -> bool:
    """Whether a ticket's line is in the registry with this root."""
    node = _leaf(line)
    for side, sibling in proof:
        node = _node(bytes.fromhex(sibling), node) if side == "L" else _node(node, bytes.fromhex(sibling))
    return node.hex() == root


# --- the draw -----------------------------------------------------------------------------------


def seed(draw_id: str, registry_digest: str, beacon_randomness: str, secret: str) -> bytes:
    """The draw's seed; the beacon's randomness or the secret may be "" (never both)."""
    parts = (ALGORITHM, draw_id, registry_digest, beacon_randomness, secret)
    return hashlib.sha256("|".join(parts).encode()).digest()


def numbers(seed_bytes: bytes) -> Iterator[int]:
    """64-bit numbers: SHA-256(seed || counter), counter from 0 as 8 bytes big-endian."""
    counter = 0
    while True:
        block = hashlib.sha256(seed_bytes + counter.to_bytes(8, "big")).digest()
        counter += 1
        for offset in range(0, 32, 8):
            yield int.from_bytes(block[offset : offset + 8], "big")


def below(source: Iterator[int], n: int) -> int:
    """A uniform index in [0, n): numbers at or above the largest multiple of n are thrown away."""
    if n <= 0:
        raise ValueError("nothing to pick from")
    limit = (1 << 64) - (1 << 64) % n
    for number in source:
        if number < limit:
            return number % n
    raise AssertionError("unreachable")


@dataclass(frozen=True, slots=True)
class Prize:
    name: str
    quantity: int = 1
    # Drawn among departments, weighted by tickets per head (a team lunch), not among people.
    for_departments: bool = False


@dataclass(frozen=True, slots=True)
class Pick:
    """One place in the results: a prize's (its index) or an alternate's (None), in order."""

    slot: int  # 1, 2, ... over prizes (each quantity) then alternates
    prize: int | None
    ticket_id: str  # "" for a department's prize
    pseudonym: str  # the department's name for a department's prize


WEIGHT_SCALE = 1_000_000  # tickets per head, as a whole number of millionths


def department_weights(tickets: Mapping[str, int], headcount: Mapping[str, int]) -> list[tuple[str, int]]:
    """Each department's weight for a department prize: its tickets per head, in millionths
    (whole numbers, so that anyone recomputes the same draw), departments in name order."""
    return [
        (name, tickets[name] * WEIGHT_SCALE // headcount[name])
        for name in sorted(tickets)
        if headcount.get(name) and tickets[name] > 0
    ]


def _weighted(source: Iterator[int], weights: Sequence[tuple[str, int]]) -> int:
    """An index picked with probability proportional to its weight (no modulo bias)."""
    point = below(source, sum(weight for _, weight in weights))
    for index, (_, weight) in enumerate(weights):
        if point < weight:
            return index
        point -= weight
    raise AssertionError("unreachable")


def draw(
    entries: Sequence[Entry],
    prizes: Sequence[Prize],
    alternates: int,
    seed_bytes: bytes,
    departments: Sequence[tuple[str, int]] = (),
) -> list[Pick]:
    """Winners in prize order, then the alternates; nobody (and no department) is picked twice.
    A department prize is drawn among `departments` by their weights."""
    places: list[int | None] = [index for index, prize in enumerate(prizes) for _ in range(prize.quantity)]
    places += [None] * alternates
    remaining, teams = list(entries), list(departments)
    source = numbers(seed_bytes)
    picks: list[Pick] = []
    for slot, prize in enumerate(places, start=1):
        if prize is not None and prizes[prize].for_departments:
            if teams:
                team = teams.pop(_weighted(source, teams))
                picks.append(Pick(slot, prize, "", team[0]))
            continue
        if remaining:
            chosen = remaining[below(source, len(remaining))]
            picks.append(Pick(slot, prize, chosen.ticket_id, chosen.pseudonym))
            remaining = [entry for entry in remaining if entry.pseudonym != chosen.pseudonym]
    return picks


# --- drand: the public randomness beacon ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BeaconChain:
    """A drand chain: its hash, first round's time and period (quicknet: a round every 3 s)."""

    chain_hash: str
    genesis_time: int
    period: int
    public_key: str = ""  # BLS, on G2, hex

    def round_at(self, moment: datetime) -> int:
        """The round published at `moment` (rounds start at 1 at genesis)."""
        elapsed = int(moment.timestamp()) - self.genesis_time
        return max(1, elapsed // self.period + 1)

    def time_of(self, round_number: int) -> int:
        """When a round is published (Unix seconds)."""
        return self.genesis_time + (round_number - 1) * self.period


QUICKNET = BeaconChain("52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971", 1692803367, 3)


def beacon_randomness_ok(randomness: str, signature: str) -> bool:
    """drand's randomness is SHA-256 of the round's signature."""
    try:
        return hashlib.sha256(bytes.fromhex(signature)).hexdigest() == randomness.lower()
    except ValueError:
        return False


# --- what is published: everything a verifier needs to rerun the draw -----------------------------


@dataclass(frozen=True, slots=True)
class BeaconRound:
    chain_hash: str
    round: int
    randomness: str = ""  # "" when the beacon could not be reached at the draw
    signature: str = ""
    public_key: str = ""  # the chain's, as committed


def published_data(
    draw_id: str,
    name: str,
    entries: Sequence[Entry],
    prizes: Sequence[Prize],
    alternates: int,
    excluded_hash: str,
    beacon: BeaconRound | None,
    secret_commitment: str,
    secret: str,
    picks: Sequence[Pick],
    departments: Sequence[tuple[str, int]] = (),
) -> dict[str, object]:
    """The draw as `tools/verify_draw.py` reads it (pseudonyms only, never a name)."""
    digest = registry_hash(entries)
    beacon_data: dict[str, object] | None = None
    if beacon is not None:
        beacon_data = {"chain_hash": beacon.chain_hash, "round": beacon.round}
        if beacon.public_key:
            beacon_data |= {"public_key": beacon.public_key, "scheme": "bls-unchained-g1-rfc9380"}
        if beacon.randomness:
            beacon_data |= {"randomness": beacon.randomness, "signature": beacon.signature}
        else:
            beacon_data["unreachable"] = True  # the committed secret alone made the seed
    return {
        "algorithm": ALGORITHM,
        "draw": draw_id,
        "name": name,
        "prizes": [
            {"name": prize.name, "quantity": prize.quantity, **({"departments": True} if prize.for_departments else {})}
            for prize in prizes
        ],
        "departments": [{"name": name, "weight": weight} for name, weight in departments],
        "alternates": alternates,
        "registry": [entry.line for entry in entries],
        "registry_hash": digest,
        "merkle_root": merkle_root(entries),
        "exclusion_hash": excluded_hash,
        "beacon": beacon_data,
        "secret_commitment": secret_commitment,
        "secret": secret,
        "seed": seed(draw_id, digest, beacon.randomness if beacon else "", secret).hex(),
        "picks": [
            {"slot": pick.slot, "prize": pick.prize, "ticket_id": pick.ticket_id, "pseudonym": pick.pseudonym}
            for pick in picks
        ],
    }

"""Draws, each change in one transaction with the messages it causes.

A lead creates a draw (a draft), opens it (the rules and the ticket schedule go to the
channel), and entries close on time: the registry is frozen and committed, with a future
drand round named and a secret's hash published, and everyone in it gets a receipt. When the
round is out, the draw runs; winners and alternates are recorded as events, never changed:
an unavailable winner is replaced by the next alternate, and a delivery is a new event.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel import Session

from domain.i18n import Texts
from domain.outbox import MessagePayload, OutboundMessage, ToConversation, ToUser
from features.lottery.beacon import Fetched
from features.lottery.domain import (
    Activity,
    BeaconChain,
    DrawStatus,
    EarnedBy,
    Entry,
    Pick,
    Prize,
    Tickets,
    commitment,
    department_weights,
    draw,
    exclusion_hash,
    merkle_proof,
    merkle_root,
    pseudonym,
    published_data,
    registry,
    registry_hash,
    seed,
    tickets_for,
)
from features.lottery.storage import Draw, Draws, Event, Person, population
from features.lottery.tables import LotteryDrawRecord
from features.lottery.views import commitment_card, opened_card, results_card
from features.recognition import PointsReason, hidden_from_public, ledger_activity
from storage.audit import AuditTrail
from storage.links import file_link
from storage.messaging import Messaging
from storage.models import MemberRecord
from storage.program import Leads, ProgramConfig, Sponsors
from storage.repositories import Members
from views.cards import Card

# The beacon round a draw names is published this long after its entries close: far enough
# ahead that nobody, the bot included, can know its randomness when the registry is frozen.
COMMIT_LEAD = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class DrawSpec:
    name: str
    prizes: tuple[Prize, ...]
    opens_at: datetime
    closes_at: datetime
    audience: dict[str, object]
    rules: dict[str, object]
    exclude_recent: int
    alternates: int


def create_draw(session: Session, spec: DrawSpec, by: str, by_member_id: int | None, now: datetime) -> int:
    """A draft draw; nothing is published until a lead opens it."""
    record = LotteryDrawRecord(
        name=spec.name[:200],
        status=DrawStatus.DRAFT.value,
        prizes=[
            {"name": prize.name, "quantity": prize.quantity, **({"departments": True} if prize.for_departments else {})}
            for prize in spec.prizes
        ],
        alternates=spec.alternates,
        opens_at=spec.opens_at,
        closes_at=spec.closes_at,
        audience=dict(spec.audience),
        rules=dict(spec.rules),
        exclude_recent=spec.exclude_recent,
        salt=secrets.token_hex(32),
        secret=secrets.token_hex(32),
        secret_commitment="",
        created_by=by,
        created_by_member_id=by_member_id,
        created_at=now,
    )
    draw_id = Draws(session).create(record)
    AuditTrail(session).record(by, "lottery.create", spec.name, now, after={"prizes": record.prizes})
    return draw_id


class StepOutcome(StrEnum):
    DONE = "done"
    NOT_FOUND = "not_found"
    WRONG_STATE = "wrong_state"  # already opened, closed or drawn: pressed twice, or too late
    NOT_YET = "not_yet"  # the beacon round is not out yet


def open_draw(session: Session, messaging: Messaging, draw_id: int, by: str, now: datetime) -> StepOutcome:
    """Publish the rules: prizes, the window, who may enter, the ticket schedule and the cap."""
    draws = Draws(session)
    found = draws.get(draw_id)
    if found is None:
        return StepOutcome.NOT_FOUND
    if not draws.move(draw_id, DrawStatus.DRAFT, DrawStatus.OPEN):
        return StepOutcome.WRONG_STATE
    AuditTrail(session).record(by, "lottery.open", found.name, now)
    _to_channel(session, messaging, f"lottery:{draw_id}:opened", now, lambda t: opened_card(t, found))
    return StepOutcome.DONE


# --- who enters, with how many tickets ---------------------------------------------------------

_EARNED_BY = {
    PointsReason.STORY: EarnedBy.STORY,
    PointsReason.KUDOS: EarnedBy.KUDOS,
    PointsReason.CHECKIN: EarnedBy.CHECKIN_STREAK,
}


def _earned_by(reason: PointsReason, source_key: str) -> EarnedBy | None:
    if reason is PointsReason.CONTEST:
        return EarnedBy.HUNT_CLUE if source_key.startswith("hunt:") else None
    return _EARNED_BY.get(reason)


@dataclass(frozen=True, slots=True)
class Entries:
    """Everyone in a draw as it stands: tickets by person, and who is left out."""

    people: dict[str, tuple[Person, Tickets]]  # by pseudonym
    excluded: list[str]  # pseudonyms


def entries_of(
    session: Session, messaging: Messaging, found: Draw, until: datetime, member: MemberRecord | None = None
) -> Entries:
    """Tickets from the ledger between the draw's opening and `until` (everyone's, or one
    member's); leads, whoever runs the draw and recent winners are left out."""
    if member is not None and not member.email:
        return Entries({}, [])  # the directory knows people by email: without one, nobody to find
    activity: dict[int, list[Activity]] = {}
    only = member.id if member is not None else None
    for item in ledger_activity(session, found.opens_at, until, only):
        kind = _earned_by(item.reason, item.source_key)
        if kind is not None:
            activity.setdefault(item.member_id, []).append(Activity(kind, item.at))
    left_out = _left_out(session, messaging, found)
    people: dict[str, tuple[Person, Tickets]] = {}
    excluded: list[str] = []
    for person in population(session, found.audience, member.email if member is not None else None):
        name = pseudonym(found.salt, person.email)
        keys = {person.email, (person.aad_object_id or "").casefold(), (person.teams_user_id or "").casefold()}
        if keys & left_out:
            excluded.append(name)
            continue
        earned = activity.get(person.member_id, []) if person.member_id is not None else []
        people[name] = (person, tickets_for(earned, found.rules))
    return Entries(people, excluded)


def _left_out(session: Session, messaging: Messaging, found: Draw) -> set[str]:
    """Lead and sponsor keys (emails, object ids, Teams ids), whoever created the draw, recent winners."""
    roles = messaging.roles
    listed = [*roles.bootstrap_leads, *roles.bootstrap_sponsors, *Leads(session).all(), *Sponsors(session).all()]
    keys = {key.casefold() for key in listed}
    creator = session.get(MemberRecord, found.created_by_member_id) if found.created_by_member_id else None
    if creator is not None:
        keys |= {(creator.email or "").casefold(), creator.teams_user_id.casefold()}
    keys |= Draws(session).recent_winner_emails(found.id, found.exclude_recent)
    return keys - {""}


def _by_department(entries: Entries) -> tuple[Counter[str], Counter[str]]:
    """(people, tickets) per department of everyone in the draw ("" for no department)."""
    people: Counter[str] = Counter()
    tickets: Counter[str] = Counter()
    for person, held in entries.people.values():
        people[person.department] += 1
        tickets[person.department] += held.total
    return people, tickets


@dataclass(frozen=True, slots=True)
class Preview:
    draw: Draw
    people: int
    tickets: int
    by_department: list[tuple[str, int, int]]  # (department, people, tickets), most tickets first
    excluded: int


def preview_draw(session: Session, messaging: Messaging, draw_id: int, now: datetime) -> Preview | None:
    """For leads: tickets per person and per department, as they would be if entries closed now."""
    found = Draws(session).get(draw_id)
    if found is None:
        return None
    entries = entries_of(session, messaging, found, min(now, found.closes_at))
    people, tickets = _by_department(entries)
    rows = sorted(((name or "—", people[name], tickets[name]) for name in people), key=lambda row: (-row[2], row[0]))
    total = sum(held.total for _, held in entries.people.values())
    return Preview(found, len(entries.people), total, rows, len(entries.excluded))


# --- the commit: entries close, the registry is frozen ------------------------------------------


def commit_draw(
    session: Session, messaging: Messaging, draw_id: int, chain: BeaconChain | None, by: str, now: datetime
) -> StepOutcome:
    """Freeze the registry when entries close (or a lead closes them early): store everyone's
    tickets under a pseudonym, publish the commitments, and send each person a receipt."""
    draws = Draws(session)
    found = draws.get(draw_id)
    if found is None:
        return StepOutcome.NOT_FOUND
    until = min(now, found.closes_at)
    entries = entries_of(session, messaging, found, until)
    counts = {name: held.total for name, (_, held) in entries.people.items() if held.total > 0}
    listed = registry(counts)
    first_ticket: dict[str, str] = {}
    for entry in listed:
        first_ticket.setdefault(entry.pseudonym, entry.ticket_id)
    named_round = chain.round_at(now + COMMIT_LEAD) if chain is not None else None
    heads, per_department = _by_department(entries)
    weights = department_weights({name: count for name, count in per_department.items() if name}, heads)
    moved = draws.move(
        draw_id,
        DrawStatus.OPEN,
        DrawStatus.COMMITTED,
        closes_at=until,
        committed_at=now,
        registry_hash=registry_hash(listed),
        merkle_root=merkle_root(listed),
        exclusion_hash=exclusion_hash(entries.excluded),
        department_weights=[[name, weight] for name, weight in weights],
        secret_commitment=commitment(found.secret),
        beacon_chain=chain.chain_hash if chain is not None else "",
        beacon_public_key=chain.public_key if chain is not None else "",
        beacon_round=named_round,
    )
    if not moved:
        return StepOutcome.WRONG_STATE
    draws.add_entrants(
        draw_id,
        [
            {
                "pseudonym": name,
                "email": person.email,
                "member_id": person.member_id,
                "department": person.department,
                "tickets": counts[name],
                "first_ticket": first_ticket[name],
                "reasons": _reasons(held),
            }
            for name, (person, held) in entries.people.items()
            if name in counts
        ],
    )
    committed = draws.get(draw_id)
    assert committed is not None
    AuditTrail(session).record(by, "lottery.commit", found.name, now, after={"registry_hash": committed.registry_hash})
    _to_channel(
        session,
        messaging,
        f"lottery:{draw_id}:committed",
        now,
        lambda t: commitment_card(t, committed, len(listed), chain),
    )
    for name, (person, _held) in entries.people.items():
        if person.teams_user_id is None or person.member_id is None or name not in counts:
            continue
        member = session.get(MemberRecord, person.member_id)
        texts = messaging.texts_for(member)
        last = int(first_ticket[name]) + counts[name] - 1
        text = texts(
            "lottery.receipt",
            name=found.name,
            count=counts[name],
            first=first_ticket[name],
            last=f"{last:06d}",
            pseudonym=name,
            digest=committed.registry_hash[:16],
        )
        message = OutboundMessage(
            f"lottery:{draw_id}:receipt:{person.member_id}", ToUser(person.teams_user_id), MessagePayload(text)
        )
        messaging.send(session, message, now)
    return StepOutcome.DONE


def _reasons(held: Tickets) -> list[dict[str, int | str]]:
    return [
        {
            "earned_by": reason.earned_by.value if reason.earned_by else "base",
            "count": reason.count,
            "tickets": reason.tickets,
        }
        for reason in held.reasons
    ] + ([{"earned_by": "cap", "count": 0, "tickets": held.total}] if held.capped else [])


def registry_of(draws: Draws, draw_id: int) -> list[Entry]:
    """The committed registry, rebuilt from the entrants (it is theirs, in pseudonym order)."""
    return registry({entrant.pseudonym: entrant.tickets for entrant in draws.entrants(draw_id)})


# --- the draw ----------------------------------------------------------------------------------


def beacon_due(found: Draw, chain: BeaconChain, now: datetime) -> bool:
    """Whether the named round is out (a few seconds' margin for the beacon's mirrors)."""
    if found.beacon is None:
        return True
    return now.timestamp() >= chain.time_of(found.beacon.round) + 5


def run_draw(
    session: Session, messaging: Messaging, draw_id: int, fetched: Fetched | None, by: str, now: datetime
) -> StepOutcome:
    """Draw the winners and alternates from the committed registry, the named beacon round's
    randomness (if the beacon gave it) and the revealed secret; publish them, once."""
    draws = Draws(session)
    found = draws.get(draw_id)
    if found is None:
        return StepOutcome.NOT_FOUND
    if found.status is not DrawStatus.COMMITTED:
        return StepOutcome.WRONG_STATE
    listed = registry_of(draws, draw_id)
    if registry_hash(listed) != found.registry_hash:
        raise AssertionError(f"draw {draw_id}: the stored entrants no longer match the committed registry")
    beacon = fetched.round if fetched is not None else None
    randomness = beacon.randomness if beacon is not None else ""
    draw_seed = seed(str(draw_id), found.registry_hash, randomness, found.secret)
    picks = draw(listed, found.prizes, found.alternates, draw_seed, found.department_weights)
    moved = draws.move(
        draw_id,
        DrawStatus.COMMITTED,
        DrawStatus.DRAWN,
        drawn_at=now,
        seed=draw_seed.hex(),
        beacon_randomness=randomness,
        beacon_signature=beacon.signature if beacon is not None else "",
        beacon_problem="" if beacon is not None else (fetched.problem if fetched else "no beacon configured"),
    )
    if not moved:
        return StepOutcome.WRONG_STATE
    for pick in picks:
        draws.add_event(draw_id, Event("picked", pick.slot, pick.prize, pick.ticket_id, pick.pseudonym, "", by, now))
    AuditTrail(session).record(
        by, "lottery.draw", found.name, now, after={"seed": draw_seed.hex(), "picks": len(picks)}
    )
    drawn = draws.get(draw_id)
    assert drawn is not None
    standing = standing_of(session, draws, drawn)
    _to_channel(session, messaging, f"lottery:{draw_id}:drawn", now, lambda t: results_card(t, drawn, standing))
    for place in standing:
        if place.prize is not None and place.teams_user_id is not None:
            _tell_winner(session, messaging, drawn, place, now)
    messaging.notify_leads(
        session, f"lottery:{draw_id}:drawn", now, lambda t: ("", results_card(t, drawn, standing, for_leads=True))
    )
    return StepOutcome.DONE


@dataclass(frozen=True, slots=True)
class Place:
    """A prize's place as it stands (after replacements), or an alternate's."""

    slot: int
    prize: int | None
    ticket_id: str
    pseudonym: str
    name: str  # their name if they may be named in public, else ""
    teams_user_id: str | None
    member_id: int | None
    delivered: bool
    unavailable: bool  # an alternate's place already given to a prize, or a winner replaced


def standing_of(session: Session, draws: Draws, found: Draw) -> list[Place]:
    """Each prize's current winner and each alternate, from the events in order."""
    events = draws.events(found.id)
    holders: dict[int, Event] = {}
    delivered: set[int] = set()
    used_alternates: set[int] = set()
    for event in events:
        if event.kind == "picked":
            holders[event.slot] = event
        elif event.kind == "replaced":
            alternate = next(
                slot for slot, held in holders.items() if held.prize is None and held.pseudonym == event.pseudonym
            )
            used_alternates.add(alternate)
            holders[event.slot] = event
        elif event.kind == "delivered":
            delivered.add(event.slot)
    entrants = {entrant.pseudonym: entrant for entrant in draws.entrants(found.id)} if holders else {}
    members = {entrant.member_id for entrant in entrants.values() if entrant.member_id is not None}
    hidden = hidden_from_public(session, sorted(members))
    places = []
    for slot in sorted(holders):
        held = holders[slot]
        entrant = entrants.get(held.pseudonym) if held.ticket_id else None  # a department's prize has no ticket
        member = session.get(MemberRecord, entrant.member_id) if entrant and entrant.member_id else None
        name = member.display_name if member is not None and member.id not in hidden else ""
        if not held.ticket_id:
            name = held.pseudonym
        places.append(
            Place(
                slot,
                held.prize,
                held.ticket_id,
                held.pseudonym,
                name,
                member.teams_user_id if member is not None else None,
                member.id if member is not None else None,
                slot in delivered,
                slot in used_alternates,
            )
        )
    return places


def _tell_winner(session: Session, messaging: Messaging, found: Draw, place: Place, now: datetime) -> None:
    assert place.prize is not None and place.teams_user_id is not None
    member = session.get(MemberRecord, place.member_id) if place.member_id else None
    texts = messaging.texts_for(member)
    text = texts("lottery.you_won", name=found.name, prize=found.prizes[place.prize].name, ticket=place.ticket_id)
    key = f"lottery:{found.id}:won:{place.slot}:{place.ticket_id}"
    messaging.send(session, OutboundMessage(key, ToUser(place.teams_user_id), MessagePayload(text)), now)


class ResultOutcome(StrEnum):
    DONE = "done"
    NOT_FOUND = "result_not_found"
    NO_ALTERNATE = "no_alternate"  # every alternate is used
    ALREADY = "result_already"  # delivered already, or replaced already (pressed twice)
    NEEDS_REASON = "needs_reason"


def _prize_held(
    session: Session, draws: Draws, found: Draw, slot: int, ticket_id: str
) -> tuple[list[Place], Place] | ResultOutcome:
    """The results and the prize place a lead pressed a button for, if it still holds the ticket
    they saw and is not delivered (a second press, or a stale card, changes nothing)."""
    standing = standing_of(session, draws, found)
    place = next((item for item in standing if item.slot == slot and item.prize is not None), None)
    if place is None:
        return ResultOutcome.NOT_FOUND
    if place.ticket_id != ticket_id or place.delivered:
        return ResultOutcome.ALREADY
    return standing, place


def replace_winner(
    session: Session, messaging: Messaging, draw_id: int, slot: int, ticket_id: str, reason: str, by: str, now: datetime
) -> ResultOutcome:
    """An unavailable winner's prize goes to the next unused alternate, never to a new draw.
    `ticket_id` is the winner the lead saw, so a second press replaces nobody else."""
    draws = Draws(session)
    found = draws.get(draw_id)
    if found is None or found.status is not DrawStatus.DRAWN:
        return ResultOutcome.NOT_FOUND
    if not reason.strip():
        return ResultOutcome.NEEDS_REASON
    held = _prize_held(session, draws, found, slot, ticket_id)
    if isinstance(held, ResultOutcome):
        return held
    standing, place = held
    alternate = next((item for item in standing if item.prize is None and not item.unavailable), None)
    if alternate is None:
        return ResultOutcome.NO_ALTERNATE
    draws.add_event(draw_id, Event("unavailable", slot, place.prize, place.ticket_id, place.pseudonym, reason, by, now))
    draws.add_event(
        draw_id, Event("replaced", slot, place.prize, alternate.ticket_id, alternate.pseudonym, reason, by, now)
    )
    AuditTrail(session).record(by, "lottery.replace", found.name, now, after={"slot": slot, "reason": reason})
    updated = next(item for item in standing_of(session, draws, found) if item.slot == slot)
    if updated.teams_user_id is not None:
        _tell_winner(session, messaging, found, updated, now)
    return ResultOutcome.DONE


def mark_delivered(session: Session, draw_id: int, slot: int, ticket_id: str, by: str, now: datetime) -> ResultOutcome:
    draws = Draws(session)
    found = draws.get(draw_id)
    if found is None or found.status is not DrawStatus.DRAWN:
        return ResultOutcome.NOT_FOUND
    held = _prize_held(session, draws, found, slot, ticket_id)
    if isinstance(held, ResultOutcome):
        return held
    _standing, place = held
    draws.add_event(draw_id, Event("delivered", slot, place.prize, place.ticket_id, place.pseudonym, "", by, now))
    AuditTrail(session).record(by, "lottery.delivered", found.name, now, after={"slot": slot})
    return ResultOutcome.DONE


# --- what is published, and a person's own tickets ------------------------------------------------


def published_of(session: Session, draw_id: int) -> dict[str, object] | None:
    """A committed or drawn draw's published data (the secret and the winners once drawn)."""
    draws = Draws(session)
    found = draws.get(draw_id)
    if found is None or found.status not in (DrawStatus.COMMITTED, DrawStatus.DRAWN):
        return None
    listed = registry_of(draws, draw_id)
    drawn = found.status is DrawStatus.DRAWN
    picks = [
        Pick(event.slot, event.prize, event.ticket_id, event.pseudonym)
        for event in draws.events(draw_id)
        if event.kind == "picked"
    ]
    data = published_data(
        str(draw_id),
        found.name,
        listed,
        found.prizes,
        found.alternates,
        found.exclusion_hash,
        found.beacon if found.beacon is not None else None,
        found.secret_commitment,
        found.secret if drawn else "",
        picks,
        found.department_weights,
    )
    if not drawn:
        data.pop("seed")
        data.pop("picks")
    else:
        data["events"] = [
            {
                "kind": event.kind,
                "slot": event.slot,
                "ticket_id": event.ticket_id,
                "reason": event.reason,
                "at": event.at.isoformat(),
            }
            for event in draws.events(draw_id)
            if event.kind != "picked"
        ]
        if found.beacon_problem:
            data["beacon_problem"] = found.beacon_problem
    return data


def _to_channel(
    session: Session, messaging: Messaging, key: str, now: datetime, build: Callable[[Texts], Card]
) -> None:
    """Post in the champions' channel, in the program's language."""
    channel = ProgramConfig(session).load().champions_channel_id
    if channel:
        card = build(messaging.texts_for(None))
        messaging.send(session, OutboundMessage(key, ToConversation(channel), MessagePayload("", card)), now)


# --- a person's own tickets, with their receipt's proof -----------------------------------------

RECEIPTS = "lottery-receipt"  # the kind of file links to a person's receipt
PUBLISHED = "lottery-draw"  # ... and to a draw's published data
LINK_LIFETIME = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class MyTickets:
    draw: Draw
    tickets: int
    reasons: tuple[tuple[str, int, int], ...]  # (earned by, how many, tickets)
    live: bool  # entries still open: what they would have if entries closed now
    first: str = ""
    last: str = ""
    pseudonym: str = ""
    receipt_link: str = ""
    excluded: bool = False


def my_tickets_of(
    session: Session, messaging: Messaging, teams_user_id: str, origin: str, now: datetime
) -> MyTickets | None:
    """The sender's tickets in the newest draw they can be in, with the reasons; once entries
    closed, their ticket ids, pseudonym and a link to their receipt with its proof."""
    member = Members(session).get(teams_user_id)
    draws = Draws(session)
    recent = draws.latest([DrawStatus.OPEN, DrawStatus.COMMITTED, DrawStatus.DRAWN], limit=1)
    if member is None or member.id is None or not recent:
        return None
    found = recent[0]
    if found.status is DrawStatus.OPEN:
        entries = entries_of(session, messaging, found, min(now, found.closes_at), member)
        mine = next(
            ((name, held) for name, (person, held) in entries.people.items() if person.member_id == member.id), None
        )
        if mine is None:
            return MyTickets(found, 0, (), live=True, excluded=True)
        return MyTickets(found, mine[1].total, tuple(_reason_rows(_reasons(mine[1]))), live=True)
    entrant = draws.entrant_of(found.id, member.id)
    if entrant is None:
        return MyTickets(found, 0, (), live=False, excluded=True)
    last = f"{int(entrant.first_ticket) + entrant.tickets - 1:06d}"
    link = file_link(session, origin, RECEIPTS, entrant.id, now + LINK_LIFETIME, now)
    reasons = tuple(_reason_rows(list(entrant.reasons)))
    return MyTickets(found, entrant.tickets, reasons, False, entrant.first_ticket, last, entrant.pseudonym, link)


def _reason_rows(reasons: Sequence[Mapping[str, object]]) -> list[tuple[str, int, int]]:
    return [(str(item["earned_by"]), int(str(item["count"])), int(str(item["tickets"]))) for item in reasons]


def receipt_of(session: Session, entrant_id: int) -> dict[str, object] | None:
    """A person's receipt: their ticket lines, each with its Merkle proof, and the committed root."""
    draws = Draws(session)
    found = draws.entrant(entrant_id)
    if found is None:
        return None
    draw_id, entrant = found
    committed = draws.get(draw_id)
    if committed is None:
        return None
    listed = registry_of(draws, draw_id)
    start = int(entrant.first_ticket) - 1
    return {
        "draw": str(draw_id),
        "name": committed.name,
        "pseudonym": entrant.pseudonym,
        "registry_hash": committed.registry_hash,
        "merkle_root": committed.merkle_root,
        "tickets": [
            {"line": listed[index].line, "proof": [list(step) for step in merkle_proof(listed, index)]}
            for index in range(start, start + entrant.tickets)
        ],
    }


def proof_link(session: Session, origin: str, now: datetime) -> tuple[Draw, str] | None:
    """The newest drawn (else committed) draw and a link to its published data."""
    recent = Draws(session).latest([DrawStatus.DRAWN, DrawStatus.COMMITTED], limit=1)
    if not recent:
        return None
    return recent[0], file_link(session, origin, PUBLISHED, recent[0].id, now + LINK_LIFETIME, now)


# --- reads for leads' cards -----------------------------------------------------------------------


def draw_of(session: Session, draw_id: int) -> Draw | None:
    return Draws(session).get(draw_id)


def draws_for_leads(session: Session) -> list[Draw]:
    """The newest draws, whatever their state."""
    return Draws(session).latest(list(DrawStatus), limit=5)


def member_id_of(session: Session, teams_user_id: str) -> int | None:
    member = Members(session).get(teams_user_id)
    return member.id if member is not None else None


def results_of(session: Session, draw_id: int) -> tuple[Draw, list[Place]] | None:
    draws = Draws(session)
    found = draws.get(draw_id)
    if found is None or found.status is not DrawStatus.DRAWN:
        return None
    return found, standing_of(session, draws, found)

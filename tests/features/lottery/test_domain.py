"""The lottery's rules, and the draw: golden vectors shared with the stand-alone verifier,
determinism, fairness over many seeds, no repeat winners, and a tampered registry caught."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from features.lottery.domain import (
    QUICKNET,
    Activity,
    BeaconRound,
    EarnedBy,
    Entry,
    Prize,
    Reason,
    TicketRules,
    beacon_randomness_ok,
    below,
    commitment,
    department_weights,
    draw,
    in_registry,
    merkle_proof,
    merkle_root,
    numbers,
    pseudonym,
    published_data,
    registry,
    registry_hash,
    seed,
    streaks,
    tickets_for,
)
from features.lottery.signatures import QUICKNET_PUBLIC_KEY, signature_holds

VERIFIER = Path(__file__).resolve().parents[3] / "tools" / "verify_draw.py"
PRIZES = [Prize("Surface Laptop", 1), Prize("Headphones", 2)]


def small_registry() -> list[Entry]:
    """Twelve people with one to three tickets each."""
    return registry({pseudonym("salt", f"person{number}@contoso.example"): 1 + number % 3 for number in range(12)})


def golden(secret: str = "the-secret", randomness: str = "", signature: str = "") -> dict:
    entries = small_registry()
    beacon = BeaconRound(QUICKNET.chain_hash, 1000, randomness, signature)
    picks = draw(entries, PRIZES, 2, seed("7", registry_hash(entries), randomness, secret))
    return published_data("7", "Q1 draw", entries, PRIZES, 2, "e" * 64, beacon, commitment(secret), secret, picks)


def verify(tmp_path: Path, published: dict) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(published))
    return subprocess.run([sys.executable, str(VERIFIER), str(path)], capture_output=True, text=True, check=False)


def test_golden_vectors_the_bot_and_the_stand_alone_verifier_pick_the_same_winners(tmp_path):
    published = golden()
    assert published["registry_hash"] == "9124156bc376c26010abd112ce65d6416fceee8fd389e45b2dc3503066c55afb"
    assert published["seed"] == "f69e7961f9941463350fa751220d47c49b1b42ef031b59abd29c71e3de8a7492"
    assert [(pick["slot"], pick["prize"], pick["ticket_id"]) for pick in published["picks"]] == [
        (1, 0, "000006"),
        (2, 1, "000017"),
        (3, 1, "000015"),
        (4, None, "000014"),
        (5, None, "000019"),
    ], "prizes in their order, each as many times as its quantity, then the alternates"
    verified = verify(tmp_path, published)
    assert verified.returncode == 0, verified.stdout
    assert verified.stdout.startswith("OK: draw 7, 24 tickets, 5 picks")


def test_the_same_inputs_give_the_same_draw_and_another_seed_another_one():
    entries = small_registry()
    first = draw(entries, PRIZES, 2, seed("7", registry_hash(entries), "", "s"))
    assert draw(entries, PRIZES, 2, seed("7", registry_hash(entries), "", "s")) == first
    assert draw(entries, PRIZES, 2, seed("8", registry_hash(entries), "", "s")) != first


def test_nobody_wins_twice_and_the_draw_stops_when_everyone_has_won():
    entries = registry({"aaaa": 5, "bbbb": 1})
    picks = draw(entries, [Prize("Mug", 4)], 3, seed("1", registry_hash(entries), "", "s"))
    assert sorted(pick.pseudonym for pick in picks) == ["aaaa", "bbbb"], "each person once, however many tickets"


def test_win_frequencies_follow_the_tickets_over_many_seeds():
    """Five people holding 1 to 5 tickets: each wins the one prize in proportion (tolerance:
    five standard deviations of a binomial over 6,000 draws)."""
    entries = registry({f"p{weight}": weight for weight in range(1, 6)})
    wins = Counter(
        draw(entries, [Prize("Prize")], 0, seed(str(number), "h", "", "s"))[0].pseudonym for number in range(6000)
    )
    for weight in range(1, 6):
        expected = 6000 * weight / 15
        spread = (6000 * (weight / 15) * (1 - weight / 15)) ** 0.5
        assert abs(wins[f"p{weight}"] - expected) < 5 * spread, (weight, wins)


def test_picking_below_n_has_no_modulo_bias():
    """A generator whose numbers all fall in the top, partial block is never taken at its word."""
    n = (1 << 63) + 1  # 2**64 holds one whole block of n; every number from n up is in the partial one
    top = (1 << 64) - 1
    assert below(iter([top, n, 7]), n) == 7, "the two numbers from the partial block are thrown away"
    assert below(iter([top, top - 1]), 3) == (top - 1) % 3, "for 3, only 2**64 - 1 is in the partial block"
    source = numbers(b"seed")
    counts = Counter(below(source, 3) for _ in range(3000))
    assert all(900 < counts[value] < 1100 for value in range(3))


def test_a_changed_registry_or_a_wrong_secret_is_caught_by_the_verifier(tmp_path):
    tampered = golden()
    tampered["registry"][3] = tampered["registry"][3].replace(tampered["registry"][3][-4:], "beef")
    verified = verify(tmp_path, tampered)
    assert verified.returncode == 1
    assert "FAILED: the registry is not the one committed (its SHA-256 differs)" in verified.stdout
    lied = golden()
    lied["secret"] = "another-secret"
    assert "FAILED: the revealed secret does not match the commitment" in verify(tmp_path, lied).stdout
    moved = golden()
    moved["picks"][0]["ticket_id"] = "000001"
    assert "FAILED: rerunning the draw gives other winners" in verify(tmp_path, moved).stdout


def test_the_beacons_randomness_is_checked_against_its_signature(tmp_path):
    import hashlib

    signature = "8d61d9100567de44682506aea1a7a6fa6e5491cd27a0a0ed349ef6910ac5ac20"
    randomness = hashlib.sha256(bytes.fromhex(signature)).hexdigest()
    assert beacon_randomness_ok(randomness, signature) and not beacon_randomness_ok("00" * 32, signature)
    assert verify(tmp_path, golden(randomness=randomness, signature=signature)).returncode == 0
    forged = golden(randomness="11" * 32, signature=signature)
    assert "FAILED: the beacon's randomness is not SHA-256 of its signature" in verify(tmp_path, forged).stdout


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=40))
def test_every_ticket_has_a_receipt_proof_that_holds_and_only_for_its_own_line(weights):
    entries = registry({f"{number:04x}": weight for number, weight in enumerate(weights)})
    root = merkle_root(entries)
    for index, entry in enumerate(entries):
        proof = merkle_proof(entries, index)
        assert in_registry(entry.line, proof, root)
        assert not in_registry(entry.line + "0", proof, root)


def test_the_quicknet_round_math():
    genesis = datetime.fromtimestamp(QUICKNET.genesis_time, UTC)
    assert QUICKNET.round_at(genesis) == 1
    assert QUICKNET.round_at(genesis + timedelta(seconds=3)) == 2
    assert QUICKNET.time_of(QUICKNET.round_at(genesis + timedelta(days=1))) == QUICKNET.genesis_time + 86400


def _on(day: date, kind: EarnedBy) -> Activity:
    return Activity(kind, datetime(day.year, day.month, day.day, 9, tzinfo=UTC))


def test_tickets_are_the_base_one_the_schedules_kudos_at_most_three_and_the_cap():
    monday = date(2026, 11, 2)
    activities = [
        _on(monday, EarnedBy.HUNT_CLUE),
        _on(monday, EarnedBy.HUNT_CLUE),
        _on(monday, EarnedBy.STORY),
        *[_on(monday + timedelta(days=day), EarnedBy.KUDOS) for day in range(5)],
    ]
    tickets = tickets_for(activities, TicketRules())
    assert tickets.reasons == (
        Reason(None, 1, 1),
        Reason(EarnedBy.HUNT_CLUE, 2, 4),
        Reason(EarnedBy.STORY, 1, 2),
        Reason(EarnedBy.KUDOS, 5, 3),
    )
    assert (tickets.total, tickets.capped) == (10, False)
    more = tickets_for([*activities, _on(monday, EarnedBy.HUNT_CLUE)], TicketRules())
    assert (more.total, more.capped) == (10, True), "12 earned, 10 at most"
    assert tickets_for([], TicketRules()).total == 1, "entry is free: everyone eligible has one"


def test_a_check_in_streak_is_four_weeks_in_a_row():
    monday = date(2026, 11, 2)
    weekly = [monday + timedelta(weeks=week) for week in range(9)]
    assert streaks(weekly) == 2, "nine weeks: two full streaks"
    assert streaks([monday, monday + timedelta(weeks=1), monday + timedelta(weeks=3)]) == 0, "a gap breaks it"
    assert streaks([monday, monday + timedelta(days=2)]) == 0, "twice in a week is one week"


def test_a_department_prize_goes_to_a_department_by_tickets_per_head_and_the_verifier_agrees(tmp_path):
    weights = department_weights({"Sales": 30, "Legal": 9, "Finance": 0}, {"Sales": 20, "Legal": 3, "Finance": 4})
    assert weights == [("Legal", 3_000_000), ("Sales", 1_500_000)], "tickets per head; none for no tickets"
    prizes = [Prize("Team lunch", 2, for_departments=True), Prize("Mug", 1)]
    entries = small_registry()
    picks = draw(entries, prizes, 1, seed("9", registry_hash(entries), "", "s"), weights)
    assert [(pick.prize, pick.ticket_id == "") for pick in picks] == [(0, True), (0, True), (1, False), (None, False)]
    assert {picks[0].pseudonym, picks[1].pseudonym} == {"Legal", "Sales"}, "no department twice"
    published = published_data("9", "Q2", entries, prizes, 1, "e" * 64, None, commitment("s"), "s", picks, weights)
    assert verify(tmp_path, published).returncode == 0
    wins = Counter(draw([], prizes[:1], 0, seed(str(n), "h", "", "s"), weights)[0].pseudonym for n in range(3000))
    assert 1800 < wins["Legal"] < 2200, "Legal has twice Sales' tickets per head: two thirds of the wins"


def test_a_real_quicknet_rounds_signature_holds_and_nothing_else_does():
    """Round 3 of the League of Entropy's quicknet, as api.drand.sh serves it."""
    signature = "b3fab6df720b68cc47175f2c777e86d84187caab5770906f515ff1099cb01e4deaa027075d860823e49477b93c72bd64"
    assert signature_holds(QUICKNET_PUBLIC_KEY, 3, signature)
    assert not signature_holds(QUICKNET_PUBLIC_KEY, 2, signature), "another round's message"
    assert not signature_holds(QUICKNET_PUBLIC_KEY, 3, "00" * 48), "not a point"
    assert not signature_holds(QUICKNET_PUBLIC_KEY, 3, "zz"), "not even hexadecimal"

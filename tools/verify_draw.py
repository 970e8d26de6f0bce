#!/usr/bin/env python3
"""Rerun a Champion Circle prize draw from its published data, and check every step.

    python3 verify_draw.py draw-7.json

Standard library only, on purpose: an official, a participant or an auditor can run it on
any machine with Python 3.9+, without the bot. It checks that

1. the registry (one `ticket_id,pseudonym` line per ticket) has the published SHA-256 and
   Merkle root, so it is the list committed before the draw;
2. the beacon's randomness is SHA-256 of its signature (drand's definition), the signature
   is the drand chain's BLS signature of the round (checked only when the `py_ecc` package
   is installed, `pip install py_ecc`; otherwise drand's own tools can check it), and the
   revealed secret matches the commitment published before the draw;
3. the seed is SHA-256 of "algorithm|draw|registry hash|beacon randomness|secret";
4. rerunning the draw from that seed gives exactly the published winners and alternates
   (a department prize is drawn among the published departments by their weights: tickets
   per head, in millionths).

It exits 0 when everything holds, 1 otherwise, and says which step failed. With
`--receipt receipt.json` (the receipt the bot gives each participant, `my tickets`) it
checks instead that every ticket on it is in the committed registry, by its Merkle proof.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys

ALGORITHM = "champion-circle-draw/1"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def leaf(line: str) -> bytes:
    return hashlib.sha256(b"\x00" + line.encode()).digest()


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def merkle_root(lines: list[str]) -> str:
    level = [leaf(line) for line in lines] or [hashlib.sha256(b"").digest()]
    while len(level) > 1:
        level = [node(level[i], level[i + 1]) if i + 1 < len(level) else level[i] for i in range(0, len(level), 2)]
    return level[0].hex()


def in_registry(line: str, proof: list[list[str]], root: str) -> bool:
    current = leaf(line)
    for side, sibling in proof:
        current = node(bytes.fromhex(sibling), current) if side == "L" else node(current, bytes.fromhex(sibling))
    return current.hex() == root


def numbers(seed: bytes):
    counter = 0
    while True:
        block = hashlib.sha256(seed + counter.to_bytes(8, "big")).digest()
        counter += 1
        for offset in range(0, 32, 8):
            yield int.from_bytes(block[offset : offset + 8], "big")


def below(source, n: int) -> int:
    limit = (1 << 64) - (1 << 64) % n
    for number in source:
        if number < limit:
            return number % n
    raise AssertionError("unreachable")


def weighted(source, weights: list) -> int:
    point = below(source, sum(weight for _, weight in weights))
    for index, (_, weight) in enumerate(weights):
        if point < weight:
            return index
        point -= weight
    raise AssertionError("unreachable")


def rerun(lines: list[str], prizes: list[dict], alternates: int, seed: bytes, departments: list[dict]) -> list[dict]:
    places: list[int | None] = [index for index, prize in enumerate(prizes) for _ in range(int(prize["quantity"]))]
    places += [None] * alternates
    remaining = [line.split(",", 1) for line in lines]
    teams = [(team["name"], int(team["weight"])) for team in departments]
    source = numbers(seed)
    picks = []
    for slot, prize in enumerate(places, start=1):
        if prize is not None and prizes[prize].get("departments"):
            if teams:
                name = teams.pop(weighted(source, teams))[0]
                picks.append({"slot": slot, "prize": prize, "ticket_id": "", "pseudonym": name})
            continue
        if remaining:
            ticket_id, name = remaining[below(source, len(remaining))]
            picks.append({"slot": slot, "prize": prize, "ticket_id": ticket_id, "pseudonym": name})
            remaining = [entry for entry in remaining if entry[1] != name]
    return picks


def beacon_signature_holds(beacon: dict) -> bool | None:
    """The League of Entropy's BLS signature of the round, checked against the chain's public
    key if the `py_ecc` package is installed (None: not checked)."""
    try:
        from py_ecc.bls.hash_to_curve import hash_to_G1
        from py_ecc.bls.point_compression import decompress_G1, decompress_G2
        from py_ecc.optimized_bls12_381 import G2, pairing
    except ImportError:
        return None
    try:
        key, signed = bytes.fromhex(beacon["public_key"]), bytes.fromhex(beacon["signature"])
        point_key = decompress_G2((int.from_bytes(key[:48], "big"), int.from_bytes(key[48:], "big")))
        point_signature = decompress_G1(int.from_bytes(signed, "big"))
    except (KeyError, ValueError, TypeError, AssertionError):
        return False
    message = hashlib.sha256(int(beacon["round"]).to_bytes(8, "big")).digest()
    hashed = hash_to_G1(message, b"BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_", hashlib.sha256)
    return bool(pairing(G2, point_signature) == pairing(point_key, hashed))


def verify(published: dict) -> list[str]:
    """Every check that failed, in order (an empty list: the draw is what it says)."""
    failures = []
    if published.get("algorithm") != ALGORITHM:
        return [f"unknown algorithm {published.get('algorithm')!r}; this verifier knows {ALGORITHM}"]
    lines = list(published["registry"])
    if sha256_hex("".join(f"{line}\n" for line in lines).encode()) != published["registry_hash"]:
        failures.append("the registry is not the one committed (its SHA-256 differs)")
    if merkle_root(lines) != published["merkle_root"]:
        failures.append("the registry's Merkle root differs from the committed one")
    beacon = published.get("beacon") or {}
    randomness = ""
    if beacon.get("randomness"):
        randomness = beacon["randomness"]
        try:
            if sha256_hex(bytes.fromhex(beacon["signature"])) != randomness:
                failures.append("the beacon's randomness is not SHA-256 of its signature")
        except (KeyError, ValueError):
            failures.append("the beacon's signature is missing or not hexadecimal")
        if beacon.get("public_key") and beacon_signature_holds(beacon) is False:
            failures.append("the beacon's signature does not verify against the chain's public key")
    secret = published.get("secret") or ""
    committed = published.get("secret_commitment")
    if committed and sha256_hex(secret.encode()) != committed:
        failures.append("the revealed secret does not match the commitment published before the draw")
    if not randomness and not secret:
        failures.append("no source of randomness: neither the beacon nor a secret")
    parts = (ALGORITHM, str(published["draw"]), published["registry_hash"], randomness, secret)
    seed = hashlib.sha256("|".join(parts).encode()).digest()
    if seed.hex() != published["seed"]:
        failures.append("the seed is not the hash of the published inputs")
    picks = rerun(lines, published["prizes"], int(published["alternates"]), seed, published.get("departments") or [])
    if picks != published["picks"]:
        failures.append("rerunning the draw gives other winners than the published ones")
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Rerun a Champion Circle prize draw and check it.")
    parser.add_argument("published", help="the draw's published data (JSON)")
    parser.add_argument("--receipt", help="a participant's receipt (JSON): check its tickets are in the registry")
    args = parser.parse_args(argv)
    with open(args.published, encoding="utf-8") as file:
        published = json.load(file)
    if args.receipt:
        with open(args.receipt, encoding="utf-8") as file:
            receipt = json.load(file)
        missing = [
            ticket["line"]
            for ticket in receipt["tickets"]
            if not in_registry(ticket["line"], ticket["proof"], published["merkle_root"])
        ]
        for line in missing:
            print(f"FAILED: ticket {line} is NOT in the committed registry")
        if not missing:
            print(f"OK: all {len(receipt['tickets'])} tickets on the receipt are in the committed registry")
        return 1 if missing else 0
    failures = verify(published)
    for failure in failures:
        print(f"FAILED: {failure}")
    if failures:
        return 1
    print(f"OK: draw {published['draw']}, {len(published['registry'])} tickets, {len(published['picks'])} picks")
    beacon = published.get("beacon") or {}
    if beacon.get("randomness") and beacon.get("public_key"):
        checked = beacon_signature_holds(beacon) is not None
        print("  the beacon's signature: " + ("checked" if checked else "not checked (pip install py_ecc to check it)"))
    for pick in published["picks"]:
        place = f"prize {pick['prize'] + 1}" if pick["prize"] is not None else "alternate"
        who = f"ticket {pick['ticket_id']} ({pick['pseudonym']})" if pick["ticket_id"] else pick["pseudonym"]
        print(f"  {pick['slot']:>3}. {place}: {who}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""drand's BLS signatures: a round's randomness is only as good as the League of Entropy's
signature on it, so the bot checks it against the chain's public key before drawing.

quicknet signs on G1 (48 bytes) with its public key on G2 (96 bytes), hashing to the curve
as RFC 9380 says ("bls-unchained-g1-rfc9380"); the message is SHA-256 of the round number
as 8 bytes big-endian. A pairing in pure Python (`py_ecc`) takes about a second: callers run
it in a worker thread.
"""

from __future__ import annotations

import hashlib
import sys
from typing import Any, cast

_RECURSION_LIMIT = sys.getrecursionlimit()
try:
    from py_ecc.bls.hash_to_curve import hash_to_G1
    from py_ecc.bls.point_compression import decompress_G1, decompress_G2
    from py_ecc.bls.typing import G1Compressed, G2Compressed
    from py_ecc.optimized_bls12_381 import G2, pairing
finally:
    # Importing py_ecc raises the interpreter's recursion limit to 100,000 for everyone; with it,
    # a deeply nested request body overflows the C stack (a crash) instead of failing cleanly.
    # Its pairings need no more than the default.
    sys.setrecursionlimit(_RECURSION_LIMIT)

SCHEME = "bls-unchained-g1-rfc9380"
DST = b"BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_"
QUICKNET_PUBLIC_KEY = (
    "83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758"
    "c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a"
)


def round_message(round_number: int) -> bytes:
    return hashlib.sha256(round_number.to_bytes(8, "big")).digest()


def signature_holds(public_key: str, round_number: int, signature: str) -> bool:
    """Whether `signature` is the chain's signature of the round (False for anything malformed)."""
    try:
        key = bytes.fromhex(public_key)
        signed = bytes.fromhex(signature)
        if len(key) != 96 or len(signed) != 48:
            return False
        point_key = decompress_G2(G2Compressed((int.from_bytes(key[:48], "big"), int.from_bytes(key[48:], "big"))))
        point_signature = decompress_G1(G1Compressed(int.from_bytes(signed, "big")))
    except (ValueError, TypeError, AssertionError):
        return False  # not a point on the curve
    hashed = hash_to_G1(round_message(round_number), DST, cast(Any, hashlib.sha256))
    return bool(pairing(G2, point_signature) == pairing(point_key, hashed))

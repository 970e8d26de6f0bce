"""A local stand-in for the drand beacon's HTTP API (`/{chain hash}/public/{round}`).

Rounds are published on the test's clock, from a genesis time and a period; a round in the
future answers 425 Too Early, as drand does, and the beacon can be made unreachable (503)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, cast

from aiohttp import web
from py_ecc.bls.hash_to_curve import hash_to_G1
from py_ecc.bls.point_compression import compress_G1, compress_G2
from py_ecc.optimized_bls12_381 import G2, multiply

from features.lottery.signatures import DST, round_message

CHAIN = "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"
# The fake League of Entropy's key: signatures are real BLS ones, checked by the bot.
SECRET_KEY = 0x2A5F3C9E1B7D4A6C8E0F2B4D6A8C0E2F4B6D8A0C2E4F6B8D0A2C4E6F8B0D2A4C


@cache
def public_key() -> str:
    first, second = compress_G2(multiply(G2, SECRET_KEY))
    return first.to_bytes(48, "big").hex() + second.to_bytes(48, "big").hex()


@cache
def signature_of(round_number: int) -> str:
    """The round's BLS signature on G1 (48 bytes), as quicknet makes it."""
    point = multiply(hash_to_G1(round_message(round_number), DST, cast(Any, hashlib.sha256)), SECRET_KEY)
    return int(compress_G1(point)).to_bytes(48, "big").hex()


def randomness_of(round_number: int) -> str:
    return hashlib.sha256(bytes.fromhex(signature_of(round_number))).hexdigest()


@dataclass
class FakeDrand:
    now: Callable[[], float]  # the test's clock, in Unix seconds
    genesis_time: int
    period: int = 3
    down: bool = False
    forge: bool = False  # serve another round's signature (its randomness consistent with it)
    requests: list[int] = field(default_factory=list)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/{chain}/public/{round}", self._round)
        return app

    async def _round(self, request: web.Request) -> web.Response:
        round_number = int(request.match_info["round"])
        self.requests.append(round_number)
        if self.down:
            return web.json_response({"error": "unavailable"}, status=503)
        if request.match_info["chain"] != CHAIN:
            return web.json_response({"error": "unknown chain"}, status=404)
        if self.genesis_time + (round_number - 1) * self.period > self.now():
            return web.json_response({"error": "requested future beacon"}, status=425)
        signed = round_number + 1 if self.forge else round_number
        return web.json_response(
            {"round": round_number, "randomness": randomness_of(signed), "signature": signature_of(signed)}
        )

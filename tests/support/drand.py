"""A local stand-in for the drand beacon's HTTP API (`/{chain hash}/public/{round}`).

Rounds are published on the test's clock, from a genesis time and a period; a round in the
future answers 425 Too Early, as drand does, and the beacon can be made unreachable (503)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

CHAIN = "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"


def signature_of(round_number: int) -> str:
    """A stand-in signature (96 bytes of hex, like quicknet's), different for every round."""
    return (hashlib.sha512(f"round {round_number}".encode()).hexdigest() * 2)[:192]


def randomness_of(round_number: int) -> str:
    return hashlib.sha256(bytes.fromhex(signature_of(round_number))).hexdigest()


@dataclass
class FakeDrand:
    now: Callable[[], float]  # the test's clock, in Unix seconds
    genesis_time: int
    period: int = 3
    down: bool = False
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
        return web.json_response(
            {"round": round_number, "randomness": randomness_of(round_number), "signature": signature_of(round_number)}
        )

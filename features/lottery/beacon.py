"""The drand randomness beacon over its HTTP API: a draw names a future round when entries
close, and reads that round's randomness when it is published.

`GET {url}/{chain hash}/public/{round}` answers `{"round", "randomness", "signature", ...}`;
the randomness is SHA-256 of the signature, and the signature is the League of Entropy's
BLS signature of the round: both are checked here (and by the stand-alone verifier).
Several URLs (drand's mirrors) are tried in turn. When none gives a round that checks, the
draw falls back to the secret it committed to, and its published data says so.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import aiohttp
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from features.lottery.domain import QUICKNET, BeaconChain, BeaconRound, beacon_randomness_ok
from features.lottery.signatures import QUICKNET_PUBLIC_KEY, signature_holds

log = logging.getLogger(__name__)


class BeaconSettings(BaseSettings):
    """DRAND_*: where the public randomness comes from (README: Lottery)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # drand's own mirrors, comma-separated; "" turns the beacon off (the committed secret alone).
    urls: str = Field(
        default="https://api.drand.sh,https://api2.drand.sh,https://drand.cloudflare.com",
        validation_alias="DRAND_URLS",
    )
    chain_hash: str = Field(default=QUICKNET.chain_hash, validation_alias="DRAND_CHAIN_HASH")
    # The chain's BLS public key (G2, hex): each round's signature is checked against it.
    public_key: str = Field(default=QUICKNET_PUBLIC_KEY, validation_alias="DRAND_PUBLIC_KEY")
    genesis_time: int = Field(default=QUICKNET.genesis_time, validation_alias="DRAND_GENESIS_TIME")
    period_seconds: int = Field(default=QUICKNET.period, gt=0, validation_alias="DRAND_PERIOD_SECONDS")
    timeout_seconds: float = Field(default=10.0, gt=0, le=60, validation_alias="DRAND_TIMEOUT_SECONDS")

    @property
    def chain(self) -> BeaconChain:
        return BeaconChain(self.chain_hash, self.genesis_time, self.period_seconds, self.public_key)

    @property
    def mirrors(self) -> list[str]:
        return [url.strip().rstrip("/") for url in self.urls.split(",") if url.strip()]


@dataclass(frozen=True, slots=True)
class Fetched:
    round: BeaconRound | None  # None: no mirror gave it
    problem: str = ""  # why, for the published data and the leads


class DrandBeacon:
    def __init__(self, settings: BeaconSettings) -> None:
        self.settings = settings
        self.chain = settings.chain

    async def fetch(self, round_number: int) -> Fetched:
        """The round's randomness from the first mirror that gives a well-formed, consistent one."""
        problems: list[str] = []
        timeout = aiohttp.ClientTimeout(total=self.settings.timeout_seconds)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            for url in self.settings.mirrors:
                address = f"{url}/{self.chain.chain_hash}/public/{round_number}"
                try:
                    async with session.get(address, headers={"Accept": "application/json"}) as response:
                        if response.status != 200:
                            problems.append(f"{url}: HTTP {response.status}")
                            continue
                        data = await response.json(content_type=None)
                except (aiohttp.ClientError, TimeoutError, ValueError) as error:
                    problems.append(f"{url}: {error.__class__.__name__}")
                    continue
                found = _round(data, round_number, self.chain.chain_hash)
                if found is None:
                    problems.append(f"{url}: an answer that is not round {round_number} or not consistent")
                    continue
                # About a second of pairing arithmetic: off the event loop.
                if not await asyncio.to_thread(signature_holds, self.chain.public_key, round_number, found.signature):
                    problems.append(f"{url}: a signature that the chain's public key does not verify")
                    continue
                return Fetched(found)
        problem = "; ".join(problems) or "no beacon URL is configured"
        log.warning("the drand beacon gave no round %s: %s", round_number, problem)
        return Fetched(None, problem[:500])


def _round(data: object, round_number: int, chain_hash: str) -> BeaconRound | None:
    if not isinstance(data, dict) or data.get("round") != round_number:
        return None
    randomness, signature = data.get("randomness"), data.get("signature")
    if not isinstance(randomness, str) or not isinstance(signature, str):
        return None
    if not beacon_randomness_ok(randomness, signature):
        return None
    return BeaconRound(chain_hash, round_number, randomness.lower(), signature.lower())

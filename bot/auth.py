"""Authenticating the Bot Connector's requests without ever blocking the event loop.

botbuilder 4.17 fetches the OpenID metadata and signing keys with a blocking
`requests.get` and no timeout, on the event loop, the first time a token arrives and
whenever a key id is unknown; a metadata host that accepts the connection and never answers
then freezes every request. Its validation also raises IndexError, KeyError or
AttributeError on crafted tokens. So:

- `SigningKeys` fetches the metadata and keys with aiohttp (connect and read timeouts),
  caches them and refreshes them in the background; the SDK's key lookup is pointed at it
  and never does I/O.
- `TokenGate` checks a token's shape (Bearer, RS256, a key id, the Bot Connector's issuer)
  before the SDK sees it, waits at most a couple of seconds for keys, then lets the SDK do
  the real validation (signature, audience = app id, expiry, serviceUrl claim). Anything
  that fails is a 401; keys that cannot be had are a 503 with Retry-After.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import aiohttp
import jwt
from botbuilder.schema import Activity
from botframework.connector.auth import (
    AuthenticateRequestResult,
    AuthenticationConstants,
    BotFrameworkAuthentication,
    ChannelValidation,
    JwtTokenExtractor,
)
from jwt.algorithms import RSAAlgorithm

from domain.clock import Clock

log = logging.getLogger(__name__)

CHANNEL_ISSUER = AuthenticationConstants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER
SIGNING_ALGORITHM = "RS256"
MAX_TOKEN_LENGTH = 16 * 1024
# While no signing keys can be had: how often they are fetched again, and so when a refused
# request is told to retry.
RETRY_UNAVAILABLE_AFTER = 10


@dataclass(frozen=True, slots=True)
class SigningKey:
    """What the SDK's token extractor reads from a key: the public key and its endorsements."""

    public_key: Any
    endorsements: tuple[str, ...]


class SigningKeys:
    """The Bot Connector's signing keys, fetched off the event loop, cached, refreshed in the background."""

    def __init__(
        self,
        metadata_url: str,
        *,
        timeout: aiohttp.ClientTimeout | None = None,
        clock: Clock,
        refresh_every: float = 24 * 3600,
        unknown_key_refresh_after: float = 300,
    ) -> None:
        self.metadata_url = metadata_url
        self._timeout = timeout or aiohttp.ClientTimeout(total=5, connect=2, sock_read=3)
        self._refresh_every = refresh_every
        self._unknown_key_refresh_after = unknown_key_refresh_after
        self._clock = clock
        self._keys: dict[str, SigningKey] = {}
        self._fetched_at: datetime | None = None
        self._attempted_at: datetime | None = None
        self._refreshing: asyncio.Task[None] | None = None
        self._background: asyncio.Task[None] | None = None

    # --- what the SDK calls (no I/O) -----------------------------------------------------

    async def get(self, key_id: str | None) -> SigningKey | None:
        return self._keys.get(key_id or "")

    # --- what the gate calls --------------------------------------------------------------

    @property
    def known(self) -> bool:
        return self._fetched_at is not None

    def has(self, key_id: str) -> bool:
        return key_id in self._keys

    async def wait_for(self, key_id: str, seconds: float) -> None:
        """Refresh when the key is unknown (at most every few minutes), waiting up to `seconds`."""
        if self.has(key_id):
            return
        in_flight = self._refreshing is not None and not self._refreshing.done()
        # Known keys are re-read for an unknown id every few minutes at most (a rotation);
        # while none could be had, every few seconds, so a dead host is not hammered.
        pause = self._unknown_key_refresh_after if self.known else RETRY_UNAVAILABLE_AFTER
        attempted = self._attempted_at
        if not in_flight and attempted is not None and (self._clock.now() - attempted).total_seconds() < pause:
            return
        task = self.refresh_soon()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(task), seconds)

    def refresh_soon(self) -> asyncio.Task[None]:
        """The refresh under way, or a new one; several waiting requests share one fetch."""
        if self._refreshing is None or self._refreshing.done():
            self._refreshing = asyncio.create_task(self._refresh(), name="signing-keys-refresh")
        return self._refreshing

    # --- background refresh ---------------------------------------------------------------

    def start(self) -> None:
        if self._background is None:
            self._background = asyncio.create_task(self._refresh_periodically(), name="signing-keys")

    async def close(self) -> None:
        for task in (self._background, self._refreshing):
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._background = self._refreshing = None

    async def _refresh_periodically(self) -> None:
        while True:
            await self.refresh_soon()
            # Until the first fetch succeeds, retry each minute rather than once a day.
            await asyncio.sleep(self._refresh_every if self.known else 60)

    async def _refresh(self) -> None:
        self._attempted_at = self._clock.now()
        try:
            async with aiohttp.ClientSession(timeout=self._timeout) as session:
                metadata = await _json(session, self.metadata_url)
                keys_url = metadata.get("jwks_uri") if isinstance(metadata, dict) else None
                if not isinstance(keys_url, str):
                    raise ValueError("the OpenID metadata has no jwks_uri")
                document = await _json(session, keys_url)
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            log.warning("could not refresh the Bot Connector's signing keys from %s: %s", self.metadata_url, error)
            return
        keys = _signing_keys(document.get("keys") if isinstance(document, dict) else None)
        if not keys:
            log.warning("the signing key document at %s holds no usable key", self.metadata_url)
            return
        self._keys = keys
        self._fetched_at = self._clock.now()
        log.info("signing keys refreshed: %d keys", len(keys))


async def _json(session: aiohttp.ClientSession, url: str) -> Any:
    async with session.get(url) as response:
        response.raise_for_status()
        return await response.json(content_type=None)


def _signing_keys(entries: object) -> dict[str, SigningKey]:
    keys: dict[str, SigningKey] = {}
    for entry in entries if isinstance(entries, list) else ():
        if not isinstance(entry, dict) or not isinstance(entry.get("kid"), str):
            continue
        try:
            public_key = RSAAlgorithm.from_jwk(json.dumps(entry))
        except (jwt.PyJWTError, ValueError, TypeError, KeyError):
            log.warning("skipped a signing key the bot cannot read (kid %s)", entry["kid"])
            continue
        endorsements = entry.get("endorsements")
        names = tuple(item for item in endorsements if isinstance(item, str)) if isinstance(endorsements, list) else ()
        keys[entry["kid"]] = SigningKey(public_key, names)
    return keys


class Verdict(StrEnum):
    ACCEPTED = "accepted"
    REFUSED = "refused"  # 401
    KEYS_UNAVAILABLE = "keys_unavailable"  # 503, try again later


@dataclass(frozen=True, slots=True)
class GateResult:
    verdict: Verdict
    authenticated: AuthenticateRequestResult | None = None
    reason: str = ""


class TokenGate:
    """Checks a request's token before and around the SDK, so that no token can hang or crash a turn."""

    def __init__(
        self,
        authentication: BotFrameworkAuthentication,
        keys: SigningKeys,
        *,
        issuers: Sequence[str] = (CHANNEL_ISSUER,),
        wait_for_keys: float = 2.0,
    ) -> None:
        self._authentication = authentication
        self.keys = keys
        self._issuers = frozenset(issuers)
        self._wait_for_keys = wait_for_keys

    async def authenticate(self, activity: Activity, auth_header: str) -> GateResult:
        key_id, problem = self._shape(auth_header)
        if problem:
            return GateResult(Verdict.REFUSED, reason=problem)
        await self.keys.wait_for(key_id, self._wait_for_keys)
        if not self.keys.known:
            return GateResult(Verdict.KEYS_UNAVAILABLE, reason="signing keys unavailable")
        if not self.keys.has(key_id):
            return GateResult(Verdict.REFUSED, reason="unknown key id")
        try:
            authenticated = await self._authentication.authenticate_request(activity, auth_header)
        except Exception as error:
            return GateResult(Verdict.REFUSED, reason=error.__class__.__name__)
        return GateResult(Verdict.ACCEPTED, authenticated)

    def _shape(self, auth_header: str) -> tuple[str, str]:
        """(the token's key id, "") when it could be the Bot Connector's; ("", why not) otherwise."""
        scheme, _, token = auth_header.partition(" ")
        if scheme != "Bearer" or not token or len(token) > MAX_TOKEN_LENGTH:
            return "", "no bearer token"
        try:
            header = jwt.get_unverified_header(token)
            claims = jwt.decode(token, options={"verify_signature": False})
        except (jwt.PyJWTError, ValueError, TypeError):
            return "", "not a JWT"
        key_id = header.get("kid")
        if header.get("alg") != SIGNING_ALGORITHM:
            return "", "signing algorithm not allowed"
        if not isinstance(key_id, str) or not key_id:
            return "", "no key id"
        if claims.get("iss") not in self._issuers:
            return "", "issuer not allowed"
        return key_id, ""


def route_sdk_key_lookups(keys: SigningKeys) -> None:
    """Make the SDK's channel-token validation read `keys` instead of fetching with `requests`.

    The SDK keeps one metadata object per URL in a class-level cache; pointing its lookup at
    ours means it never fetches. Any other URL (emulator, skills, government clouds) gets
    an object with no keys: such tokens are refused, never fetched for.
    """
    ChannelValidation.open_id_metadata_endpoint = keys.metadata_url
    _KEYS_BY_URL[keys.metadata_url] = keys
    JwtTokenExtractor.get_open_id_metadata = staticmethod(_keys_for)  # type: ignore[method-assign]


class _NoKeys:
    async def get(self, key_id: str | None) -> None:
        return None


_NO_KEYS = _NoKeys()
# The SDK's lookup is process-wide; so is this, one entry per metadata URL.
_KEYS_BY_URL: dict[str, SigningKeys] = {}


def _keys_for(metadata_url: str) -> SigningKeys | _NoKeys:
    return _KEYS_BY_URL.get(metadata_url, _NO_KEYS)

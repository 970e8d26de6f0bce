"""A local stand-in for Microsoft's OpenID metadata and signing keys, holding a key of its own.

It serves `/.well-known/openidconfiguration` and the JWKS it points to, counts requests,
can hang (accept and never answer) to test that nothing waits on it, and mints Bot
Connector tokens signed with its key.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CHANNEL_ISSUER = "https://api.botframework.com"
KEY_ID = "test-signing-key"


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class FakeOpenId:
    def __init__(self) -> None:
        self.key = new_key()
        self.key_id = KEY_ID
        self.requests = 0
        self.hang = False
        self._released = asyncio.Event()
        self.base_url = ""

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/.well-known/openidconfiguration", self._metadata)
        app.router.add_get("/keys", self._keys)
        return app

    @property
    def metadata_url(self) -> str:
        return f"{self.base_url}/.well-known/openidconfiguration"

    def release(self) -> None:
        """Let hanging requests end (so the server can stop)."""
        self._released.set()

    async def _metadata(self, request: web.Request) -> web.Response:
        self.requests += 1
        if self.hang:
            await self._released.wait()
        return web.json_response({"issuer": CHANNEL_ISSUER, "jwks_uri": f"{self.base_url}/keys"})

    async def _keys(self, request: web.Request) -> web.Response:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update(kid=self.key_id, use="sig", endorsements=["msteams"])
        return web.json_response({"keys": [jwk]})

    def token(
        self,
        app_id: str,
        service_url: str,
        *,
        key: rsa.RSAPrivateKey | None = None,
        headers: dict[str, Any] | None = None,
        drop: tuple[str, ...] = (),
        **claims: Any,
    ) -> str:
        """A Bot Connector token as Teams' requests carry it; `claims` and `headers` override, `drop` removes."""
        now = int(time.time())
        payload: dict[str, Any] = {
            "iss": CHANNEL_ISSUER,
            "aud": app_id,
            "serviceurl": service_url,
            "nbf": now - 60,
            "exp": now + 3600,
        }
        payload.update(claims)
        for name in drop:
            payload.pop(name, None)
        header: dict[str, Any] = {"kid": self.key_id}
        header.update(headers or {})
        if header.get("kid") is None:
            header.pop("kid")
        return jwt.encode(payload, key or self.key, algorithm="RS256", headers=header)

"""Posting activities to the Bot Connector with aiohttp, for the outbox sender and for replies.

The SDK's connector client sends with `requests` in a thread pool, and signs each request on
the event loop (a token fetch there blocks the loop when MSAL's cache is empty). Here one
aiohttp session sends, with a connection pool sized to its users, and tokens are fetched in a
worker thread and kept a while. The request is the SDK's own: the same URL, headers and body
its `send_to_conversation` (or `reply_to_activity`) sends (the body serialised by `bot.wire`,
which gives what msrest gives, faster).
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import aiohttp
from botbuilder.schema import Activity
from botframework.connector.auth import AppCredentials

from bot.wire import to_wire

# A token from Entra lasts an hour or more; one kept this long is always still valid, and MSAL
# refreshes it itself when asked after that.
TOKEN_REUSE_SECONDS = 300.0


@dataclass(frozen=True, slots=True)
class Posted:
    status: int
    activity_id: str | None
    retry_after: str | None
    error_code: str | None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


class ReplyRefused(Exception):
    """The Bot Connector answered a turn's reply with an error."""

    def __init__(self, posted: Posted) -> None:
        super().__init__(f"the Bot Connector answered {posted.status} {posted.error_code or ''}".strip())
        self.posted = posted


class ConnectorHttp:
    """One aiohttp session for posts to the Bot Connector; open it with `async with`."""

    def __init__(self, concurrency: int, timeout_seconds: float) -> None:
        self._concurrency = concurrency
        self._timeout = aiohttp.ClientTimeout(total=timeout_seconds)
        self._session: aiohttp.ClientSession | None = None
        self._users = 0
        self._tokens: dict[tuple[str, str], tuple[str, float]] = {}

    @property
    def is_open(self) -> bool:
        return self._session is not None

    async def __aenter__(self) -> ConnectorHttp:
        self._users += 1
        if self._session is None:
            # A little more than its users' concurrency: the sender's chat openings share the pool.
            connector = aiohttp.TCPConnector(limit=self._concurrency + 4, limit_per_host=0)
            self._session = aiohttp.ClientSession(connector=connector, timeout=self._timeout)
        return self

    async def __aexit__(self, *_exc: Any) -> None:
        self._users -= 1
        if self._users == 0 and self._session is not None:
            await self._session.close()
            self._session = None

    async def post(
        self,
        credentials: AppCredentials | None,
        service_url: str,
        conversation_id: str,
        activity: Activity,
        *,
        reply_to: str | None = None,
        timeout: aiohttp.ClientTimeout | None = None,
    ) -> Posted:
        """POST the activity to the conversation (as a reply to `reply_to`, as the SDK's
        `reply_to_activity` does); Teams' answer (aiohttp.ClientError if none came)."""
        assert self._session is not None, "open ConnectorHttp with `async with` first"
        url = f"{service_url.rstrip('/')}/v3/conversations/{quote(conversation_id, safe='')}/activities"
        if reply_to:
            url += f"/{quote(reply_to, safe='')}"
        body = json.dumps(to_wire(activity), separators=(",", ":"))
        for attempt in range(2):
            headers = {"Accept": "application/json", "Content-Type": "application/json; charset=utf-8"}
            token = await self._token(credentials, refresh=attempt > 0)
            if token:
                headers["Authorization"] = f"Bearer {token}"
            async with self._session.post(url, data=body.encode(), headers=headers, timeout=timeout) as response:
                text = await response.text()
                if response.status == 401 and token and attempt == 0:
                    continue  # the token was refused (revoked, rotated secret): a fresh one, once
                return _posted(response.status, response.headers.get("Retry-After"), text)
        raise AssertionError("unreachable")

    async def download(
        self, credentials: AppCredentials | None, url: str, max_bytes: int, timeout: aiohttp.ClientTimeout
    ) -> bytes | None:
        """GET a file someone sent (Teams keeps it behind the Bot Connector, which wants the
        bot's token); None when it is larger than `max_bytes` or Teams did not give it."""
        if self._session is None:  # a turn run without the app's session (the SDK's own path)
            async with self:
                return await self.download(credentials, url, max_bytes, timeout)
        for attempt in range(2):
            token = await self._token(credentials, refresh=attempt > 0)
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            async with self._session.get(url, headers=headers, timeout=timeout) as response:
                if response.status == 401 and token and attempt == 0:
                    continue
                if response.status != 200 or (response.content_length or 0) > max_bytes:
                    return None
                body = await response.content.read(max_bytes + 1)
                return body if len(body) <= max_bytes else None
        return None

    async def _token(self, credentials: AppCredentials | None, *, refresh: bool) -> str | None:
        if credentials is None or not credentials.microsoft_app_id:
            return None  # anonymous local mode: the SDK sends no token either
        # One token per app and audience (the scope it was issued for).
        key = (credentials.microsoft_app_id, str(getattr(credentials, "oauth_scope", "")))
        now = time.monotonic()
        kept = self._tokens.get(key)
        if kept is not None and not refresh and now - kept[1] < TOKEN_REUSE_SECONDS:
            return kept[0]
        # MSAL may ask Entra over HTTP (blocking): never on the event loop.
        token = await asyncio.get_running_loop().run_in_executor(None, credentials.get_access_token, refresh)
        self._tokens[key] = (token, now)
        return token


def _posted(status: int, retry_after: str | None, text: str) -> Posted:
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        data = {}
    data = data if isinstance(data, dict) else {}
    error = data.get("error")
    code = error.get("code") if isinstance(error, dict) else None
    activity_id = data.get("id") if 200 <= status < 300 else None
    return Posted(status, activity_id if isinstance(activity_id, str) else None, retry_after, code)

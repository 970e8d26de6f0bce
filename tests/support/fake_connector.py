"""A local stand-in for the Bot Connector service.

It records every activity the bot sends and can be told to answer the next requests with
429 (and Retry-After), 403, 404 or 5xx, the way Teams does.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class SentActivity:
    conversation_id: str
    activity: dict[str, Any]
    reply_to_id: str | None = None

    @property
    def text(self) -> str | None:
        return self.activity.get("text")

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [
            attachment["content"]
            for attachment in self.activity.get("attachments") or []
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]


@dataclass
class Fault:
    status: int
    retry_after: float | None = None
    code: str = "Error"


# Microsoft Learn, "Optimize your bot: rate limiting" (written out again here on purpose:
# the fake must not share the bot's own limiter code, or a bug there would pass unseen).
APP_LIMIT_PER_SECOND = 50
CONVERSATION_WINDOWS = ((7, 1.0), (8, 2.0), (60, 30.0), (1800, 3600.0))


@dataclass
class FakeConnector:
    sent: list[SentActivity] = field(default_factory=list)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    created_conversations: list[dict[str, Any]] = field(default_factory=list)
    # Set `clock` (seconds) to enforce Teams' limits and answer 429 when they are exceeded.
    clock: Callable[[], float] | None = None
    app_limit_per_second: int = APP_LIMIT_PER_SECOND
    throttled: int = 0
    # Called with each accepted send; tests use it to stop the sender mid-way.
    on_send: Callable[[SentActivity], None] | None = None
    # Every accepted request's time (for analysis), and the last second's (for enforcement).
    _request_times: list[float] = field(default_factory=list)
    _last_second: deque[float] = field(default_factory=deque)
    _conversation_times: dict[str, list[float]] = field(default_factory=dict)
    latency: float = 0.0  # seconds each answer takes (real time), like a distant service
    _faults: deque[Fault] = field(default_factory=deque)
    # Files people sent (a pasted picture), served where Teams keeps them: `attachment_url`.
    attachments: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    attachment_requests: list[str | None] = field(default_factory=list)  # the Authorization header of each
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def fail_next(self, status: int, *, times: int = 1, retry_after: float | None = None, code: str = "Error") -> None:
        self._faults.extend(Fault(status, retry_after, code) for _ in range(times))

    def add_member(self, teams_user_id: str, *, email: str, upn: str | None = None, name: str = "") -> None:
        self.members[teams_user_id] = {
            "id": teams_user_id,
            "name": name,
            "email": email,
            "userPrincipalName": upn or email,
            "aadObjectId": None,
        }

    def sent_to(self, conversation_id: str) -> list[SentActivity]:
        return [sent for sent in self.sent if sent.conversation_id == conversation_id]

    def clear(self) -> None:
        self.sent.clear()
        self.requests.clear()

    # --- the HTTP side --------------------------------------------------------------------

    @staticmethod
    def _count_since(times: list[float], start: float) -> int:
        return sum(1 for moment in times if moment > start)

    def _over_limit(self, conversation_id: str | None) -> bool:
        """Would one more request now exceed a Teams limit? (Window = (now - length, now].)"""
        if self.clock is None:
            return False
        now = self.clock()
        while self._last_second and self._last_second[0] <= now - 1.0:
            self._last_second.popleft()
        if len(self._last_second) >= self.app_limit_per_second:
            return True
        times = self._conversation_times.get(conversation_id or "", [])
        return any(self._count_since(times, now - seconds) >= limit for limit, seconds in CONVERSATION_WINDOWS)

    def _admit(self, conversation_id: str | None) -> web.Response | None:
        """A 429 if the request breaks a limit, else None (and the request is counted)."""
        if self._over_limit(conversation_id):
            self.throttled += 1
            return web.json_response(
                {"error": {"code": "Throttled", "message": "rate limit exceeded"}},
                status=429,
                headers={"Retry-After": "1"},
            )
        if self.clock is not None:
            now = self.clock()
            self._request_times.append(now)
            self._last_second.append(now)
            if conversation_id:
                self._conversation_times.setdefault(conversation_id, []).append(now)
        return None

    def max_requests_in(self, seconds: float, conversation_id: str | None = None) -> int:
        """The most requests the fake accepted in any window of this length."""
        times = sorted(self._conversation_times.get(conversation_id, []) if conversation_id else self._request_times)
        best, start = 0, 0
        for end, moment in enumerate(times):
            while times[start] <= moment - seconds:
                start += 1
            best = max(best, end - start + 1)
        return best

    def _fault_response(self) -> web.Response | None:
        if not self._faults:
            return None
        fault = self._faults.popleft()
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
        return web.json_response(
            {"error": {"code": fault.code, "message": f"fake connector answered {fault.status}"}},
            status=fault.status,
            headers=headers,
        )

    async def _send(self, request: web.Request) -> web.Response:
        self.requests.append((request.method, request.path))
        if self.latency:
            await asyncio.sleep(self.latency)
        conversation_id = request.match_info["conversation_id"]
        if (fault := self._fault_response() or self._admit(conversation_id)) is not None:
            return fault
        payload = await request.json()
        sent = SentActivity(conversation_id, payload, request.match_info.get("activity_id"))
        self.sent.append(sent)
        if self.on_send is not None:
            self.on_send(sent)
        return web.json_response({"id": f"sent-{next(self._ids)}"})

    def add_attachment(self, attachment_id: str, content_type: str, body: bytes) -> str:
        """Keep a file as Teams does when someone pastes it; the path it is served at."""
        self.attachments[attachment_id] = (content_type, body)
        return f"/v3/attachments/{attachment_id}/views/original"

    async def _get_attachment(self, request: web.Request) -> web.Response:
        self.attachment_requests.append(request.headers.get("Authorization"))
        found = self.attachments.get(request.match_info["attachment_id"])
        if found is None:
            return web.json_response({"error": {"code": "NotFound", "message": "no"}}, status=404)
        return web.Response(body=found[1], content_type=found[0])

    async def _get_member(self, request: web.Request) -> web.Response:
        self.requests.append((request.method, request.path))
        if (fault := self._fault_response()) is not None:
            return fault
        member = self.members.get(request.match_info["member_id"])
        if member is None:
            return web.json_response({"error": {"code": "MemberNotFoundInConversation", "message": "no"}}, status=404)
        return web.json_response(member)

    async def _create_conversation(self, request: web.Request) -> web.Response:
        self.requests.append((request.method, request.path))
        if (fault := self._fault_response() or self._admit(None)) is not None:
            return fault
        self.created_conversations.append(await request.json())
        return web.json_response({"id": f"a:created-{next(self._ids)}", "activityId": None})

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation_id}/activities", self._send)
        app.router.add_post("/v3/conversations/{conversation_id}/activities/{activity_id}", self._send)
        app.router.add_get("/v3/conversations/{conversation_id}/members/{member_id}", self._get_member)
        app.router.add_post("/v3/conversations", self._create_conversation)
        app.router.add_get("/v3/attachments/{attachment_id}/views/{view}", self._get_attachment)
        return app

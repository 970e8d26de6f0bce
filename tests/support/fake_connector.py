"""A local stand-in for the Bot Connector service.

It records every activity the bot sends and can be told to answer the next requests with
429 (and Retry-After), 403, 404 or 5xx, the way Teams does.
"""

from __future__ import annotations

import itertools
from collections import deque
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


@dataclass
class FakeConnector:
    sent: list[SentActivity] = field(default_factory=list)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    _faults: deque[Fault] = field(default_factory=deque)
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
        if (fault := self._fault_response()) is not None:
            return fault
        payload = await request.json()
        conversation_id = request.match_info["conversation_id"]
        self.sent.append(SentActivity(conversation_id, payload, request.match_info.get("activity_id")))
        return web.json_response({"id": f"sent-{next(self._ids)}"})

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
        if (fault := self._fault_response()) is not None:
            return fault
        return web.json_response({"id": f"a:created-{next(self._ids)}", "activityId": None})

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation_id}/activities", self._send)
        app.router.add_post("/v3/conversations/{conversation_id}/activities/{activity_id}", self._send)
        app.router.add_get("/v3/conversations/{conversation_id}/members/{member_id}", self._get_member)
        app.router.add_post("/v3/conversations", self._create_conversation)
        return app

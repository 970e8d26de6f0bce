"""Dynamics 365 / Dataverse and its Entra sign-in, as a local HTTPS server a test starts.

It answers what the verifier asks: OpenID discovery and the client-credentials token
(Entra), then the Web API's `systemusers` and record queries, with a small OData filter
evaluator for the shapes hunts use (`and`, parentheses, `contains`, `eq`, `ne`, `ge`, `le`).
Like the real service it wants a bearer token, and it can answer 429 with `Retry-After`
(service protection limits) or a 5xx for the next requests.
"""

from __future__ import annotations

import re
import secrets
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from aiohttp import web

TENANT = "contoso-tenant"
CLIENT_ID = "hunts-verifier"
CLIENT_SECRET = "s3cret"


@dataclass
class FakeDataverse:
    base_url: str = ""
    users: list[dict[str, Any]] = field(default_factory=list)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Statuses to answer the next Web API requests with, before answering normally.
    refusals: deque[tuple[int, str | None]] = field(default_factory=deque)
    requests: list[str] = field(default_factory=list)
    tokens_issued: int = 0
    _tokens: set[str] = field(default_factory=set)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get(f"/{TENANT}/v2.0/.well-known/openid-configuration", self._discovery)
        app.router.add_post(f"/{TENANT}/oauth2/v2.0/token", self._token)
        app.router.add_get("/api/data/v9.2/{table}", self._query)
        return app

    def add_user(self, systemuserid: str, aad_object_id: str, domainname: str) -> None:
        self.users.append(
            {"systemuserid": systemuserid, "azureactivedirectoryobjectid": aad_object_id, "domainname": domainname}
        )

    def add(self, table: str, **record: Any) -> None:
        self.tables.setdefault(table, []).append(record)

    def throttle(self, times: int = 1, retry_after: str = "1") -> None:
        self.refusals.extend([(429, retry_after)] * times)

    async def _discovery(self, request: web.Request) -> web.Response:
        root = f"{self.base_url}/{TENANT}"
        return web.json_response(
            {
                "issuer": f"{root}/v2.0",
                "authorization_endpoint": f"{root}/oauth2/v2.0/authorize",
                "token_endpoint": f"{root}/oauth2/v2.0/token",
            }
        )

    async def _token(self, request: web.Request) -> web.Response:
        form = await request.post()
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return web.json_response({"error": "invalid_client", "error_description": "AADSTS7000215"}, status=401)
        if form.get("grant_type") != "client_credentials" or not str(form.get("scope", "")).endswith("/.default"):
            return web.json_response({"error": "invalid_request"}, status=400)
        token = secrets.token_hex(16)
        self._tokens.add(token)
        self.tokens_issued += 1
        return web.json_response({"token_type": "Bearer", "expires_in": 3599, "access_token": token})

    async def _query(self, request: web.Request) -> web.Response:
        self.requests.append(request.path_qs)
        if request.headers.get("Authorization", "").removeprefix("Bearer ") not in self._tokens:
            return web.json_response({"error": {"code": "0x80072030", "message": "no token"}}, status=401)
        if self.refusals:
            status, retry_after = self.refusals.popleft()
            headers = {"Retry-After": retry_after} if retry_after else {}
            body = {"error": {"code": "0x80072322", "message": "Number of requests exceeded the limit"}}
            return web.json_response(body, status=status, headers=headers)
        table = request.match_info["table"]
        rows = self.users if table == "systemusers" else self.tables.get(table, [])
        wanted = request.query.get("$filter", "")
        found = [row for row in rows if matches(wanted, row)] if wanted else list(rows)
        top = int(request.query.get("$top", "0") or 0)
        return web.json_response({"value": found[:top] if top else found})


_CLAUSE = re.compile(r"^(?P<field>\w+) (?P<op>eq|ne|ge|le) (?P<value>.+)$")
_CONTAINS = re.compile(r"^contains\((?P<field>\w+),'(?P<value>(?:[^']|'')*)'\)$")


def matches(expression: str, row: dict[str, Any]) -> bool:
    return all(_clause(part, row) for part in _split_and(expression.strip()))


def _split_and(expression: str) -> list[str]:
    parts, depth, start, index = [], 0, 0, 0
    while index < len(expression):
        character = expression[index]
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth == 0 and expression.startswith(" and ", index):
            parts.append(expression[start:index])
            start = index = index + 5
            continue
        index += 1
    parts.append(expression[start:])
    return [part.strip() for part in parts]


def _clause(clause: str, row: dict[str, Any]) -> bool:
    if clause.startswith("(") and clause.endswith(")"):
        return matches(clause[1:-1], row)
    found = _CONTAINS.match(clause)
    if found:
        return found["value"].replace("''", "'").lower() in str(row.get(found["field"]) or "").lower()
    found = _CLAUSE.match(clause)
    if not found:
        raise ValueError(f"the fake Dataverse cannot read {clause!r}")
    actual, op, literal = row.get(found["field"]), found["op"], found["value"]
    expected = _literal(literal)
    if op == "eq":
        return actual == expected
    if op == "ne":
        return actual != expected
    moment = datetime.fromisoformat(str(actual).replace("Z", "+00:00")) if actual else None
    limit = datetime.fromisoformat(literal.replace("Z", "+00:00"))
    return moment is not None and (moment >= limit if op == "ge" else moment <= limit)


def _literal(text: str) -> Any:
    if text == "null":
        return None
    if text in ("true", "false"):
        return text == "true"
    if text.startswith("'") and text.endswith("'"):
        return text[1:-1].replace("''", "'")
    return text  # a GUID

"""The thin HTTP edge: /api/messages and /healthz.

It only turns HTTP into an Activity and back. It deserialises the activity and writes the
invoke response itself because botbuilder 4.17's `CloudAdapter.process()` serialises invoke
bodies twice and answers 500 to every Action.Execute and expectReplies request.
"""

from __future__ import annotations

import asyncio
import logging
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from botbuilder.core import Bot
from botframework.connector.auth import AuthenticateRequestResult, BotFrameworkAuthentication
from sqlalchemy.exc import SQLAlchemyError

from bot.auth import RETRY_UNAVAILABLE_AFTER, TokenGate, Verdict
from bot.budget import BudgetedCloudAdapter
from bot.edge import parse_activity
from bot.files import FileLinks
from bot.my_data import EXPORT_PATH, PUBLIC_ORIGIN, MyData, origin_of
from config import is_loopback_host
from storage.database import Database
from storage.links import FILE_PATH
from storage.migrations import current_revision
from storage.write_behind import WriteBehind

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024


class BotEndpoint:
    """Everything /api/messages needs, kept under one AppKey."""

    def __init__(
        self,
        adapter: BudgetedCloudAdapter,
        authentication: BotFrameworkAuthentication,
        bot: Bot,
        *,
        gate: TokenGate | None,
        my_data: MyData,
        files: FileLinks,
        write_behind: WriteBehind,
    ) -> None:
        # Its budget (Teams' per app, shared by the replies and the outbox sender) and its HTTP
        # client for replies (open while the app serves) go with it.
        self.adapter = adapter
        self.authentication = authentication
        self.bot = bot
        # None in anonymous local mode, where nothing is authenticated.
        self.gate = gate
        # Serves the signed download links that `my data` hands out.
        self.my_data = my_data
        # Serves the signed links to files features keep (a hunt's evidence picture).
        self.files = files
        # What turns hand over to be written together (the app runs and finally flushes it).
        self.write_behind = write_behind

    @property
    def anonymous(self) -> bool:
        return self.gate is None


BOT_ENDPOINT = web.AppKey("bot_endpoint", BotEndpoint)
DATABASE = web.AppKey("database", Database)
VERSION = web.AppKey("version", str)


def _problem(status: HTTPStatus, detail: str) -> web.Response:
    return web.json_response({"error": status.phrase, "detail": detail}, status=int(status))


def _jsonable(body: Any) -> Any:
    serialize = getattr(body, "serialize", None)
    return serialize() if callable(serialize) else body


async def handle_messages(request: web.Request) -> web.StreamResponse:
    endpoint = request.app[BOT_ENDPOINT]
    if request.content_type != "application/json":
        return _problem(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send the activity as application/json")
    if request.headers.get("Content-Encoding", "identity").strip().lower() not in ("", "identity"):
        # The server does not decompress (see create_app): the Bot Connector never compresses.
        return _problem(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send the activity without a Content-Encoding")
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        return _problem(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"activities are limited to {MAX_BODY_BYTES} bytes")
    try:
        body = await request.read()
    except web.HTTPRequestEntityTooLarge:
        return _problem(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"activities are limited to {MAX_BODY_BYTES} bytes")
    parsed = parse_activity(body)
    if isinstance(parsed, str):
        return _problem(HTTPStatus.BAD_REQUEST, parsed)
    activity = parsed
    if endpoint.anonymous and not is_loopback_host(urlsplit(activity.service_url).hostname or ""):
        # Without authentication anyone could make the bot post to any URL.
        return _problem(HTTPStatus.BAD_REQUEST, "in anonymous local mode the serviceUrl must be a loopback address")

    auth_header = request.headers.get("Authorization", "")
    if endpoint.gate is None:
        try:
            authenticated: AuthenticateRequestResult = await endpoint.authentication.authenticate_request(
                activity, auth_header
            )
        except Exception as error:
            log.info("rejected a request in anonymous mode: %s", error.__class__.__name__)
            return _problem(HTTPStatus.UNAUTHORIZED, "missing or invalid Bot Framework token")
    else:
        result = await endpoint.gate.authenticate(activity, auth_header)
        if result.verdict is Verdict.KEYS_UNAVAILABLE:
            log.warning("refused a request: the Bot Connector's signing keys are unavailable")
            response = _problem(HTTPStatus.SERVICE_UNAVAILABLE, "cannot check tokens right now; try again shortly")
            response.headers["Retry-After"] = str(RETRY_UNAVAILABLE_AFTER)
            return response
        if result.authenticated is None:
            log.info("rejected unauthenticated request: %s", result.reason)
            return _problem(HTTPStatus.UNAUTHORIZED, "missing or invalid Bot Framework token")
        authenticated = result.authenticated

    PUBLIC_ORIGIN.set(origin_of(request))  # for links back to the bot (`my data`)
    invoke_response = await endpoint.adapter.process_activity(authenticated, activity, endpoint.bot.on_turn)
    if invoke_response is None:
        return web.Response(status=int(HTTPStatus.OK))
    body_out = _jsonable(invoke_response.body)
    if body_out is None:
        return web.Response(status=invoke_response.status)
    return web.json_response(body_out, status=invoke_response.status)


async def handle_health(request: web.Request) -> web.Response:
    database = request.app[DATABASE]
    loop = asyncio.get_running_loop()
    reachable = await loop.run_in_executor(None, database.ping)
    revision: str | None = None
    if reachable:
        try:
            revision = await loop.run_in_executor(None, current_revision, database.engine)
        except SQLAlchemyError:
            log.warning("could not read the schema revision", exc_info=True)
    status = HTTPStatus.OK if reachable else HTTPStatus.SERVICE_UNAVAILABLE
    return web.json_response(
        {
            "status": "ok" if reachable else "unavailable",
            "database": {"backend": database.backend, "reachable": reachable, "schema_revision": revision},
            "version": request.app[VERSION],
        },
        status=int(status),
    )


async def handle_my_data_download(request: web.Request) -> web.StreamResponse:
    return await request.app[BOT_ENDPOINT].my_data.download(request)


async def handle_file_download(request: web.Request) -> web.StreamResponse:
    return await request.app[BOT_ENDPOINT].files.download(request)


def add_routes(app: web.Application) -> None:
    app.router.add_post("/api/messages", handle_messages)
    app.router.add_get("/healthz", handle_health)
    app.router.add_get(EXPORT_PATH, handle_my_data_download)
    app.router.add_get(FILE_PATH, handle_file_download)

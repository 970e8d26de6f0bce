"""What an incoming activity must look like before the SDK, the middleware and features see it.

Bodies come from the network: anything the Bot Connector would never send is refused with
a reason (400), and fields that are merely odd are dropped or trimmed, so that no turn fails
on them. The limits match the columns the platform stores these values in.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

from botbuilder.schema import Activity
from msrest.exceptions import DeserializationError
from yarl import URL

from bot.wire import from_wire

# Teams activities nest a dozen levels at most (a card's data inside value inside the activity).
MAX_JSON_DEPTH = 64
MAX_SERVICE_URL = 1024
MAX_CONVERSATION_ID = 512
MAX_CHANNEL_ID = 64
MAX_TENANT_ID = 64
MAX_USER_ID = 256
MAX_ACTIVITY_ID = 256
MAX_AAD_OBJECT_ID = 64
MAX_LOCALE = 16
MAX_NAME = 256
TEXT_FIELDS = ("name", "text", "action", "deliveryMode", "textFormat", "summary", "inputHint")
SYNTHETIC_EVENTS = frozenset({"ContinueConversation", "CreateConversation"})
_ID = re.compile(r"[A-Za-z0-9:@;=._\-|,+!*'()~$&]+")
# Lone surrogates (no database or UTF-8 encoder takes them) and NUL (PostgreSQL text refuses it).
_UNSTORABLE = re.compile("[\ud800-\udfff\x00]")


def parse_activity(body: bytes) -> Activity | str:
    """The activity, cleaned; or the reason it is not one."""
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return f"body is not valid JSON ({error.__class__.__name__})"
    except (ValueError, RecursionError):
        # An integer too long to convert, or nesting deeper than the parser recurses.
        return "body is not JSON the bot can read (a number too long, or nested too deep)"
    if not isinstance(payload, dict):
        return "body must be a JSON object (an Activity)"
    if _depth_over(payload, MAX_JSON_DEPTH):
        return f"body nests deeper than {MAX_JSON_DEPTH} levels"
    payload = _storable(payload)
    problem = _shape_problem(payload)
    if problem:
        return problem
    _drop_odd_fields(payload)
    try:
        activity = from_wire(payload)
    except (DeserializationError, TypeError, ValueError, AttributeError):
        return "body is not a valid Activity"
    if not isinstance(activity.type, str) or not activity.type:
        return "activity has no type"
    return activity


def service_url_problem(service_url: object) -> str:
    """Why a serviceUrl is not one the bot will post to ("" when it is).

    The host checked must be the host connected to: a backslash, userinfo ("user@host") or
    whitespace make URL parsers disagree about it, and Teams never sends them.
    """
    if not isinstance(service_url, str) or len(service_url) > MAX_SERVICE_URL:
        return "activity has no valid serviceUrl"
    if any(character in service_url for character in "\\@ ") or not service_url.isprintable():
        return "activity has no valid serviceUrl"
    try:
        parts = urlsplit(service_url)
        host = URL(service_url).host
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        return "activity has no valid serviceUrl"
    if parts.scheme not in ("http", "https") or not host or host != parts.hostname:
        return "activity has no valid serviceUrl"
    return ""


# --- refused -----------------------------------------------------------------------------


def _shape_problem(payload: dict[str, Any]) -> str:
    # msrest would quietly turn a number into a string; check the raw shape first.
    if not isinstance(payload.get("type"), str) or not payload["type"]:
        return "activity type must be a string"
    conversation = payload.get("conversation")
    if not isinstance(conversation, dict):
        return "activity has no conversation"
    if not _id(conversation.get("id"), MAX_CONVERSATION_ID):
        return "activity has no conversation id (or one too long)"
    if not _id(payload.get("channelId"), MAX_CHANNEL_ID):
        return "activity has no channelId (or one too long)"
    problem = service_url_problem(payload.get("serviceUrl"))
    if problem:
        return problem
    for name in TEXT_FIELDS:
        if payload.get(name) is not None and not isinstance(payload[name], str):
            return f"activity {name} must be a string"
    if payload["type"] == "event" and payload.get("name") in SYNTHETIC_EVENTS:
        # The SDK's own proactive turns carry these names and skip the tenant gate; no
        # request may claim to be one.
        return "that event name is reserved"
    for name, limit in (("id", MAX_ACTIVITY_ID), ("replyToId", MAX_ACTIVITY_ID)):
        if name in payload and payload[name] is not None and not _id(payload[name], limit):
            return f"activity {name} must be printable ASCII of at most {limit} characters"
    for name in ("from", "recipient"):
        account = payload.get(name)
        if account is None:
            continue
        if not isinstance(account, dict) or not _id(account.get("id"), MAX_USER_ID):
            return f"activity {name} must have an id of at most {MAX_USER_ID} ASCII characters"
    for name in ("entities", "membersAdded", "membersRemoved", "attachments"):
        if payload.get(name) is not None and not isinstance(payload[name], list):
            return f"activity {name} must be a list"
    tenants = [conversation.get("tenantId"), _dict(_dict(payload.get("channelData")).get("tenant")).get("id")]
    for tenant in tenants:
        if tenant is not None and not _id(tenant, MAX_TENANT_ID):
            return f"a tenant id must be printable ASCII of at most {MAX_TENANT_ID} characters"
    return ""


# --- dropped or trimmed ------------------------------------------------------------------


def _drop_odd_fields(payload: dict[str, Any]) -> None:
    """Fields no Teams activity carries in this shape are dropped; names are trimmed."""
    for name in ("from", "recipient"):
        account = payload.get(name)
        if isinstance(account, dict):
            _clean_account(account)
    conversation = payload["conversation"]
    _trim(conversation, "name", MAX_NAME)
    if not _short_text(payload.get("locale"), MAX_LOCALE):
        payload.pop("locale", None)
    for name in ("membersAdded", "membersRemoved"):
        if isinstance(payload.get(name), list):
            members = payload[name]
            payload[name] = [
                _clean_account(m) for m in members if isinstance(m, dict) and _id(m.get("id"), MAX_USER_ID)
            ]
    if isinstance(payload.get("entities"), list):
        payload["entities"] = [entity for entity in payload["entities"] if _usable_entity(entity)]
    # The SDK's Teams handler reads channelData as an object on every turn: one is always there.
    payload["channelData"] = _clean_channel_data(payload.get("channelData"))


def _clean_account(account: dict[str, Any]) -> dict[str, Any]:
    if not _short_text(account.get("aadObjectId"), MAX_AAD_OBJECT_ID):
        account.pop("aadObjectId", None)
    if not isinstance(account.get("name"), str):
        account.pop("name", None)
    _trim(account, "name", MAX_NAME)
    return account


def _usable_entity(entity: object) -> bool:
    if not isinstance(entity, dict) or not isinstance(entity.get("type"), str):
        return False
    if entity["type"] == "mention":
        mentioned = entity.get("mentioned")
        return isinstance(mentioned, dict) and _id(mentioned.get("id"), MAX_USER_ID)
    return True


def _clean_channel_data(channel_data: object) -> dict[str, Any]:
    if not isinstance(channel_data, dict):
        return {}
    for name in ("team", "channel", "tenant"):
        if name not in channel_data:
            continue
        part = channel_data[name]
        if not isinstance(part, dict) or not _id(part.get("id"), MAX_CONVERSATION_ID):
            channel_data.pop(name)
            continue
        if not isinstance(part.get("name", ""), str):
            part.pop("name")
        _trim(part, "name", MAX_NAME)
    return channel_data


# --- small helpers -----------------------------------------------------------------------


def _short_text(value: object, limit: int = MAX_USER_ID) -> bool:
    return isinstance(value, str) and 0 < len(value) <= limit


def _id(value: object, limit: int) -> bool:
    """Teams ids ("29:1a…", "19:…@thread.tacv2;messageid=…") use a few URL-safe characters, and the
    bot puts them in URL paths when it replies: anything else ("/", "?", "{", "%", spaces) is refused."""
    return (
        isinstance(value, str)
        and len(value) <= limit
        and _ID.fullmatch(value) is not None
        # "." and ".." are path segments that URL normalisation removes.
        and value.strip(".") != ""
    )


def _trim(container: dict[str, Any], key: str, limit: int) -> None:
    value = container.get(key)
    if isinstance(value, str) and len(value) > limit:
        container[key] = value[:limit]


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _depth_over(value: Any, limit: int) -> bool:
    """Whether JSON nests deeper than `limit` (iterative: a deep body cannot exhaust the stack)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return False


def _storable(value: Any) -> Any:
    """JSON may carry "\\udfff" or "\\u0000", which no database stores as text: each becomes U+FFFD."""
    if isinstance(value, str):
        return _UNSTORABLE.sub("\ufffd", value) if _UNSTORABLE.search(value) else value
    if isinstance(value, list):
        return [_storable(item) for item in value]
    if isinstance(value, dict):
        return {_storable(key): _storable(item) for key, item in value.items()}
    return value

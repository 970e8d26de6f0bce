"""Reading Teams activities into the program's terms."""

from __future__ import annotations

import html
import mimetypes
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.schema import Activity

from bot.wire import to_wire
from domain.identity import UserIdentity
from domain.ports import ConversationKind
from domain.turn import SentFile
from storage.repositories import ConversationSnapshot

# Replies in a channel thread carry ";messageid=..." on the conversation id; proactive
# posts go to the channel itself.
THREAD_SUFFIX = ";messageid="


def channel_data(activity: Activity) -> dict[str, Any]:
    data = activity.channel_data
    return data if isinstance(data, dict) else {}


def tenant_id_of(activity: Activity) -> str | None:
    tenant = channel_data(activity).get("tenant")
    if isinstance(tenant, dict) and isinstance(tenant.get("id"), str):
        return tenant["id"].lower()
    # Teams writes conversation.tenantId; the SDK's model maps "tenantID", so read both.
    conversation = activity.conversation
    extra = getattr(conversation, "additional_properties", None) or {}
    for candidate in (getattr(conversation, "tenant_id", None), extra.get("tenantId")):
        if isinstance(candidate, str) and candidate:
            return candidate.lower()
    return None


def conversation_kind(activity: Activity) -> ConversationKind:
    kind = getattr(activity.conversation, "conversation_type", None)
    try:
        return ConversationKind(kind) if kind else ConversationKind.PERSONAL
    except ValueError:
        return ConversationKind.PERSONAL


def base_conversation_id(conversation_id: str) -> str:
    return conversation_id.split(THREAD_SUFFIX, 1)[0]


def conversation_snapshot(activity: Activity) -> ConversationSnapshot:
    reference = TurnContext.get_conversation_reference(activity)
    conversation_id = base_conversation_id(activity.conversation.id)
    reference.conversation.id = conversation_id
    reference.activity_id = None
    team = channel_data(activity).get("team")
    team = team if isinstance(team, dict) else {}
    return ConversationSnapshot(
        id=conversation_id,
        kind=conversation_kind(activity),
        channel_id=activity.channel_id or "",
        service_url=activity.service_url,
        tenant_id=tenant_id_of(activity),
        reference=to_wire(reference),
        team_id=team.get("id") if isinstance(team.get("id"), str) else None,
        team_name=team.get("name") if isinstance(team.get("name"), str) else None,
    )


def identity_of(activity: Activity) -> UserIdentity | None:
    sender = activity.from_property
    if sender is None or not sender.id:
        return None
    return UserIdentity(
        teams_user_id=sender.id,
        display_name=(sender.name or "")[:256],
        aad_object_id=(sender.aad_object_id or "").lower() or None,
        tenant_id=tenant_id_of(activity),
        locale=activity.locale[:16] if isinstance(activity.locale, str) else None,
        timezone=_valid_timezone(getattr(activity, "local_timezone", None)),
    )


def _valid_timezone(value: object) -> str | None:
    return value[:64] if isinstance(value, str) and "/" in value else None


def command_text(activity: Activity) -> str:
    """The message text without the bot's @mention and HTML entities."""
    text = TurnContext.remove_recipient_mention(activity) if activity.entities else activity.text
    return html.unescape(text or "").strip()


def mentioned_people(activity: Activity) -> list[tuple[str, str]]:
    """(Teams user id, name) of the people @mentioned in the message, other than the bot."""
    bot_id = activity.recipient.id if activity.recipient else None
    people = []
    for entity in TurnContext.get_mentions(activity):
        # Entities arrive as generic objects: the mention's fields are additional properties.
        properties = getattr(entity, "additional_properties", None) or {}
        mentioned = getattr(entity, "mentioned", None) or properties.get("mentioned")
        if not mentioned:
            continue
        mentioned_id = mentioned.get("id") if isinstance(mentioned, dict) else getattr(mentioned, "id", None)
        name = mentioned.get("name") if isinstance(mentioned, dict) else getattr(mentioned, "name", "")
        if mentioned_id and mentioned_id != bot_id:
            people.append((mentioned_id, name or ""))
    return people


FILE_DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"


def sent_files(activity: Activity) -> list[SentFile]:
    """The pictures and files in a message. Teams sends a pasted picture as an attachment whose
    content URL is on the Bot Connector, and a file attached in a personal chat as download
    info with a short-lived, pre-authorised URL (its HTML copy and any cards are not files)."""
    files = []
    for item in activity.attachments or []:
        content_type, url, name = str(item.content_type or ""), item.content_url, str(item.name or "")[:200]
        content = item.content if isinstance(item.content, dict) else {}
        if content_type.startswith("image/") and isinstance(url, str) and url:
            files.append(SentFile(name or "image", content_type[:100], url))
        elif content_type == FILE_DOWNLOAD_INFO and isinstance(content.get("downloadUrl"), str):
            guessed = mimetypes.guess_type(name)[0] or "application/octet-stream"
            files.append(SentFile(name or "file", guessed, content["downloadUrl"]))
    return files


def bot_was_added(activity: Activity) -> bool:
    recipient_id = activity.recipient.id if activity.recipient else None
    return any(member.id == recipient_id for member in activity.members_added or [])


def is_sender_turn(activity: Activity) -> bool:
    """The synthetic turns the SDK runs for continue_conversation / create_conversation."""
    return activity.type == "event" and activity.name in ("ContinueConversation", "CreateConversation")

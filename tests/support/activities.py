"""Teams-shaped activities, as the Bot Connector posts them to /api/messages."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

BOT_ID = "28:champion-circle-bot"
BOT_NAME = "Champion Circle"
TENANT = "11111111-2222-3333-4444-555555555555"
_ids = itertools.count(1_700_000_000_000)


@dataclass(frozen=True)
class TeamsUser:
    teams_user_id: str
    name: str
    aad_object_id: str
    locale: str = "en-US"

    @property
    def personal_conversation_id(self) -> str:
        return f"a:personal-{self.teams_user_id}"

    def account(self) -> dict[str, Any]:
        return {"id": self.teams_user_id, "name": self.name, "aadObjectId": self.aad_object_id}


ALICE = TeamsUser("29:alice", "Alice Rossi", "aaaaaaaa-0000-0000-0000-000000000001", "it-IT")
BOB = TeamsUser("29:bob", "Bob Smith", "bbbbbbbb-0000-0000-0000-000000000002")
CHAI = TeamsUser("29:chai", "Chai Wongsakul", "cccccccc-0000-0000-0000-000000000003", "th-TH")
LEAD = TeamsUser("29:lead", "Lena Lead", "dddddddd-0000-0000-0000-000000000004")

TEAM_ID = "19:team-general@thread.tacv2"
TEAM_NAME = "Sales Italy"


class ActivityFactory:
    def __init__(self, service_url: str, tenant_id: str = TENANT) -> None:
        self.service_url = service_url
        self.tenant_id = tenant_id

    def _base(self, activity_type: str, user: TeamsUser, conversation: dict[str, Any], **extra: Any) -> dict[str, Any]:
        activity = {
            "type": activity_type,
            "id": str(next(_ids)),
            "timestamp": "2026-11-22T09:00:00.000Z",
            "serviceUrl": self.service_url,
            "channelId": "msteams",
            "from": user.account(),
            "conversation": {"tenantId": self.tenant_id, **conversation},
            "recipient": {"id": BOT_ID, "name": BOT_NAME},
            "locale": user.locale,
            "channelData": {"tenant": {"id": self.tenant_id}},
        }
        activity.update(extra)
        return activity

    @staticmethod
    def personal(user: TeamsUser) -> dict[str, Any]:
        return {"conversationType": "personal", "id": user.personal_conversation_id}

    @staticmethod
    def channel(thread_message_id: str | None = None) -> dict[str, Any]:
        conversation_id = TEAM_ID if thread_message_id is None else f"{TEAM_ID};messageid={thread_message_id}"
        return {"conversationType": "channel", "id": conversation_id, "isGroup": True}

    def message(self, user: TeamsUser, text: str, **extra: Any) -> dict[str, Any]:
        return self._base("message", user, self.personal(user), text=text, textFormat="plain", **extra)

    def channel_mention(self, user: TeamsUser, text: str, thread_message_id: str | None = "1700") -> dict[str, Any]:
        mention = f"<at>{BOT_NAME}</at>"
        activity = self._base(
            "message",
            user,
            self.channel(thread_message_id),
            text=f"{mention} {text}",
            entities=[{"type": "mention", "text": mention, "mentioned": {"id": BOT_ID, "name": BOT_NAME}}],
        )
        activity["channelData"].update(
            {
                "teamsChannelId": TEAM_ID,
                "teamsTeamId": TEAM_ID,
                "team": {"id": TEAM_ID, "name": TEAM_NAME},
                "channel": {"id": TEAM_ID},
            }
        )
        return activity

    def card_submit(self, user: TeamsUser, value: dict[str, Any]) -> dict[str, Any]:
        return self._base("message", user, self.personal(user), value=value)

    def action_execute(self, user: TeamsUser, verb: str, data: dict[str, Any]) -> dict[str, Any]:
        return self._base(
            "invoke",
            user,
            self.personal(user),
            name="adaptiveCard/action",
            value={"action": {"type": "Action.Execute", "verb": verb, "data": data}, "trigger": "manual"},
        )

    def installation_update(self, user: TeamsUser, action: str = "add", *, team: bool = False) -> dict[str, Any]:
        conversation = self.channel() if team else self.personal(user)
        activity = self._base("installationUpdate", user, conversation, action=action)
        if team:
            activity["channelData"]["team"] = {"id": TEAM_ID, "name": TEAM_NAME}
        return activity

    def members_added(self, user: TeamsUser, *, team: bool = False, include_bot: bool = True) -> dict[str, Any]:
        conversation = self.channel() if team else self.personal(user)
        added = [{"id": BOT_ID}] if include_bot else []
        added.append({"id": user.teams_user_id, "aadObjectId": user.aad_object_id})
        activity = self._base("conversationUpdate", user, conversation, membersAdded=added)
        if team:
            activity["channelData"].update({"eventType": "teamMemberAdded", "team": {"id": TEAM_ID, "name": TEAM_NAME}})
        return activity

    def members_removed(self, user: TeamsUser, *, team: bool = False) -> dict[str, Any]:
        conversation = self.channel() if team else self.personal(user)
        activity = self._base("conversationUpdate", user, conversation, membersRemoved=[{"id": BOT_ID}])
        if team:
            activity["channelData"].update(
                {"eventType": "teamMemberRemoved", "team": {"id": TEAM_ID, "name": TEAM_NAME}}
            )
        return activity

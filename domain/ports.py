"""What the domain needs from storage, as small Protocols.

Storage implements them on one database session; the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from domain.identity import UserIdentity
from domain.roles import ChampionStatus


class ConversationKind(StrEnum):
    PERSONAL = "personal"
    CHANNEL = "channel"
    GROUP_CHAT = "groupChat"


class MemberStore(Protocol):
    def record_seen(
        self, identity: UserIdentity, at: datetime, personal_conversation_id: str | None = None
    ) -> UserIdentity:
        """Create or refresh the member; return the identity completed with what is stored."""
        ...

    def needs_profile(self, teams_user_id: str) -> bool:
        """True until the member's email/UPN were looked up once."""
        ...

    def save_profile(
        self,
        teams_user_id: str,
        email: str | None,
        user_principal_name: str | None,
        at: datetime,
        display_name: str | None = None,
    ) -> None: ...


class ChampionStore(Protocol):
    def status_of(self, teams_user_id: str) -> ChampionStatus | None: ...

    def count_by_status(self) -> Mapping[ChampionStatus, int]: ...


class ConversationStore(Protocol):
    def claim_introduction(self, conversation_id: str, at: datetime) -> bool:
        """Mark the conversation introduced; True only for the first caller."""
        ...

    def count_installed(self) -> Mapping[ConversationKind, int]: ...


class MemberCounter(Protocol):
    def count_members(self) -> int: ...

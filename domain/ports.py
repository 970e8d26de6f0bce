"""What the domain needs from storage, as small Protocols.

Storage implements them on one database session; the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from domain.identity import UserIdentity
from domain.people import Unit, Workplace
from domain.roles import ChampionStatus, Role


class ConversationKind(StrEnum):
    PERSONAL = "personal"
    CHANNEL = "channel"
    GROUP_CHAT = "groupChat"


@dataclass(frozen=True, slots=True)
class SeenMember:
    """A member as stored after this activity: the identity completed with what is known."""

    identity: UserIdentity
    # False until the member's email/UPN were looked up once in the Teams roster.
    profile_known: bool
    member_id: int | None = None
    # Where they said they work, and whether they were asked (the directory may know better).
    declared: Unit = field(default_factory=Unit)
    asked: bool = False


class MemberStore(Protocol):
    def record_seen(
        self, identity: UserIdentity, at: datetime, personal_conversation_id: str | None = None
    ) -> SeenMember:
        """Create or refresh the member."""
        ...

    def save_profile(
        self,
        teams_user_id: str,
        email: str | None,
        user_principal_name: str | None,
        at: datetime,
        display_name: str | None = None,
    ) -> None: ...


class WorkplaceStore(Protocol):
    def workplace_of(self, identity: UserIdentity, declared: Unit, asked: bool) -> Workplace:
        """The directory's unit for this person, else what they declared."""
        ...


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


class LeadStore(Protocol):
    def listed_role(self, keys: Iterable[str]) -> Role | None:
        """The role given in chat (lead or sponsor) to someone listed under one of these keys."""
        ...

"""Use cases of the foundation: who is this user, and how is the program doing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from domain.identity import UserIdentity
from domain.people import Workplace
from domain.ports import (
    ChampionStore,
    ConversationKind,
    ConversationStore,
    LeadStore,
    MemberCounter,
    MemberStore,
    SeenMember,
    WorkplaceStore,
)
from domain.roles import ChampionStatus, ProgramRoles, Role


@dataclass(frozen=True, slots=True)
class UserContext:
    identity: UserIdentity
    role: Role
    # True when the bot should look up the user's email/UPN (once) in the Teams roster.
    needs_profile: bool = False
    # What the turn's bookkeeping already read, so that features need not read it again
    # (None when the turn did not recognise the user through the database).
    member_id: int | None = None
    workplace: Workplace | None = None

    def with_profile(
        self,
        email: str | None,
        upn: str | None,
        roles: ProgramRoles,
        status: ChampionStatus | None,
        leads: LeadStore,
        display_name: str | None = None,
        workplaces: WorkplaceStore | None = None,
    ) -> UserContext:
        identity = replace(
            self.identity,
            email=email,
            user_principal_name=upn,
            display_name=self.identity.display_name or display_name or "",
        )
        listed = leads.listed_role(identity.lead_keys())
        workplace = self.workplace
        if workplaces is not None and workplace is not None and not workplace.from_directory:
            # The email may be what finds them in the directory.
            workplace = workplaces.workplace_of(identity, workplace.unit, workplace.asked)
        role = roles.role_of(identity, status, listed=listed)
        return UserContext(identity, role, needs_profile=False, member_id=self.member_id, workplace=workplace)


def recognise_user(
    identity: UserIdentity,
    members: MemberStore,
    champions: ChampionStore,
    roles: ProgramRoles,
    leads: LeadStore,
    at: datetime,
    personal_conversation_id: str | None = None,
    workplaces: WorkplaceStore | None = None,
) -> UserContext:
    seen = members.record_seen(identity, at, personal_conversation_id)
    known = seen.identity
    status = champions.status_of(known.teams_user_id)
    listed = leads.listed_role(known.lead_keys())
    workplace = workplaces.workplace_of(known, seen.declared, seen.asked) if workplaces is not None else None
    return recognised(seen, status, listed, workplace, roles)


def recognised(
    seen: SeenMember,
    status: ChampionStatus | None,
    listed: Role | None,
    workplace: Workplace | None,
    roles: ProgramRoles,
) -> UserContext:
    """Who the sender is, from what is known of them: as a member, a champion, a role given
    in chat (`listed`, under one of their `lead_keys`), and where they work."""
    known = seen.identity
    return UserContext(
        known,
        roles.role_of(known, status, listed=listed),
        needs_profile=not seen.profile_known,
        member_id=seen.member_id,
        workplace=workplace,
    )


@dataclass(frozen=True, slots=True)
class ProgramStatus:
    people: int
    personal_installs: int
    team_installs: int
    champions: dict[ChampionStatus, int] = field(default_factory=dict)

    @property
    def active_champions(self) -> int:
        return self.champions.get(ChampionStatus.ACTIVE, 0)

    @property
    def pending_champions(self) -> int:
        return self.champions.get(ChampionStatus.PENDING, 0)


def program_status(members: MemberCounter, conversations: ConversationStore, champions: ChampionStore) -> ProgramStatus:
    installed = conversations.count_installed()
    return ProgramStatus(
        people=members.count_members(),
        personal_installs=installed.get(ConversationKind.PERSONAL, 0),
        team_installs=installed.get(ConversationKind.CHANNEL, 0) + installed.get(ConversationKind.GROUP_CHAT, 0),
        champions=dict(champions.count_by_status()),
    )


def name_of(user: UserContext) -> str:
    """How a lead's name appears on decisions and in the ledger."""
    identity = user.identity
    return identity.display_name or identity.email or identity.teams_user_id


@dataclass(frozen=True, slots=True)
class AuditLine:
    """One lead action as the `audit` card shows it (`what` already in the reader's words)."""

    at: datetime
    actor: str
    what: str
    subject: str


@dataclass(frozen=True, slots=True)
class ErasureNotice:
    """What `delete my data` shows before anything goes: what is kept, by part, and the
    signed confirmation its button carries."""

    parts: Sequence[tuple[str, int]]
    token: str
    # Where the reader helps as a champion: the leads will hear only of this unit's step-down.
    champion_unit: str | None
    lead: bool

"""Use cases with in-memory stores: no database, no botbuilder."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from domain.identity import UserIdentity
from domain.ports import ConversationKind, SeenMember
from domain.program import program_status, recognise_user
from domain.roles import ChampionStatus, ProgramRoles, Role

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


class InMemoryMembers:
    def __init__(self) -> None:
        self.people: dict[str, UserIdentity] = {}
        self.profiled: set[str] = set()

    def record_seen(self, identity, at, personal_conversation_id=None):
        known = self.people.get(identity.teams_user_id)
        merged = (
            identity
            if known is None
            else replace(identity, email=known.email, user_principal_name=known.user_principal_name)
        )
        self.people[identity.teams_user_id] = merged
        return SeenMember(merged, profile_known=identity.teams_user_id in self.profiled)

    def save_profile(self, teams_user_id, email, upn, at):
        self.people[teams_user_id] = replace(self.people[teams_user_id], email=email, user_principal_name=upn)
        self.profiled.add(teams_user_id)

    def count_members(self):
        return len(self.people)


class InMemoryChampions:
    def __init__(self, statuses=None) -> None:
        self.statuses = dict(statuses or {})

    def status_of(self, teams_user_id):
        return self.statuses.get(teams_user_id)

    def count_by_status(self):
        counts: dict[ChampionStatus, int] = {}
        for status in self.statuses.values():
            counts[status] = counts.get(status, 0) + 1
        return counts


class InMemoryConversations:
    def __init__(self, installed):
        self.installed = installed

    def claim_introduction(self, conversation_id, at):
        return True

    def count_installed(self):
        return self.installed


class InMemoryLeads:
    def __init__(self, keys=()) -> None:
        self.keys = set(keys)

    def listed_role(self, keys):
        return None if self.keys.isdisjoint(keys) else Role.PROGRAM_LEAD


ROLES = ProgramRoles(["lead@contoso.example"])
NO_ADDED_LEADS = InMemoryLeads()


def test_a_new_user_needs_a_profile_and_becomes_a_lead_once_the_email_is_known():
    members = InMemoryMembers()
    user = recognise_user(UserIdentity("29:l", "Lena"), members, InMemoryChampions(), ROLES, NO_ADDED_LEADS, NOW)
    assert user.role is Role.EMPLOYEE and user.needs_profile

    members.save_profile("29:l", "lead@contoso.example", None, NOW)
    completed = user.with_profile("lead@contoso.example", None, ROLES, None, NO_ADDED_LEADS)
    assert completed.role is Role.PROGRAM_LEAD and not completed.needs_profile

    again = recognise_user(UserIdentity("29:l", "Lena"), members, InMemoryChampions(), ROLES, NO_ADDED_LEADS, NOW)
    assert again.role is Role.PROGRAM_LEAD and not again.needs_profile


def test_a_known_champion_is_recognised():
    champions = InMemoryChampions({"29:c": ChampionStatus.PAUSED})
    user = recognise_user(UserIdentity("29:c", "Cara"), InMemoryMembers(), champions, ROLES, NO_ADDED_LEADS, NOW)
    assert user.role is Role.CHAMPION


def test_a_lead_added_in_chat_is_a_lead_once_their_email_is_known():
    members = InMemoryMembers()
    leads = InMemoryLeads({"new.lead@contoso.example"})
    user = recognise_user(UserIdentity("29:n", "Nia"), members, InMemoryChampions(), ROLES, leads, NOW)
    assert user.role is Role.EMPLOYEE
    completed = user.with_profile("new.lead@contoso.example", None, ROLES, None, leads)
    assert completed.role is Role.PROGRAM_LEAD


def test_program_status_adds_channels_and_group_chats():
    members = InMemoryMembers()
    for index in range(3):
        members.record_seen(UserIdentity(f"29:{index}"), NOW)
    status = program_status(
        members,
        InMemoryConversations(
            {ConversationKind.PERSONAL: 3, ConversationKind.CHANNEL: 2, ConversationKind.GROUP_CHAT: 1}
        ),
        InMemoryChampions(
            {"29:0": ChampionStatus.ACTIVE, "29:1": ChampionStatus.PENDING, "29:2": ChampionStatus.ACTIVE}
        ),
    )
    assert (status.people, status.personal_installs, status.team_installs) == (3, 3, 3)
    assert (status.active_champions, status.pending_champions) == (2, 1)

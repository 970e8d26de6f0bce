from __future__ import annotations

import pytest

from domain.identity import UserIdentity
from domain.roles import ChampionStatus, ProgramRoles, Role

ROLES = ProgramRoles(
    [" Lena.Lead@Contoso.example ", "DDDDDDDD-0000-0000-0000-000000000004", ""],
    ["Sam.Sponsor@contoso.example", "lena.lead@contoso.example"],
)


def person(**fields) -> UserIdentity:
    return UserIdentity(teams_user_id="29:x", **fields)


@pytest.mark.parametrize(
    "identity",
    [
        person(email="lena.lead@contoso.example"),
        person(user_principal_name="LENA.LEAD@contoso.example"),
        person(aad_object_id="dddddddd-0000-0000-0000-000000000004"),
    ],
)
def test_lead_by_email_upn_or_object_id(identity):
    assert ROLES.role_of(identity, None) is Role.PROGRAM_LEAD


def test_a_lead_who_is_also_a_champion_is_a_lead():
    assert ROLES.role_of(person(email="lena.lead@contoso.example"), ChampionStatus.ACTIVE) is Role.PROGRAM_LEAD


@pytest.mark.parametrize(
    ("status", "role"),
    [
        (None, Role.EMPLOYEE),
        (ChampionStatus.PENDING, Role.EMPLOYEE),
        (ChampionStatus.DECLINED, Role.EMPLOYEE),
        (ChampionStatus.STEPPED_DOWN, Role.EMPLOYEE),
        (ChampionStatus.ACTIVE, Role.CHAMPION),
        (ChampionStatus.PAUSED, Role.CHAMPION),
    ],
)
def test_champion_role_follows_status(status, role):
    assert ROLES.role_of(person(email="someone@contoso.example"), status) is role


def test_nobody_is_a_lead_by_an_empty_identifier():
    assert ROLES.role_of(person(), None) is Role.EMPLOYEE


def test_a_sponsor_from_the_settings_or_named_in_chat_is_a_sponsor_even_when_championing():
    sam = person(email="sam.sponsor@contoso.example")
    assert ROLES.role_of(sam, None) is Role.SPONSOR
    assert ROLES.role_of(sam, ChampionStatus.ACTIVE) is Role.SPONSOR
    assert ROLES.role_of(person(email="x@contoso.example"), ChampionStatus.ACTIVE, listed=Role.SPONSOR) is Role.SPONSOR


def test_a_lead_listed_as_a_sponsor_too_acts_as_a_lead():
    assert ROLES.role_of(person(email="lena.lead@contoso.example"), None) is Role.PROGRAM_LEAD
    assert (
        ROLES.role_of(person(email="sam.sponsor@contoso.example"), None, listed=Role.PROGRAM_LEAD) is Role.PROGRAM_LEAD
    )

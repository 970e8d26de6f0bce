"""The turn's facts, read in one statement, recognise the sender exactly as the lookups one by one do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from domain.identity import UserIdentity
from domain.people import Unit
from domain.program import recognise_user, recognised
from domain.roles import LISTED_ROLES, ChampionStatus, ProgramRoles, Role
from storage.champions import Champions
from storage.models import (
    BotStateRecord,
    ChampionRecord,
    ConversationRecord,
    EmployeeRecord,
    MemberRecord,
    ProgramRoleRecord,
)
from storage.program import Leads
from storage.repositories import ActivityLedger, Conversations, Members
from storage.sql import table_of
from storage.state_store import StateStore
from storage.turn_facts import read_turn_facts
from storage.workplaces import Workplaces, workplace_from
from tests.storage.test_repositories import snapshot

NOW = datetime(2026, 12, 2, 9, tzinfo=UTC)
SOON = NOW + timedelta(minutes=1)
ROLES = ProgramRoles(bootstrap_leads=["boss@contoso.example"])

# A few keys, so that members, directory rows and roles meet often; now and then one not in
# lower case (the facts then leave the role and unit to their own lookups).
LOWER = ["ann@contoso.example", "aad-1", "bo@contoso.example", "boss@contoso.example"]
keys = st.sampled_from(LOWER * 4 + ["Ann@Contoso.example", "AAD-1"])
maybe_key = st.sampled_from([None]) | keys


@st.composite
def worlds(draw):
    employees = draw(
        st.lists(
            st.fixed_dictionaries(
                {"email": keys, "aad_object_id": maybe_key, "active": st.booleans(), "unit": st.sampled_from("XYZ")}
            ),
            max_size=4,
            unique_by=lambda row: row["email"],
        )
    )
    return {
        "known": draw(st.sampled_from([True, True, True, False])),
        "email": draw(maybe_key),
        "upn": draw(maybe_key),
        "aad": draw(maybe_key),
        "status": draw(st.none() | st.sampled_from(ChampionStatus)),
        "roles": draw(st.dictionaries(keys, st.sampled_from([Role.PROGRAM_LEAD, Role.SPONSOR]), max_size=3)),
        "employees": employees,
        "state": draw(st.none() | st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=20)),
    }


def build(session, world) -> UserIdentity:
    for table in (BotStateRecord, ProgramRoleRecord, ChampionRecord, EmployeeRecord, MemberRecord, ConversationRecord):
        session.execute(delete(table_of(table)))
    Conversations(session).save(snapshot(), NOW, installed=True)
    identity = UserIdentity("29:x", "Ann", world["aad"], "t1", "en-US", "Europe/Rome")
    if world["known"]:
        members = Members(session)
        members.record_seen(identity, NOW)
        members.save_profile("29:x", world["email"], world["upn"], NOW)
        if world["status"] is not None:
            Champions(session).set_status("29:x", world["status"], NOW)
    for key, role in world["roles"].items():
        session.add(ProgramRoleRecord(key=key, role=role.value, added_by="test", added_at=NOW))
    for number, row in enumerate(world["employees"]):
        unit = row["unit"]
        session.add(
            EmployeeRecord(
                email=row["email"],
                display_name=f"Employee {number}",
                department=f"Department {unit}",
                office=f"Office {unit}",
                team=f"Team {unit}",
                aad_object_id=row["aad_object_id"],
                active=row["active"],
                imported_at=NOW,
                updated_at=NOW,
            )
        )
    if world["state"] is not None:
        StateStore(session).write("state-key", world["state"], None, NOW)
    return identity


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(world=worlds())
def test_the_facts_recognise_the_sender_as_the_lookups_do(database, world):
    identity = database.transaction(build, world)

    def facts_and_lookups(session):
        facts = read_turn_facts(session, "a:1", "29:x", "state-key")
        stored = StateStore(session).read(["state-key"]).get("state-key")
        return facts, stored

    facts, stored_state = database.autocommit(facts_and_lookups)
    assert facts.state == stored_state
    assert Conversations.would_keep(facts.conversation, snapshot(), SOON, installed=True)
    seen = Members.seen_unchanged(facts.member, identity, SOON)
    if not world["known"]:
        assert (facts.member, seen) == (None, None)
        return
    assert seen is not None, "a member seen a minute ago, as they were: nothing to write"
    keys_lower = all(key == key.lower() for key in (world["email"], world["upn"], world["aad"]) if key)
    assert facts.keys_as_looked_up == keys_lower
    one_by_one = database.transaction(
        lambda s: recognise_user(identity, Members(s), Champions(s), ROLES, Leads(s), SOON, None, Workplaces(s))
    )
    assert facts.champion_status == world["status"]
    if facts.keys_as_looked_up:
        workplace = workplace_from(facts.directory_unit, seen.declared, seen.asked)
        assert recognised(seen, facts.champion_status, facts.listed_role, workplace, ROLES) == one_by_one
        # Worked out here too, as the lookups share their statements with the facts.
        keys = {world["email"], world["upn"], world["aad"]} - {None}
        held = {role for key, role in world["roles"].items() if key in keys}
        assert facts.listed_role == next((role for role in LISTED_ROLES if role in held), None)
        emails = {world["email"], world["upn"]} - {None}
        matching = [
            (not row["active"], number, row["unit"])
            for number, row in enumerate(world["employees"])
            if row["email"] in emails or (world["aad"] is not None and row["aad_object_id"] == world["aad"])
        ]
        unit = min(matching)[2] if matching else None
        assert facts.directory_unit == (Unit(f"Department {unit}", f"Office {unit}", f"Team {unit}") if unit else None)


def test_nothing_asked_reads_as_absent(database):
    facts = database.autocommit(read_turn_facts, None, None, None)
    assert (facts.conversation, facts.member, facts.champion_status, facts.listed_role, facts.state) == (
        None,
        None,
        None,
        None,
        None,
    )
    assert facts.directory_unit is None
    assert not facts.keys_as_looked_up


def test_the_facts_record_the_activity_as_seen_once(database):
    database.transaction(lambda s: Conversations(s).save(snapshot(), NOW, installed=True))

    def arrive(activity_id):
        return database.autocommit(read_turn_facts, "a:1", "29:x", None, (activity_id, NOW))

    first = arrive("act-1")
    assert first.first_delivery is True
    assert first.conversation is not None, "what it reads comes with it"
    assert arrive("act-1").first_delivery is False, "a re-delivery"
    assert arrive("act-2").first_delivery is True
    database.autocommit(lambda s: ActivityLedger(s).forget("a:1", "act-1"))
    assert arrive("act-1").first_delivery is True, "forgotten: as if it never arrived"

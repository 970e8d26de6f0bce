"""Everything a turn's bookkeeping reads, in one statement.

Each turn needs its conversation as kept, its sender as a member, whether they are a
champion, a role given to them in chat, their unit in the HR directory, and their dialog
state. Read one by one that was six statements; on PostgreSQL each is a round trip to the
server, and at one user the round trips were most of a turn's time over SQLite's. Here they
are one statement, each part found by the same key and index as its own lookup.

The role and the directory unit are found by the member's stored email, UPN and Entra object
id, as stored. Their own lookups compare lower-cased keys, so these facts answer for them
only when every stored key is lower case already (`keys_as_looked_up`), as Teams and the
roster give them; otherwise the bookkeeping asks the lookups themselves.

Asked to, the statement also records the activity as seen (de-duplication): on PostgreSQL
in the same statement, one round trip for all of it; on SQLite, where a statement costs no
round trip, by a second one in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, func, literal, select
from sqlalchemy.dialects import postgresql
from sqlmodel import Session

from domain.people import Unit
from domain.roles import ChampionStatus, Role
from storage.models import (
    BotStateRecord,
    ChampionRecord,
    ConversationRecord,
    EmployeeRecord,
    MemberRecord,
    ProcessedActivity,
)
from storage.prepared import Prepared
from storage.program import highest_listed_role
from storage.repositories import ActivityLedger, ConversationAsKept, MemberAsSeen, columns_of
from storage.sql import table_of
from storage.workplaces import first_in_directory


@dataclass(frozen=True, slots=True)
class TurnFacts:
    conversation: ConversationAsKept | None
    member: MemberAsSeen | None
    champion_status: ChampionStatus | None
    listed_role: Role | None
    directory_unit: Unit | None
    # (etag, document) of the dialog state, if any is stored under the key asked for.
    state: tuple[str, str] | None
    # False when the activity was recorded as seen before (a re-delivery); True when it was
    # just recorded, or not asked to be.
    first_delivery: bool = True

    @property
    def keys_as_looked_up(self) -> bool:
        """The role and directory unit were found by the keys their own lookups would use."""
        member = self.member
        if member is None:
            return False
        keys = (member.aad_object_id, member.email, member.user_principal_name)
        return all(key == key.lower() for key in keys if key)


def read_turn_facts(
    session: Session,
    conversation_id: str | None,
    teams_user_id: str | None,
    state_key: str | None,
    activity: tuple[str, datetime] | None = None,
) -> TurnFacts:
    """The facts of one turn (a part not asked for, given as None, reads as absent); with
    `activity` (its id and when it arrived), also records it as seen in the conversation."""
    values: dict[str, Any] = {"conversation": conversation_id, "user": teams_user_id, "state": state_key}
    first_delivery = True
    if activity is not None and session.get_bind().dialect.name == "postgresql":
        values["activity"], values["at"] = activity
        row = _FACTS_RECORDING.first(session, **values)
    else:
        if activity is not None:
            assert conversation_id is not None
            first_delivery = ActivityLedger(session).first_delivery(conversation_id, *activity)
        row = _FACTS.first(session, **values)
    assert row is not None  # the statement always returns its one row
    columns = list(row)
    conversation = _take(columns, len(ConversationAsKept._fields))
    member = _take(columns, len(MemberAsSeen._fields))
    status, role, department, office, team, in_directory, etag, document, *recorded = columns
    return TurnFacts(
        conversation=ConversationAsKept(*conversation) if conversation[0] is not None else None,
        member=MemberAsSeen(*member) if member[0] is not None else None,
        champion_status=ChampionStatus(status) if status is not None else None,
        listed_role=Role(role) if role is not None else None,
        directory_unit=Unit(department, office, team) if in_directory is not None else None,
        state=(etag, document) if etag is not None else None,
        first_delivery=bool(recorded[0]) if recorded else first_delivery,
    )


def _take(values: list[Any], count: int) -> list[Any]:
    taken = values[:count]
    del values[:count]
    return taken


def _facts_statement(recording: bool) -> Select[Any]:
    conversation = table_of(ConversationRecord)
    member = table_of(MemberRecord)
    champion = table_of(ChampionRecord)
    state = table_of(BotStateRecord)
    employee = table_of(EmployeeRecord)
    found = employee.alias("found")
    one_row = select(literal(1).label("turn")).subquery("turn")
    status = select(champion.c.status).where(champion.c.member_id == member.c.id).correlate(member).scalar_subquery()
    keys = [member.c.aad_object_id, member.c.email, member.c.user_principal_name]
    role = highest_listed_role(keys).correlate(member).scalar_subquery()
    # As `storage.workplaces` finds someone: by email or UPN, or by Entra object id.
    emails = [member.c.email, member.c.user_principal_name]
    in_directory = (
        first_in_directory(select(found.c.id), found, emails, member.c.aad_object_id)
        .correlate(member)
        .scalar_subquery()
    )
    statement = (
        select(
            *columns_of(ConversationRecord, ConversationAsKept),
            *columns_of(MemberRecord, MemberAsSeen),
            status.label("champion_status"),
            role.label("listed_role"),
            employee.c.department,
            employee.c.office,
            employee.c.team,
            employee.c.id.label("in_directory"),
            state.c.etag,
            state.c.document,
        )
        .select_from(one_row)
        .outerjoin(conversation, conversation.c.id == bindparam("conversation"))
        .outerjoin(member, member.c.teams_user_id == bindparam("user"))
        .outerjoin(employee, employee.c.id == in_directory)
        .outerjoin(state, state.c.key == bindparam("state"))
    )
    if not recording:
        return statement
    # PostgreSQL: the activity recorded by the same statement (which sees the tables as they
    # were before it, so nothing it reads is affected).
    ledger = table_of(ProcessedActivity)
    recorded = (
        postgresql.insert(ledger)
        .values(
            conversation_id=bindparam("conversation"),
            activity_id=bindparam("activity"),
            received_at=bindparam("at", type_=ledger.c.received_at.type),
        )
        .on_conflict_do_nothing(index_elements=["conversation_id", "activity_id"])
        .returning(ledger.c.id)
        .cte("recorded")
    )
    return statement.add_columns(select(func.count()).select_from(recorded).scalar_subquery().label("first_delivery"))


_FACTS = Prepared(_facts_statement(recording=False))
_FACTS_RECORDING = Prepared(_facts_statement(recording=True))

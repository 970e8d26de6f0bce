"""Personal data: what each part of the bot keeps about a person, and their copy of it.

Every table column that can hold personal data (free text, names, addresses, identifiers,
links to a member, a champion or an employee) is declared by the platform or by one
feature: as `personal` (handed over by its `export`) or as `not_personal` (it names no one:
a status, a unit's name, a kind). `undeclared_columns` finds what nobody declared, and a
test fails on it, so a new column cannot be forgotten.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, LargeBinary, String, Table, Text, delete, func, or_, select, update
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, SQLModel, col

from domain.outbox import OutboxStatus
from domain.retention import RetentionPolicy
from storage.audit import AuditTrail
from storage.messaging import Messaging
from storage.models import (
    AuditEntryRecord,
    BotStateRecord,
    ChampionFocusRecord,
    ChampionRecord,
    ConversationRecord,
    EmployeeRecord,
    MemberRecord,
    OutboxRecord,
    PrivacyRequestRecord,
    ProcessedActivity,
    ProgramRoleRecord,
    ProgramSettingRecord,
)
from storage.outbox import forget_mentions, forget_recipient
from storage.plain import plain as plain
from storage.sql import affected_rows, insert_if_absent, table_of

# Tables a row points to when it is about one person.
PERSON_TABLES = frozenset({"member", "champion", "employee", "conversation"})


@dataclass(frozen=True, slots=True)
class Person:
    """Everything that identifies one person in the bot's tables."""

    member_id: int | None
    teams_user_id: str | None
    champion_id: int | None
    employee_ids: tuple[int, ...]
    keys: tuple[str, ...]  # emails, UPN, Entra object id: lower case
    personal_conversation_id: str | None
    display_name: str = ""


@dataclass(frozen=True, slots=True)
class Erasure:
    """One erasure under way: when, who asked (the person, an operator, the retention job),
    and how to tell the people it concerns (leads hear of a champion's step-down)."""

    at: datetime
    by: str
    messaging: Messaging


Exporter = Callable[[Session, Person], Mapping[str, Any]]
Eraser = Callable[[Session, Person, Erasure], None]
# Applies a policy to at most `limit` rows of each kind; returns how many of each it changed.
Retainer = Callable[[Session, RetentionPolicy, datetime, int], Mapping[str, int]]


@dataclass(frozen=True, slots=True)
class PersonalData:
    """What one part of the bot keeps about people.

    `personal` and `not_personal` map a table to its columns; `export` returns a person's
    data from those tables as plain data (lists of records by section); `erase` deletes what
    identifies them there and keeps what others' figures rest on, without the link to them
    (a ledger entry keeps its points and department, an answer its count)."""

    export: Exporter
    erase: Eraser
    personal: Mapping[str, Sequence[str]] = field(default_factory=dict)
    not_personal: Mapping[str, Sequence[str]] = field(default_factory=dict)
    # For a part that keeps what people wrote: the retention settings, applied in batches.
    retain: Retainer | None = None


def may_hold_personal_data(table: Table, column_name: str) -> bool:
    """Text, JSON or bytes, or a link to a person's row: what could identify or describe someone."""
    column = table.c[column_name]
    if any(key.column.table.name in PERSON_TABLES for key in column.foreign_keys):
        return True
    kind = column.type
    if isinstance(kind, TypeDecorator):  # SQLModel's AutoString, the UTC datetimes
        kind = kind.impl_instance
    return isinstance(kind, String | Text | JSON | LargeBinary)


def undeclared_columns(tables: Iterable[Table], declarations: Iterable[PersonalData]) -> list[str]:
    """`table.column` of every column that may hold personal data and that no declaration covers
    (or that two declare)."""
    tables = list(tables)
    declared: dict[tuple[str, str], int] = {}
    for declaration in declarations:
        for mapping in (declaration.personal, declaration.not_personal):
            for table_name, columns in mapping.items():
                for column_name in columns:
                    declared[(table_name, column_name)] = declared.get((table_name, column_name), 0) + 1
    problems = []
    for table in tables:
        for column in table.columns:
            count = declared.get((table.name, column.name), 0)
            if count == 0 and may_hold_personal_data(table, column.name):
                problems.append(f"{table.name}.{column.name} is not declared")
            elif count > 1:
                problems.append(f"{table.name}.{column.name} is declared {count} times")
    known = {(table.name, column.name) for table in tables for column in table.columns}
    problems += [
        f"{table}.{column} is declared but does not exist" for table, column in declared if (table, column) not in known
    ]
    return sorted(problems)


# --- finding the person ------------------------------------------------------------------


def find_person(session: Session, key: str) -> Person | None:
    """The person an email, UPN, Entra object id or Teams user id names; None if the bot keeps
    nothing about them."""
    key = key.strip().lower()
    if not key:
        return None
    member = (
        session.execute(
            select(MemberRecord).where(
                or_(
                    func.lower(col(MemberRecord.email)) == key,
                    func.lower(col(MemberRecord.user_principal_name)) == key,
                    func.lower(col(MemberRecord.aad_object_id)) == key,
                    func.lower(col(MemberRecord.teams_user_id)) == key,
                )
            )
        )
        .scalars()
        .first()
    )
    keys = {key}
    if member is not None:
        keys |= {value.lower() for value in (member.email, member.user_principal_name, member.aad_object_id) if value}
    employees = list(
        session.execute(
            select(EmployeeRecord).where(
                or_(col(EmployeeRecord.email).in_(keys), func.lower(col(EmployeeRecord.aad_object_id)).in_(keys))
            )
        ).scalars()
    )
    keys |= {value.lower() for employee in employees for value in (employee.email, employee.aad_object_id) if value}
    if member is None and not employees:
        return None
    champion_id = (
        session.execute(select(col(ChampionRecord.id)).where(col(ChampionRecord.member_id) == member.id)).scalar()
        if member is not None
        else None
    )
    return Person(
        member_id=member.id if member is not None else None,
        teams_user_id=member.teams_user_id if member is not None else None,
        champion_id=champion_id,
        employee_ids=tuple(sorted(employee.id for employee in employees if employee.id is not None)),
        keys=tuple(sorted(keys)),
        personal_conversation_id=member.personal_conversation_id if member is not None else None,
        display_name=(member.display_name if member is not None else employees[0].display_name) or "",
    )


# --- the export ---------------------------------------------------------------------------


def records(
    session: Session, model: type[SQLModel], *conditions: Any, columns: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """Rows of a table as plain records (all columns, or `columns`), oldest first where there is an id."""
    table = table_of(model)
    chosen = [table.c[name] for name in columns] if columns else list(table.columns)
    statement = select(*chosen).where(*conditions)
    if "id" in table.c:
        statement = statement.order_by(table.c.id)
    return [plain(dict(row._mapping)) for row in session.execute(statement)]


def delete_rows(session: Session, model: type[SQLModel], *conditions: Any) -> int:
    """Delete the rows of a table that meet every condition; returns how many."""
    return affected_rows(session.execute(delete(table_of(model)).where(*conditions)))


def unlink(session: Session, model: type[SQLModel], condition: Any, **values: Any) -> int:
    """Keep the rows that meet `condition`, with `values` instead of what tied them to a person."""
    return affected_rows(session.execute(update(table_of(model)).where(condition).values(**values)))


def export_person(session: Session, person: Person, declarations: Mapping[str, PersonalData]) -> dict[str, Any]:
    """The person's data from every part of the bot, by part: what `my data` hands over."""
    return {name: plain(dict(declaration.export(session, person))) for name, declaration in declarations.items()}


# What the HR directory says about a person: all of it is theirs.
_DIRECTORY_ENTRY = (
    "email",
    "display_name",
    "department",
    "office",
    "team",
    "manager_email",
    "aad_object_id",
    "country",
    "preferred_language",
    "timezone",
)


def _platform_export(session: Session, person: Person) -> dict[str, Any]:
    member = MemberRecord
    data: dict[str, Any] = {}
    if person.member_id is not None:
        data["profile"] = records(
            session,
            member,
            col(member.id) == person.member_id,
            columns=[
                "teams_user_id",
                "aad_object_id",
                "tenant_id",
                "display_name",
                "email",
                "user_principal_name",
                "locale",
                "timezone",
                "declared_department",
                "declared_office",
                "unit_asked_at",
                "first_seen_at",
                "last_seen_at",
            ],
        )
    if person.employee_ids:
        data["directory"] = records(
            session,
            EmployeeRecord,
            col(EmployeeRecord.id).in_(person.employee_ids),
            columns=[*_DIRECTORY_ENTRY, "active", "imported_at"],
        )
    if person.personal_conversation_id:
        data["personal_chat"] = records(
            session,
            ConversationRecord,
            col(ConversationRecord.id) == person.personal_conversation_id,
            columns=["id", "kind", "installed", "created_at", "updated_at"],
        )
    if person.champion_id is not None:
        data["champion_profile"] = records(
            session,
            ChampionRecord,
            col(ChampionRecord.id) == person.champion_id,
            columns=[
                "status",
                "department",
                "office",
                "team",
                "languages",
                "listed",
                "paused_until",
                "decided_by",
                "decided_at",
                "decision_reason",
                "applied_at",
                "created_at",
            ],
        )
        data["champion_focus_areas"] = [
            row["focus_area"]
            for row in records(session, ChampionFocusRecord, col(ChampionFocusRecord.champion_id) == person.champion_id)
        ]
    if person.teams_user_id:
        data["messages_waiting_to_be_sent"] = records(
            session,
            OutboxRecord,
            col(OutboxRecord.teams_user_id) == person.teams_user_id,
            col(OutboxRecord.status).in_((OutboxStatus.PENDING.value, OutboxStatus.SENDING.value)),
            columns=["created_at", "not_before", "payload"],
        )
        data["conversation_in_progress"] = [
            {"updated_at": row["updated_at"]}
            for row in records(session, BotStateRecord, _dialog_state_of(person.teams_user_id))
        ]
    names = [name for name in (person.display_name,) if name]
    data["audit_trail"] = records(
        session,
        AuditEntryRecord,
        or_(col(AuditEntryRecord.actor).in_(names), col(AuditEntryRecord.subject).in_([*names, *person.keys])),
        columns=["at", "actor", "action", "subject", "details"],
    )
    data["program_role"] = records(
        session,
        ProgramRoleRecord,
        col(ProgramRoleRecord.key).in_(person.keys),
        columns=["key", "role", "added_by", "added_at"],
    )
    return data


def _dialog_state_of(teams_user_id: str) -> Any:
    """A person's dialog state in any conversation: "<channel>/conversations/<id>/users/<user>/dialogs"."""
    return col(BotStateRecord.key).contains(f"/users/{teams_user_id}/")


def _platform_erase(session: Session, person: Person, erasure: Erasure) -> None:
    """Last, after every feature: the person's rows themselves, their chat, messages and state."""
    forget_recipient(session, person.teams_user_id, person.personal_conversation_id)
    forget_mentions(session, [name for name in (person.display_name, *person.keys) if name], erasure.at)
    if person.teams_user_id:
        delete_rows(session, BotStateRecord, _dialog_state_of(person.teams_user_id))
    conversation_id = person.personal_conversation_id
    if conversation_id:
        delete_rows(session, ProcessedActivity, col(ProcessedActivity.conversation_id) == conversation_id)
    if person.champion_id is not None:
        delete_rows(session, ChampionFocusRecord, col(ChampionFocusRecord.champion_id) == person.champion_id)
        delete_rows(session, ChampionRecord, col(ChampionRecord.id) == person.champion_id)
    if person.member_id is not None:
        delete_rows(session, MemberRecord, col(MemberRecord.id) == person.member_id)
    if conversation_id:
        delete_rows(session, ConversationRecord, col(ConversationRecord.id) == conversation_id)
    if person.employee_ids:
        delete_rows(session, EmployeeRecord, col(EmployeeRecord.id).in_(person.employee_ids))
    # A lead or sponsor who erases their data stops being one; what they decided stays, under their name.
    delete_rows(session, ProgramRoleRecord, func.lower(col(ProgramRoleRecord.key)).in_(person.keys))
    names = [name for name in (person.display_name, person.teams_user_id) if name]
    AuditTrail(session).redact([*names, *person.keys])


def erase_person(session: Session, person: Person, declarations: Mapping[str, PersonalData], erasure: Erasure) -> None:
    """Erase the person from every part of the bot, in the caller's transaction: the features
    first (they read the person's rows, and a champion steps down), the platform last."""
    for name, declaration in declarations.items():
        if name != "platform":
            declaration.erase(session, person, erasure)
    declarations["platform"].erase(session, person, erasure)


# The platform's own tables. Columns in `not_personal` name no one: a status, a kind, a
# unit's name, a setting's name; scheduler and delivery bookkeeping.
PLATFORM_DATA = PersonalData(
    export=_platform_export,
    erase=_platform_erase,
    personal={
        "member": [
            "teams_user_id",
            "aad_object_id",
            "display_name",
            "email",
            "user_principal_name",
            "locale",
            "timezone",
            "personal_conversation_id",
            "declared_department",
            "declared_office",
        ],
        "employee": list(_DIRECTORY_ENTRY),
        "conversation": ["id", "reference"],
        "champion": ["member_id", "languages", "decision_reason"],
        "champion_focus": ["champion_id", "focus_area"],
        "outbox_message": ["conversation_id", "teams_user_id", "payload"],
        "bot_state": ["key", "document"],
        "program_role": ["key"],
        "processed_activity": ["conversation_id"],
        # What leads did and to whom: kept for accountability, handed over to whom it names.
        "audit_entry": ["actor", "subject", "details"],
    },
    not_personal={
        "member": ["tenant_id"],
        "conversation": [
            "kind",
            "channel_id",
            "service_url",
            "tenant_id",
            "team_id",
            "team_name",
            "unreachable_reason",
        ],
        # A champion's unit is where they help, shown to colleagues; decisions name the lead who took them.
        "champion": ["status", "department", "office", "team", "decided_by"],
        "outbox_message": ["dedupe_key", "status", "last_error", "sent_activity_id", "claimed_by"],
        "bot_state": ["etag"],
        "program_role": ["role", "added_by"],
        "program_setting": ["name", "value", "updated_by"],
        "processed_activity": ["activity_id"],
        "apscheduler_jobs": ["id", "job_state"],
        "job_run": ["job_id", "outcome", "error"],
        "reply_report": ["replica"],
        "privacy_request": ["kind", "subject_digest", "requested_by", "via"],
        "audit_entry": ["action", "salt", "seal", "previous_hash", "entry_hash"],
    },
)


# --- requests -----------------------------------------------------------------------------


class RequestKind(StrEnum):
    EXPORT = "export"
    ERASE = "erase"


_SECRET_SETTING = "privacy.request_secret"


def _secret(session: Session, at: datetime) -> bytes:
    """This installation's key for request digests and download links, made on first use and
    shared by every replica through the database."""
    table = table_of(ProgramSettingRecord)
    stored = session.execute(select(table.c.value).where(table.c.name == _SECRET_SETTING)).scalar()
    if not isinstance(stored, str):
        values = {"name": _SECRET_SETTING, "value": secrets.token_hex(32), "updated_by": "privacy", "updated_at": at}
        insert_if_absent(session, table, values, keys=("name",))
        # Another replica may have made it first: use whichever was kept.
        stored = session.execute(select(table.c.value).where(table.c.name == _SECRET_SETTING)).scalar_one()
    return bytes.fromhex(stored)


def subject_digest(session: Session, key: str, at: datetime) -> str:
    """A keyed hash of whom a request was about: the log proves a request was answered without
    keeping the address of someone whose data was erased."""
    return hmac.new(_secret(session, at), key.strip().lower().encode(), hashlib.sha256).hexdigest()


class TokenPurpose(StrEnum):
    DOWNLOAD = "download"  # a link to a member's export
    ERASE = "erase"  # a member's own confirmation that their data goes
    FILE = "file"  # a link to a file a feature keeps (`storage.links`), with its kind after it


def signed_token(session: Session, purpose: str, member_id: int, expires_at: datetime, at: datetime) -> str:
    """A token that grants `purpose` (a `TokenPurpose`, or one followed by what it is for) for
    this member (or other subject) until `expires_at`, and nothing else."""
    payload = f"{member_id}.{int(expires_at.timestamp())}"
    signature = hmac.new(_secret(session, at), f"{purpose}:{payload}".encode(), hashlib.sha256).hexdigest()
    return f"{payload}.{signature}"


def member_of_token(session: Session, purpose: str, token: str, at: datetime) -> int | None:
    """The member a token was signed for, if it is genuine, for this purpose, and not yet expired."""
    parts = token.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    payload = f"{parts[0]}.{parts[1]}"
    expected = hmac.new(_secret(session, at), f"{purpose}:{payload}".encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, parts[2]) or int(parts[1]) < at.timestamp():
        return None
    return int(parts[0])


def record_request(session: Session, kind: RequestKind, key: str, requested_by: str, via: str, at: datetime) -> None:
    """Each access or erasure request is kept: when, what, by whom, and (as a digest) about whom."""
    session.add(
        PrivacyRequestRecord(
            kind=kind.value, subject_digest=subject_digest(session, key, at), requested_by=requested_by, via=via, at=at
        )
    )


def erase_on_request(
    session: Session, key: str, declarations: Mapping[str, PersonalData], erasure: Erasure, via: str
) -> Person | None:
    """Answer an erasure request about `key` in the caller's transaction: the request is
    recorded (as a digest), and the person, if the bot keeps anything about them, erased."""
    person = find_person(session, key)
    record_request(session, RequestKind.ERASE, key, erasure.by, via, erasure.at)
    if person is not None:
        erase_person(session, person, declarations, erasure)
    return person


def departed_people(session: Session, departed_before: datetime, limit: int) -> list[str]:
    """Emails of people the directory has marked as gone since before `departed_before`."""
    employee = EmployeeRecord
    return list(
        session.execute(
            select(col(employee.email))
            .where(col(employee.active).is_(False), col(employee.updated_at) < departed_before)
            .order_by(col(employee.updated_at))
            .limit(limit)
        ).scalars()
    )

"""Repositories over one session. They never commit: the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy import inspect as sa_inspect
from sqlmodel import Session, SQLModel, col

from domain.identity import UserIdentity
from domain.people import Unit
from domain.ports import ConversationKind, SeenMember
from storage.models import ConversationRecord, MemberRecord, ProcessedActivity
from storage.prepared import Prepared
from storage.sql import affected_rows, insert_if_absent, table_of, upsert


@dataclass(frozen=True, slots=True)
class ConversationSnapshot:
    """What the transport knows about a conversation at the time of an activity."""

    id: str
    kind: ConversationKind
    channel_id: str
    service_url: str
    tenant_id: str | None
    reference: dict[str, Any]
    team_id: str | None = None
    team_name: str | None = None


class ActivityLedger:
    def __init__(self, session: Session) -> None:
        self._session = session

    def first_delivery(self, conversation_id: str, activity_id: str, at: datetime) -> bool:
        """Record the activity; False when it was already recorded (a re-delivery)."""
        return insert_if_absent(
            self._session,
            table_of(ProcessedActivity),
            {"conversation_id": conversation_id, "activity_id": activity_id, "received_at": at},
            keys=("conversation_id", "activity_id"),
        )

    def forget(self, conversation_id: str, activity_id: str) -> None:
        """As if it never arrived: its re-delivery is handled (the turn recorded it, then failed)."""
        self._session.execute(
            delete(ProcessedActivity).where(
                col(ProcessedActivity.conversation_id) == conversation_id,
                col(ProcessedActivity.activity_id) == activity_id,
            )
        )

    def prune(self, older_than: datetime) -> int:
        result = self._session.execute(delete(ProcessedActivity).where(col(ProcessedActivity.received_at) < older_than))
        return affected_rows(result)


class Conversations:
    def __init__(self, session: Session) -> None:
        self._session = session

    def save(self, conversation: ConversationSnapshot, at: datetime, *, installed: bool | None = None) -> None:
        """Keep the newest reference and serviceUrl (it can change in multi-geo tenants).

        Most activities change nothing here: then nothing is written (a read-only turn takes
        no write lock), except to refresh `updated_at` once per TOUCH_INTERVAL."""
        found = _CONVERSATION_AS_KEPT.first(self._session, id=conversation.id)
        if self.would_keep(ConversationAsKept(*found) if found is not None else None, conversation, at, installed):
            return
        values: dict[str, Any] = {
            "id": conversation.id,
            "kind": conversation.kind.value,
            "channel_id": conversation.channel_id,
            "service_url": conversation.service_url,
            "tenant_id": conversation.tenant_id,
            "team_id": conversation.team_id,
            "team_name": conversation.team_name,
            "reference": conversation.reference,
            "installed": True if installed is None else installed,
            "created_at": at,
            "updated_at": at,
        }
        changes = {key: values[key] for key in ("service_url", "reference", "tenant_id", "updated_at")}
        # Hearing from a conversation again makes it reachable for proactive messages again.
        changes.update(unreachable_at=None, unreachable_reason=None)
        if conversation.team_name:
            changes["team_name"] = conversation.team_name
        if installed is not None:
            changes["installed"] = installed
        upsert(self._session, table_of(ConversationRecord), values, keys=("id",), update=changes)
        _forget_loaded(self._session, ConversationRecord, conversation.id)

    @staticmethod
    def would_keep(
        stored: ConversationAsKept | None, conversation: ConversationSnapshot, at: datetime, installed: bool | None
    ) -> bool:
        """`save` would write nothing: what is stored is as this activity says, and recent."""
        return stored is not None and _unchanged(stored, conversation, installed, at)

    def get(self, conversation_id: str) -> ConversationRecord | None:
        return self._session.get(ConversationRecord, conversation_id)

    def set_installed(self, conversation_id: str, installed: bool, at: datetime) -> None:
        self._session.execute(
            update(ConversationRecord)
            .where(col(ConversationRecord.id) == conversation_id)
            .values(installed=installed, updated_at=at)
        )

    def claim_introduction(self, conversation_id: str, at: datetime) -> bool:
        result = self._session.execute(
            update(ConversationRecord)
            .where(col(ConversationRecord.id) == conversation_id)
            .where(col(ConversationRecord.introduced_at).is_(None))
            .values(introduced_at=at)
        )
        return affected_rows(result) > 0

    def count_installed(self) -> Mapping[ConversationKind, int]:
        rows = self._session.execute(
            select(col(ConversationRecord.kind), func.count())
            .where(col(ConversationRecord.installed).is_(True))
            .group_by(col(ConversationRecord.kind))
        ).all()
        return {ConversationKind(kind): count for kind, count in rows}


class Members:
    def __init__(self, session: Session) -> None:
        self._session = session

    def record_seen(
        self, identity: UserIdentity, at: datetime, personal_conversation_id: str | None = None
    ) -> SeenMember:
        values, changes = _seen_values(identity, at, personal_conversation_id)
        stored = self._as_seen(identity.teams_user_id)
        # Nothing new (most turns): no write, except to move `last_seen_at` once per TOUCH_INTERVAL.
        if stored is None or not _same_values(stored, changes, at):
            upsert(self._session, table_of(MemberRecord), values, keys=("teams_user_id",), update=changes)
            if stored is not None:
                _forget_loaded(self._session, MemberRecord, stored.id)
            stored = self._as_seen(identity.teams_user_id)
        assert stored is not None  # found, or just upserted in this transaction
        return _seen_member(stored)

    @staticmethod
    def seen_unchanged(
        stored: MemberAsSeen | None, identity: UserIdentity, at: datetime, personal_conversation_id: str | None = None
    ) -> SeenMember | None:
        """What `record_seen` returns when this activity changes nothing stored (it would then
        write nothing); None when it would write."""
        if stored is None or not _same_values(stored, _seen_values(identity, at, personal_conversation_id)[1], at):
            return None
        return _seen_member(stored)

    def _as_seen(self, teams_user_id: str) -> MemberAsSeen | None:
        found = _MEMBER_AS_SEEN.first(self._session, user=teams_user_id)
        return MemberAsSeen(*found) if found is not None else None

    def get(self, teams_user_id: str) -> MemberRecord | None:
        return self._session.execute(
            select(MemberRecord).where(col(MemberRecord.teams_user_id) == teams_user_id)
        ).scalar_one_or_none()

    def save_profile(
        self,
        teams_user_id: str,
        email: str | None,
        user_principal_name: str | None,
        at: datetime,
        display_name: str | None = None,
    ) -> None:
        values: dict[str, Any] = {"email": email, "user_principal_name": user_principal_name, "profile_fetched_at": at}
        if display_name:
            values["display_name"] = display_name[:256]
        self._session.execute(
            update(MemberRecord).where(col(MemberRecord.teams_user_id) == teams_user_id).values(**values)
        )

    def link_personal_conversation(self, teams_user_id: str, conversation_id: str) -> None:
        self._session.execute(
            update(MemberRecord)
            .where(col(MemberRecord.teams_user_id) == teams_user_id)
            .values(personal_conversation_id=conversation_id)
        )

    def count_members(self) -> int:
        return int(self._session.execute(select(func.count()).select_from(MemberRecord)).scalar_one())


# How stale `updated_at` / `last_seen_at` may get before a turn that changes nothing else
# writes them anyway: they say "recently", not "to the second".
TOUCH_INTERVAL = timedelta(minutes=10)


def _recent(moment: datetime | None, at: datetime) -> bool:
    return moment is not None and at - moment < TOUCH_INTERVAL


def _unchanged(
    stored: ConversationAsKept, conversation: ConversationSnapshot, installed: bool | None, at: datetime
) -> bool:
    return (
        stored.service_url == conversation.service_url
        and stored.reference == conversation.reference
        and stored.tenant_id == conversation.tenant_id
        and (not conversation.team_name or stored.team_name == conversation.team_name)
        and (installed is None or stored.installed == installed)
        and stored.unreachable_at is None
        and _recent(stored.updated_at, at)
    )


def _seen_values(
    identity: UserIdentity, at: datetime, personal_conversation_id: str | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the member's row as this activity would insert it, what it would update on a stored one)."""
    values: dict[str, Any] = {
        "teams_user_id": identity.teams_user_id,
        "aad_object_id": identity.aad_object_id,
        "tenant_id": identity.tenant_id,
        "display_name": identity.display_name,
        "locale": identity.locale,
        "timezone": identity.timezone,
        "personal_conversation_id": personal_conversation_id,
        "first_seen_at": at,
        "last_seen_at": at,
    }
    # Only overwrite what this activity actually carried.
    changes = {
        key: value
        for key, value in values.items()
        if key not in ("teams_user_id", "first_seen_at") and value not in (None, "")
    }
    return values, changes


def _seen_member(stored: MemberAsSeen) -> SeenMember:
    identity = UserIdentity(
        teams_user_id=stored.teams_user_id,
        display_name=stored.display_name,
        aad_object_id=stored.aad_object_id,
        tenant_id=stored.tenant_id,
        locale=stored.locale,
        timezone=stored.timezone,
        email=stored.email,
        user_principal_name=stored.user_principal_name,
    )
    return SeenMember(
        identity,
        profile_known=stored.profile_fetched_at is not None,
        member_id=stored.id,
        declared=Unit(stored.declared_department or "", stored.declared_office or ""),
        asked=stored.unit_asked_at is not None,
    )


def _same_values(stored: MemberAsSeen, changes: dict[str, Any], at: datetime) -> bool:
    return all(getattr(stored, key) == value for key, value in changes.items() if key != "last_seen_at") and _recent(
        stored.last_seen_at, at
    )


def _forget_loaded(session: Session, model: type[SQLModel], primary_key: object) -> None:
    """An upsert bypasses the ORM: an object of this row loaded earlier in the transaction is
    read afresh on its next use."""
    loaded = session.identity_map.get(sa_inspect(model).identity_key_from_primary_key((primary_key,)))
    if loaded is not None:
        session.expire(loaded)


# What every turn reads of its conversation and its sender: plain columns, prepared once.
class ConversationAsKept(NamedTuple):
    service_url: str
    reference: dict[str, Any]
    tenant_id: str | None
    team_name: str | None
    installed: bool
    unreachable_at: datetime | None
    updated_at: datetime


class MemberAsSeen(NamedTuple):
    id: int
    teams_user_id: str
    display_name: str
    aad_object_id: str | None
    tenant_id: str | None
    locale: str | None
    timezone: str | None
    personal_conversation_id: str | None
    email: str | None
    user_principal_name: str | None
    profile_fetched_at: datetime | None
    last_seen_at: datetime
    declared_department: str | None
    declared_office: str | None
    unit_asked_at: datetime | None


def columns_of(model: type[SQLModel], row: type[tuple[Any, ...]]) -> list[Any]:
    table = table_of(model)
    return [table.c[name] for name in row._fields]  # type: ignore[attr-defined]


_CONVERSATION_AS_KEPT = Prepared(
    select(*columns_of(ConversationRecord, ConversationAsKept)).where(col(ConversationRecord.id) == bindparam("id"))
)
_MEMBER_AS_SEEN = Prepared(
    select(*columns_of(MemberRecord, MemberAsSeen)).where(col(MemberRecord.teams_user_id) == bindparam("user"))
)

"""Key/value documents with ETags: the database side of the dialog state storage."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import bindparam, delete, select, update
from sqlmodel import Session, col

from storage.models import BotStateRecord
from storage.prepared import Prepared
from storage.sql import affected_rows, insert_if_absent, table_of

ANY_ETAG = "*"


class StateConflict(Exception):
    """The document changed since it was read (another turn wrote it first)."""

    def __init__(self, key: str) -> None:
        super().__init__(f"state for {key!r} was changed by another writer")
        self.key = key


# Built once: every turn reads its dialog state.
_READ = Prepared(
    select(col(BotStateRecord.key), col(BotStateRecord.etag), col(BotStateRecord.document)).where(
        col(BotStateRecord.key).in_(bindparam("keys", expanding=True))
    )
)


class StateStore:
    def __init__(self, session: Session) -> None:
        self._session = session

    def read(self, keys: Iterable[str]) -> dict[str, tuple[str, str]]:
        """key -> (etag, document) for the keys that exist."""
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return {}
        rows = _READ.rows(self._session, keys=wanted)
        return {key: (etag, document) for key, etag, document in rows}

    def write(self, key: str, document: str, expected_etag: str | None, at: datetime) -> str:
        """Store `document`; with an `expected_etag` only if the stored one still matches.

        No etag (or "*") overwrites unconditionally, as botbuilder's storages do for
        state that was never read back from storage. Returns the new etag.
        """
        new_etag = uuid.uuid4().hex
        if expected_etag in (None, ANY_ETAG):
            values = {"key": key, "etag": new_etag, "document": document, "updated_at": at}
            if not insert_if_absent(self._session, table_of(BotStateRecord), values, keys=("key",)):
                self._session.execute(
                    update(BotStateRecord)
                    .where(col(BotStateRecord.key) == key)
                    .values(etag=new_etag, document=document, updated_at=at)
                )
            return new_etag
        result = self._session.execute(
            update(BotStateRecord)
            .where(col(BotStateRecord.key) == key)
            .where(col(BotStateRecord.etag) == expected_etag)
            .values(etag=new_etag, document=document, updated_at=at)
        )
        if not affected_rows(result):
            raise StateConflict(key)
        return new_etag

    def delete_unchanged(self, key: str, etag: str) -> None:
        self._session.execute(
            delete(BotStateRecord).where(col(BotStateRecord.key) == key).where(col(BotStateRecord.etag) == etag)
        )

    def stale(self, before: datetime, limit: int) -> list[tuple[str, str, str, datetime]]:
        """(key, etag, document, updated_at) of documents untouched since `before`, oldest first."""
        rows = self._session.execute(
            select(
                col(BotStateRecord.key),
                col(BotStateRecord.etag),
                col(BotStateRecord.document),
                col(BotStateRecord.updated_at),
            )
            .where(col(BotStateRecord.updated_at) < before)
            .order_by(col(BotStateRecord.updated_at))
            .limit(limit)
        ).all()
        return [(key, etag, document, updated_at) for key, etag, document, updated_at in rows]

    def delete(self, keys: Iterable[str]) -> None:
        wanted = list(keys)
        if wanted:
            self._session.execute(delete(BotStateRecord).where(col(BotStateRecord.key).in_(wanted)))

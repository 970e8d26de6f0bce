"""Dialog state in the database: a botbuilder `Storage` and a per-user conversation scope."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import jsonpickle
from botbuilder.core import BotState, Storage, TurnContext
from botbuilder.core.bot_state import CachedBotState

from domain.clock import Clock
from storage.database import Database
from storage.state_store import ANY_ETAG, StateStore

log = logging.getLogger(__name__)

ETAG_FIELD = "e_tag"
# When a running dialog last moved on (ISO 8601): dialogs have a lifetime.
TOUCHED_AT = "touched_at"


def _encode(item: Any) -> str:
    # Dialog state holds objects (DialogState, prompt Activities); jsonpickle round-trips them.
    return jsonpickle.encode(item, keys=True)


def _decode(document: str) -> Any:
    return jsonpickle.decode(document, keys=True)


def _stored_item(etag: str, document: str) -> Any:
    """A stored document as botbuilder holds it: decoded, carrying the etag it was read with."""
    item = _decode(document)
    _set_etag(item, etag)
    return item


def _etag_of(item: Any) -> str | None:
    if isinstance(item, dict):
        return item.get(ETAG_FIELD)
    return getattr(item, ETAG_FIELD, None)


def _set_etag(item: Any, etag: str) -> None:
    if isinstance(item, dict):
        item[ETAG_FIELD] = etag
    elif hasattr(item, ETAG_FIELD):
        item.e_tag = etag


class DatabaseStorage(Storage):
    """botbuilder Storage on the program's database, with ETag optimistic concurrency.

    A write whose item carries the etag it was read with fails (botbuilder raises on the
    turn) when another writer changed the document since; items without an etag, or
    with "*", overwrite.
    """

    def __init__(self, database: Database, clock: Clock) -> None:
        super().__init__()
        self._database = database
        self._clock = clock

    async def read(self, keys: list[str]) -> dict[str, Any]:
        if not keys:
            return {}
        rows = await self._database.run(lambda session: StateStore(session).read(keys))
        return {key: _stored_item(etag, document) for key, (etag, document) in rows.items()}

    async def write(self, changes: dict[str, Any]) -> None:
        if changes is None:
            raise TypeError("changes are required when writing")
        if not changes:
            return
        now = self._clock.now()
        prepared: list[tuple[str, Any, str, str | None]] = []
        for key, item in changes.items():
            etag = _etag_of(item)
            if etag == "":
                raise ValueError(f"empty etag for {key!r}")
            prepared.append((key, item, _encode(_without_etag(item)), None if etag in (None, ANY_ETAG) else etag))

        def work(session: Any) -> list[str]:
            store = StateStore(session)
            return [store.write(key, document, etag, now) for key, _item, document, etag in prepared]

        new_etags = await self._database.run(work)
        for (_key, item, _document, _etag), new_etag in zip(prepared, new_etags, strict=True):
            _set_etag(item, new_etag)

    async def delete_unchanged(self, key: str, etag: str) -> None:
        """Delete a document only as it was read: a concurrent turn's newer state stands."""
        await self._database.run(lambda session: StateStore(session).delete_unchanged(key, etag))

    async def delete(self, keys: list[str]) -> None:
        wanted = list(keys)
        await self._database.run(lambda session: StateStore(session).delete(wanted))


def _without_etag(item: Any) -> Any:
    if isinstance(item, dict) and ETAG_FIELD in item:
        return {key: value for key, value in item.items() if key != ETAG_FIELD}
    return item


class PerUserConversationState(BotState):
    """State for one user in one conversation.

    botbuilder's ConversationState is shared by everyone in a Teams channel, so two people
    answering prompts there would step on each other's dialog; this scope keeps them apart.
    """

    def __init__(self, storage: Storage, clock: Clock, namespace: str = "dialogs") -> None:
        super().__init__(storage, f"PerUserConversationState.{namespace}")
        self._namespace = namespace
        self._clock = clock

    def storage_key_or_none(self, turn_context: TurnContext) -> str | None:
        try:
            return self.get_storage_key(turn_context)
        except ValueError:
            return None

    def prime(self, turn_context: TurnContext, stored: tuple[str, str] | None) -> None:
        """This turn's state as the turn's bookkeeping transaction read it, so it is not read again.

        Nothing stored is cached as {"e_tag": None}, not {}: BotState reads storage again
        whenever its cached state is empty.
        """
        item = {ETAG_FIELD: None} if stored is None else _stored_item(*stored)
        turn_context.turn_state[self._context_service_key] = CachedBotState(item)

    def touched_at(self, turn_context: TurnContext) -> datetime | None:
        """When this person last moved their running dialog on (loaded this turn), if known."""
        cached = turn_context.turn_state.get(self._context_service_key)
        try:
            return datetime.fromisoformat(str(cached.state[TOUCHED_AT])) if cached is not None else None
        except (KeyError, ValueError):
            return None  # state saved before dialogs had a lifetime: the housekeeping job ends it

    def get_storage_key(self, turn_context: TurnContext) -> str:
        return storage_key_for(turn_context, self._namespace)

    async def save_or_forget(self, turn_context: TurnContext) -> None:
        """Save a running dialog's state; forget the state of dialogs that ended.

        Nothing is written for someone with no dialog (most turns), and a stored state whose
        dialogs all ended is deleted rather than kept empty.
        """
        cached = turn_context.turn_state.get(self._context_service_key)
        if cached is None:
            return  # not loaded this turn, so not changed
        if any(getattr(value, "dialog_stack", None) for value in cached.state.values()):
            if cached.is_changed:  # a dialog that moved on is touched; one only looked at is not
                cached.state[TOUCHED_AT] = self._clock.now().isoformat()
            await self.save_changes(turn_context)
            return
        turn_context.turn_state.pop(self._context_service_key, None)
        etag = cached.state.get(ETAG_FIELD)
        if etag and isinstance(self._storage, DatabaseStorage):
            await self._storage.delete_unchanged(self.get_storage_key(turn_context), etag)
        elif etag:
            await self._storage.delete([self.get_storage_key(turn_context)])

    async def clear_user(self, turn_context: TurnContext) -> None:
        """Forget this user's state in this conversation, loaded this turn or not."""
        turn_context.turn_state.pop(self._context_service_key, None)
        await self._storage.delete([self.get_storage_key(turn_context)])


def storage_key_for(turn_context: TurnContext, namespace: str = "dialogs") -> str:
    activity = turn_context.activity
    if not activity.channel_id or not activity.conversation or not activity.from_property:
        raise ValueError("activity lacks channel, conversation or sender for a per-user state key")
    return (
        f"{activity.channel_id}/conversations/{activity.conversation.id}/users/{activity.from_property.id}/{namespace}"
    )

"""Small, documented corrections to the archived Bot Framework SDK (botbuilder 4.17), applied once.

Each one is a cost or a failure seen in this bot; each keeps the SDK's behaviour otherwise.
"""

from __future__ import annotations

import copy
from typing import Any

from botbuilder.core import turn_context
from botbuilder.schema import Activity
from msrest.serialization import Serializer
from msrest.universal_http.requests import ClientRetryPolicy

from dialogs.cards import JsonCard


def apply() -> None:
    # msrest builds its retry policy for every connector client, and CloudAdapter makes one
    # per turn: `[i for i in range(999) if i not in safe_codes]` with a 502-element list
    # costs about 4 ms of event-loop time each time. A frozenset gives the same codes.
    if not isinstance(ClientRetryPolicy.safe_codes, frozenset):
        ClientRetryPolicy.safe_codes = frozenset(ClientRetryPolicy.safe_codes)  # type: ignore[assignment]

    # msrest serialises an attachment's content node by node (and would turn a dict subclass
    # into its str()); a card built by `views` is JSON data already and goes out as it is.
    if not getattr(Serializer.serialize_object, "keeps_json_cards", False):
        serialize_object = Serializer.serialize_object

        def serialize_object_keeping_cards(self: Serializer, attr: Any, **kwargs: Any) -> Any:
            if type(attr) is JsonCard:
                return attr
            return serialize_object(self, attr, **kwargs)

        serialize_object_keeping_cards.keeps_json_cards = True  # type: ignore[attr-defined]
        Serializer.serialize_object = serialize_object_keeping_cards  # type: ignore[method-assign]

    # TurnContext deep-copies each outgoing activity so that applying the conversation
    # reference leaves the caller's activity as it was; that only assigns the copy's fields,
    # and the deep copy walked some 120 nodes of a reply with three cards (0.2 ms of event-loop
    # time a turn). A copy of the activity with lists of its own leaves it just as it was.
    if turn_context.deepcopy is copy.deepcopy:
        turn_context.deepcopy = copy_for_sending  # type: ignore[attr-defined]


def copy_for_sending(value: Any) -> Any:
    """What TurnContext sends instead of the caller's activity: its own fields and lists."""
    if not isinstance(value, Activity):
        return copy.deepcopy(value)
    copied = copy.copy(value)
    for name in ("attachments", "entities"):
        items = getattr(copied, name, None)
        if isinstance(items, list):
            setattr(copied, name, list(items))
    return copied

"""Small, documented corrections to the archived Bot Framework SDK (botbuilder 4.17), applied once.

Each one is a cost or a failure seen in this bot; each keeps the SDK's behaviour otherwise.
"""

from __future__ import annotations

from typing import Any

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

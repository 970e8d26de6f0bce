"""The SDK's models as the JSON the Bot Connector receives, without msrest's generic walk.

msrest serialises a model by looking up, for every attribute of every node, its type's
handler, key transformer and validation rules; for a reply carrying three cards that was
about 0.7 ms of event-loop time, the largest single cost of a chat turn after the database.
The Bot Framework schema needs much less: its models map attributes to keys one to one (no
flattened keys, no subtypes, no read-only fields), and their values are strings, numbers,
booleans, UTC timestamps, other models, and free JSON. `to_wire` does exactly what msrest's
`Serializer.body` does for those, and hands anything else to msrest itself. A property test
holds the two to the same output (tests/bot/test_wire.py).
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any

from botframework.connector import models as connector_models
from msrest.serialization import Model, Serializer

from bot import sdk_patches
from dialogs.cards import JsonCard

_BASIC = {"bool": bool, "int": int, "long": int, "float": float}


@cache
def msrest_serializer() -> Serializer:
    """msrest's serialiser for the connector's models, for what `to_wire` leaves to it."""
    # A Serializer binds its methods when made: made after the patches, it sends cards as built.
    sdk_patches.apply()
    serializer = Serializer({name: model for name, model in vars(connector_models).items() if isinstance(model, type)})
    # The activities are the SDK's own, built by this app: not re-checked field by field.
    serializer.client_side_validation = False
    return serializer


def to_wire(model: Model) -> dict[str, Any]:
    """The model as JSON data, as msrest's `Serializer.body(model, type)` gives it."""
    wired: dict[str, Any] = {}
    for attribute, (key, kind) in _fields(type(model)):
        value = getattr(model, attribute, None)
        if value is not None:
            wired[key] = _typed(value, kind)
    return wired


_FIELDS: dict[type[Model], tuple[tuple[str, tuple[str, Any]], ...]] = {}


def _fields(model_type: type[Model]) -> tuple[tuple[str, tuple[str, Any]], ...]:
    """(attribute, (JSON key, declared type)) of a model class, read once from its schema."""
    fields = _FIELDS.get(model_type)
    if fields is None:
        attributes = model_type._attribute_map
        fields = _FIELDS[model_type] = tuple(
            (attribute, (info["key"], info["type"])) for attribute, info in attributes.items()
        )
    return fields


def _typed(value: Any, kind: Any) -> Any:
    if kind == "str":
        if type(value) is str:
            return value
        return value.value if isinstance(value, Enum) else str(value)
    if kind in _BASIC:
        return _BASIC[kind](value)
    if kind == "object":
        return _free(value)
    if kind == "iso-8601" and isinstance(value, datetime):
        return Serializer.serialize_iso(value)
    if isinstance(kind, str) and kind.startswith("[") and isinstance(value, list):
        item = kind[1:-1]
        return [None if each is None else _typed(each, item) for each in value]
    if isinstance(value, Model):
        return to_wire(value)  # by its own class, as msrest does (a Mention where an Entity is declared)
    return msrest_serializer().serialize_data(value, kind)


def _free(value: Any) -> Any:
    """Free JSON (`object`), as msrest's serialize_object walks it."""
    kind = type(value)
    if kind is JsonCard or kind in (str, int, float, bool):
        return value  # a card from `views` is JSON data already (see sdk_patches)
    if kind is dict:
        return {str(key): None if item is None else _free(item) for key, item in value.items()}
    if kind is list:
        return [None if item is None else _free(item) for item in value]
    if isinstance(value, Model):
        return to_wire(value)
    return msrest_serializer().serialize_object(value)

"""The SDK's models as the JSON the Bot Connector receives, without msrest's generic walk.

msrest serialises a model by looking up, for every attribute of every node, its type's
handler, key transformer and validation rules; for a reply carrying three cards that was
about 0.7 ms of event-loop time, the largest single cost of a chat turn after the database.
The Bot Framework schema needs much less: its models map attributes to keys one to one (no
flattened keys, no subtypes, no read-only fields), and their values are strings, numbers,
booleans, UTC timestamps, other models, and free JSON. `to_wire` does exactly what msrest's
`Serializer.body` does for those, and hands anything else to msrest itself. A property test
holds the two to the same output (tests/bot/test_wire.py).

`from_wire` is the way in: msrest's `Model.deserialize` extracts every attribute of the
schema through its key extractors, present or not (an activity declares about 60), which was
0.3 ms of every turn. It reads the keys present, gives their values to msrest's own
`deserialize_data`, and builds the model with msrest's `_instantiate_model`; models with
flattened keys or subtypes go to msrest whole. A property test holds it to msrest's result.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any

from botbuilder.schema import Activity
from botframework.connector import models as connector_models
from msrest.serialization import Deserializer, Model, Serializer

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


@cache
def msrest_deserializer() -> Deserializer:
    """msrest's deserialiser for the schema's models, as `Activity.deserialize` makes it."""
    return Deserializer(Activity._infer_class_models())


def from_wire(payload: dict[str, Any]) -> Activity:
    """The activity in this JSON, as `Activity().deserialize(payload)` gives it."""
    activity = _read(Activity, payload)
    assert isinstance(activity, Activity)
    return activity


_Plan = tuple[tuple[tuple[str, str, str, type[Model] | None], ...], frozenset[str] | None]
_PLANS: dict[type[Model], _Plan | None] = {}


def _plan(model_type: type[Model]) -> _Plan | None:
    """(attribute, key, declared type, model class of a nested model) and the keys the model
    knows (None: no additional properties); None when msrest must read this model itself."""
    if model_type in _PLANS:
        return _PLANS[model_type]
    attributes = model_type._attribute_map
    plan: _Plan | None
    if (
        getattr(model_type, "_subtype_map", None)
        or any("." in info["key"] for info in attributes.values())
        or any(rules.get("readonly") or rules.get("constant") for rules in model_type._validation.values())
    ):
        plan = None
    else:
        models = msrest_deserializer().dependencies
        fields = []
        for attribute, info in attributes.items():
            if attribute == "additional_properties" and info["key"] == "":
                continue
            nested = models.get(info["type"])
            is_model = isinstance(nested, type) and issubclass(nested, Model)
            fields.append((attribute, info["key"], info["type"], nested if is_model else None))
        # As msrest's `_build_additional_properties`: a real attribute of that name takes none.
        real = "additional_properties" in attributes and attributes["additional_properties"]["key"] != ""
        known = None if real else frozenset(info["key"] for info in attributes.values() if info["key"] != "")
        plan = (tuple(fields), known)
    _PLANS[model_type] = plan
    return plan


def _read(model_type: type[Model], data: Any) -> Model:
    plan = _plan(model_type)
    deserializer = msrest_deserializer()
    if plan is None or type(data) is not dict:
        # msrest raises DeserializationError for data that is not an object, as before.
        return deserializer._deserialize(model_type, data)  # type: ignore[no-any-return]
    fields, known = plan
    values: dict[str, Any] = {}
    for attribute, key, kind, nested in fields:
        raw = data.get(key)
        if raw is None:
            values[attribute] = None
        elif nested is not None:
            values[attribute] = _read(nested, raw)
        else:
            values[attribute] = deserializer.deserialize_data(raw, kind)
    extra = None if known is None else {key: data[key] for key in data.keys() - known}
    return deserializer._instantiate_model(model_type, values, extra)  # type: ignore[no-any-return]

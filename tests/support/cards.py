from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

CHART_SCHEMA = Path(__file__).parent / "schemas" / "teams-charts.schema.json"


@cache
def _schema() -> dict[str, Any]:
    return json.loads((resources.files("adaptive_cards") / "schemas" / "schema-1.5.json").read_text(encoding="utf-8"))


@cache
def _chart_schema() -> dict[str, Any]:
    return json.loads(CHART_SCHEMA.read_text(encoding="utf-8"))


def _charts_as_fallbacks(node: Any) -> Any:
    """The card as a host without charts renders it: each Teams chart element checked against
    Teams' chart schema, then replaced by its fallback (which must be a 1.5 element)."""
    if isinstance(node, list):
        return [_charts_as_fallbacks(item) for item in node]
    if not isinstance(node, dict):
        return node
    kind = str(node.get("type", ""))
    if kind.startswith("Chart."):
        schema = _chart_schema()
        assert kind in schema["definitions"], f"not a chart Teams renders: {kind}"
        jsonschema.validate(node, {**schema, "$ref": f"#/definitions/{kind}"})
        fallback = node["fallback"]
        assert not str(fallback.get("type", "")).startswith("Chart."), (
            "a chart's fallback must show the facts without a chart"
        )
        return _charts_as_fallbacks(fallback)
    return {key: _charts_as_fallbacks(value) for key, value in node.items()}


def assert_valid_card(card: dict[str, Any]) -> None:
    """Adaptive Card 1.5, the version Teams renders, with Teams' chart elements.

    `msteams` is Teams' documented extension (full-width cards, mentions); the official
    schema does not know it, so it is checked here and removed before schema validation.
    """
    assert card["version"] == "1.5"
    extension = card.get("msteams", {})
    assert set(extension) <= {"width", "entities"}, extension
    assert extension.get("width", "Full") == "Full"
    as_rendered = _charts_as_fallbacks({key: value for key, value in card.items() if key != "msteams"})
    jsonschema.validate(as_rendered, _schema())
    unlabelled = [element.get("id") for element in _inputs(card) if not str(element.get("label") or "").strip()]
    assert unlabelled == [], f"every input needs a label a screen reader announces: {unlabelled}"


def _inputs(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        found = [node] if str(node.get("type", "")).startswith("Input.") else []
        return found + [element for value in node.values() for element in _inputs(value)]
    if isinstance(node, list):
        return [element for item in node for element in _inputs(item)]
    return []


def card_texts(card: dict[str, Any]) -> list[str]:
    """Every text a person sees on the card: text blocks, facts and button titles."""
    texts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "TextBlock":
                texts.append(node["text"])
            if str(node.get("type", "")).startswith("Input.") and node.get("label"):
                texts.append(node["label"])
            if node.get("type") == "FactSet":
                for fact in node["facts"]:
                    texts.extend((fact["title"], fact["value"]))
            if str(node.get("type", "")).startswith("Action."):
                texts.append(node["title"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return texts


def card_actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    return list(card.get("actions", []))

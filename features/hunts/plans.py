"""Hunt files: the shipped templates and a lead's own, as JSON checked against `plan.schema.json`.

A hunt is written once (legs, clues, variants, answers, hints, in English, Italian and
Thai), imported from a file or a template, and exported to the same format to be reused
next quarter. `plan_from_data` refuses a file with the place and reason of its first
problem; `plan_to_data` writes what `plan_from_data` reads.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator

from features.hunts.domain import (
    ActionCheck,
    Clue,
    ClueKind,
    GuessRules,
    Hint,
    HuntPlan,
    Leg,
    NearMiss,
    PlanError,
    Scoring,
    Variant,
    check_plan,
)

FORMAT = 1
TEMPLATES = ("d365-sales-basics", "data-quality-sprint")


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(resources.files(__package__).joinpath("plan.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


@cache  # read and checked once per process: `hunt templates` and `new hunt` name them every time
def template(key: str) -> HuntPlan:
    """A shipped template by its key (one of TEMPLATES)."""
    if key not in TEMPLATES:
        raise PlanError(f"no template {key!r}; there are {', '.join(TEMPLATES)}")
    text = resources.files(__package__).joinpath(f"templates/{key}.json").read_text(encoding="utf-8")
    return plan_from_data(json.loads(text))


def plan_from_data(data: Any) -> HuntPlan:
    errors = sorted(_validator().iter_errors(data), key=lambda error: list(error.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(part) for part in first.absolute_path) or "the file"
        raise PlanError(f"{where}: {first.message}")
    scoring = Scoring(**data.get("scoring", {}))
    guesses = data.get("guesses", {})
    given: dict[str, Any] = {name: guesses[name] for name in ("per_minute", "misses_before_lockout") if name in guesses}
    for name in ("first_lockout", "longest_lockout"):
        if f"{name}_minutes" in guesses:
            given[name] = timedelta(minutes=guesses[f"{name}_minutes"])
    rules = GuessRules(**given)
    plan = HuntPlan(
        key=data["key"],
        title=data["title"],
        intro=data["intro"],
        legs=tuple(_leg(leg) for leg in data["legs"]),
        final=_clue(data["final"]) if "final" in data else None,
        scoring=scoring,
        guesses=rules,
        **({"hints_at_start": data["hints_at_start"]} if "hints_at_start" in data else {}),
    )
    return check_plan(plan)


def _minutes(value: float | None) -> timedelta | None:
    return timedelta(minutes=value) if value is not None else None


def _leg(data: Mapping[str, Any]) -> Leg:
    return Leg(
        key=data["key"],
        title=data["title"],
        clues=tuple(_clue(clue) for clue in data["clues"]),
        shuffled=data.get("shuffled", True),
        fragments=tuple(data.get("fragments", ())),
    )


def _clue(data: Mapping[str, Any]) -> Clue:
    check = data.get("check")
    return Clue(
        key=data["key"],
        kind=ClueKind(data["kind"]),
        value=data["value"],
        title=data.get("title", {}),
        variants=tuple(
            Variant(
                text=variant["text"],
                answers=tuple(variant.get("answers", ())),
                near_misses=tuple(
                    NearMiss(tuple(near["answers"]), near["reply"]) for near in variant.get("near_misses", ())
                ),
                walkthrough=variant.get("walkthrough", {}),
            )
            for variant in data["variants"]
        ),
        hints=tuple(Hint(hint["text"], hint["cost"], hint.get("link", "")) for hint in data.get("hints", ())),
        opens_anyway_after=_minutes(data.get("opens_anyway_after_minutes")),
        check=ActionCheck(check["table"], check["filter"], check.get("who", "createdby"), check.get("at_least", 1))
        if check
        else None,
    )


def plan_to_data(plan: HuntPlan) -> dict[str, Any]:
    """The plan as a hunt file (what `plan_from_data` reads back)."""
    scoring, rules = plan.scoring, plan.guesses
    data: dict[str, Any] = {
        "format": FORMAT,
        "key": plan.key,
        "title": dict(plan.title),
        "intro": dict(plan.intro),
        "hints_at_start": plan.hints_at_start,
        "scoring": {
            "first_solve_bonus": scoring.first_solve_bonus,
            "decay_per_solve": scoring.decay_per_solve,
            "floor": scoring.floor,
            "breadth_weight": scoring.breadth_weight,
            "daily_points_cap": scoring.daily_points_cap,
            "freeze_hours": scoring.freeze_hours,
        },
        "guesses": {
            "per_minute": rules.per_minute,
            "misses_before_lockout": rules.misses_before_lockout,
            "first_lockout_minutes": rules.first_lockout.total_seconds() / 60,
            "longest_lockout_minutes": rules.longest_lockout.total_seconds() / 60,
        },
        "legs": [
            {
                "key": leg.key,
                "title": dict(leg.title),
                "shuffled": leg.shuffled,
                "fragments": list(leg.fragments),
                "clues": [_clue_data(clue) for clue in leg.clues],
            }
            for leg in plan.legs
        ],
    }
    if plan.final is not None:
        data["final"] = _clue_data(plan.final)
    return data


def _clue_data(clue: Clue) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": clue.key,
        "kind": clue.kind.value,
        "value": clue.value,
        "variants": [
            {
                "text": dict(variant.text),
                "answers": list(variant.answers),
                "near_misses": [
                    {"answers": list(near.answers), "reply": dict(near.reply)} for near in variant.near_misses
                ],
                **({"walkthrough": dict(variant.walkthrough)} if variant.walkthrough else {}),
            }
            for variant in clue.variants
        ],
        "hints": [
            {"text": dict(hint.text), "cost": hint.cost, **({"link": hint.link} if hint.link else {})}
            for hint in clue.hints
        ],
    }
    if clue.title:
        data["title"] = dict(clue.title)
    if clue.opens_anyway_after is not None:
        data["opens_anyway_after_minutes"] = int(clue.opens_anyway_after.total_seconds() // 60)
    if clue.check is not None:
        data["check"] = {
            "table": clue.check.table,
            "filter": clue.check.filter,
            "who": clue.check.who,
            "at_least": clue.check.at_least,
        }
    return data

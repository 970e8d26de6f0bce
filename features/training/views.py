"""Training cards: the lead's form for a resource, the resources for a reader, the champion's
checklist, and completion for leads."""

from __future__ import annotations

from collections.abc import Sequence

from domain.i18n import Texts
from features.training.domain import ANY, LANGUAGES, Completion, Resource
from views.cards import (
    Card,
    Element,
    adaptive_card,
    choice_input,
    execute_action,
    plain,
    table,
    text_block,
    toggle_input,
)

SAVE = "training.save"
TICK = "training.tick"
ITEM_PREFIX = "item_"


def resource_form(t: Texts, focus_areas: Sequence[str], notice: str = "") -> Card:
    body: list[Element] = [text_block(t("training.form_title"), weight="Bolder", size="Medium")]
    if notice:
        body.append(text_block(notice, color="Attention", weight="Bolder"))
    areas = [(ANY, t("training.every_area"))] + [(area, plain(area)) for area in focus_areas]
    languages = [(ANY, t("training.any_language"))] + [(code, t(f"training.language.{code}")) for code in LANGUAGES]
    body += [
        {"type": "Input.Text", "id": "title", "label": t("training.title"), "maxLength": 120},
        {"type": "Input.Text", "id": "url", "label": t("training.url"), "placeholder": "https://"},
        choice_input("focus_area", t("training.focus_area"), areas, ANY),
        choice_input("language", t("training.language"), languages, ANY),
        toggle_input("required", t("training.required"), False),
        toggle_input("checklist", t("training.in_checklist"), True),
    ]
    return adaptive_card(body, [execute_action(t("training.save"), SAVE, {})])


def _link(item: Resource) -> str:
    return f"[{plain(item.title)}]({item.url})"


def resources_card(t: Texts, items: Sequence[Resource]) -> Card:
    body: list[Element] = [text_block(t("training.list_title"), weight="Bolder", size="Medium")]
    for item in items:
        tags = [t("training.required_tag")] if item.required else []
        if item.focus_area:
            tags.append(plain(item.focus_area))
        body.append(text_block(_link(item) + (f" ({', '.join(tags)})" if tags else "")))
    return adaptive_card(body)


def checklist_card(t: Texts, items: Sequence[Resource], done: set[int]) -> Card:
    finished = sum(1 for item in items if item.id in done)
    body: list[Element] = [
        text_block(t("training.checklist_title"), weight="Bolder", size="Medium"),
        text_block(t("training.checklist_progress", done=finished, count=len(items)), isSubtle=True),
    ]
    for item in items:
        label = item.title + (f" ({t('training.required_tag')})" if item.required else "")
        body += [
            text_block(_link(item), spacing="Medium"),
            toggle_input(f"{ITEM_PREFIX}{item.id}", label, item.id in done),
        ]
    return adaptive_card(body, [execute_action(t("training.tick"), TICK, {})])


def completion_card(t: Texts, departments: Sequence[tuple[str, float, int]], champions: Sequence[Completion]) -> Card:
    department_rows = [(plain(name) or "—", t.percent(share), t.number(count)) for name, share, count in departments]
    champion_rows = [(plain(row.name), plain(row.department) or "—", f"{row.done}/{row.required}") for row in champions]
    return adaptive_card(
        [
            text_block(t("training.progress_title"), weight="Bolder", size="Medium"),
            table([t("training.department"), t("training.done"), t("training.champions")], department_rows, [3, 1, 1]),
            text_block(t("training.least_done"), weight="Bolder", spacing="Medium"),
            table(
                [t("training.champion"), t("training.department"), t("training.required_done")],
                champion_rows,
                [3, 2, 1],
            ),
        ]
    )

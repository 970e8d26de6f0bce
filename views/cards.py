"""Adaptive Cards (1.5, as Teams renders them) built in code, never by string replacement.

Plain data, no SDK: handlers, dialogs and scheduled jobs all build their cards here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from domain.commands import DELETE_MY_DATA, Command
from domain.i18n import Texts, Translator
from domain.program import AuditLine, ErasureNotice, ProgramStatus
from domain.roles import Role
from domain.turn import Card as Card  # the one definition; features import it from here

CARD_VERSION = "1.5"
SCHEMA_URL = "http://adaptivecards.io/schemas/adaptive-card.json"
COMMAND_VERB = "command"
# The data field of a button that runs a command (and its argument, ARGUMENT_FIELD).
COMMAND_FIELD = "command"
MAX_ECHO_LENGTH = 80
# Teams shows at most six actions on a card; the rest are typed.
MAX_CARD_ACTIONS = 6

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<])")

Element = dict[str, Any]


def plain(text: str, limit: int | None = None) -> str:
    """User-provided text shown literally: markdown escaped, optionally shortened."""
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def text_block(text: str, **style: Any) -> Element:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def fact_set(facts: Iterable[tuple[str, str]]) -> Element:
    return {"type": "FactSet", "facts": [{"title": title, "value": value} for title, value in facts]}


def execute_action(title: str, verb: str, data: dict[str, Any]) -> Element:
    return {"type": "Action.Execute", "title": title, "verb": verb, "data": data}


def submit_action(title: str, data: dict[str, Any]) -> Element:
    """A button whose data (plus the card's inputs) comes back as a message's `value`."""
    return {"type": "Action.Submit", "title": title, "data": data}


ARGUMENT_FIELD = "argument"


def command_action(title: str, command_id: str, argument: str = "") -> Element:
    """A button that runs a command, with its argument, as typing it would (in Teams and any host)."""
    return submit_action(title, {COMMAND_FIELD: command_id, ARGUMENT_FIELD: argument})


def open_url_action(title: str, url: str) -> Element:
    return {"type": "Action.OpenUrl", "title": title, "url": url}


def choice_input(element_id: str, label: str, choices: Iterable[tuple[str, str]], value: str) -> Element:
    """A compact drop-down; `choices` are (value, title)."""
    return {
        "type": "Input.ChoiceSet",
        "id": element_id,
        "label": label,
        "style": "compact",
        "value": value,
        "choices": [{"title": title, "value": key} for key, title in choices],
    }


def number_input(element_id: str, label: str, value: int, low: int, high: int) -> Element:
    return {"type": "Input.Number", "id": element_id, "label": label, "value": value, "min": low, "max": high}


def toggle_input(element_id: str, title: str, value: bool) -> Element:
    """A switch whose value comes back as the string "true" or "false"."""
    return {
        "type": "Input.Toggle",
        "id": element_id,
        "label": title,
        "title": title,
        "value": "true" if value else "false",
        "valueOn": "true",
        "valueOff": "false",
    }


def table(header: Sequence[str], rows: Iterable[Sequence[str]], widths: Sequence[int]) -> Element:
    """A table of plain text cells with a bold header row."""

    def row(cells: Sequence[str], bold: bool = False) -> Element:
        return {
            "type": "TableRow",
            "cells": [
                {"type": "TableCell", "items": [text_block(cell, weight="Bolder") if bold else text_block(cell)]}
                for cell in cells
            ],
        }

    return {
        "type": "Table",
        "firstRowAsHeader": True,
        "columns": [{"width": width} for width in widths],
        "rows": [row(header, bold=True), *(row(cells) for cells in rows)],
    }


def chart(kind: str, title: str, data: Sequence[Element], fallback: Element, **style: Any) -> Element:
    """A Teams chart element (`Chart.Line`, `Chart.HorizontalBar`, ...); hosts without charts
    render `fallback` instead, which must state the same facts (a table or text)."""
    return {"type": f"Chart.{kind}", "title": title, "data": list(data), **style, "fallback": fallback}


def adaptive_card(body: Sequence[Element], actions: Sequence[Element] = ()) -> dict[str, Any]:
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA_URL,
        "version": CARD_VERSION,
        "body": list(body),
        # Teams draws cards narrow by default; full width keeps tables readable.
        "msteams": {"width": "Full"},
    }
    if actions:
        card["actions"] = list(actions)
    return card


def help_card(
    translate: Translator,
    locale: str | None,
    role: Role,
    commands: Sequence[Command],
    unknown_text: str | None = None,
) -> dict[str, Any]:
    body: list[Element] = []
    if unknown_text:
        body.append(text_block(translate("help.unknown_text", locale, text=plain(unknown_text, MAX_ECHO_LENGTH))))
    body += [
        text_block(translate("help.title", locale), size="Medium", weight="Bolder"),
        text_block(translate(f"role.{role.value}", locale), isSubtle=True),
        text_block(translate("help.commands_heading", locale), weight="Bolder", spacing="Medium"),
        fact_set(
            (translate(f"command.{command.id}.label", locale), translate(f"command.{command.id}.description", locale))
            for command in commands
        ),
        text_block(translate("help.footer", locale), isSubtle=True, size="Small"),
    ]
    actions = [
        execute_action(translate(f"command.{command.id}.label", locale), COMMAND_VERB, {COMMAND_FIELD: command.id})
        for command in commands
        if command.id not in ("help", "cancel") and not command.needs_argument
    ][:MAX_CARD_ACTIONS]
    return adaptive_card(body, actions)


def did_you_mean_card(question: str, phrase: str, command_id: str, argument: str, help_label: str) -> dict[str, Any]:
    """A near miss: the command it was probably meant as, one press away, and help."""
    return adaptive_card(
        [text_block(question)],
        [
            command_action(phrase, command_id, argument),
            execute_action(help_label, COMMAND_VERB, {COMMAND_FIELD: "help"}),
        ],
    )


def status_card(translate: Translator, locale: str | None, status: ProgramStatus, version: str) -> dict[str, Any]:
    t = Texts(translate, locale)
    facts = [
        (t("status.people"), t.number(status.people)),
        (t("status.personal_installs"), t.number(status.personal_installs)),
        (t("status.team_installs"), t.number(status.team_installs)),
        (t("status.champions_active"), t.number(status.active_champions)),
        (t("status.champions_pending"), t.number(status.pending_champions)),
        (translate("status.version", locale), version),
    ]
    return adaptive_card(
        [text_block(translate("status.title", locale), size="Medium", weight="Bolder"), fact_set(facts)]
    )


def my_data_card(
    translate: Translator,
    locale: str | None,
    parts: Sequence[tuple[str, int]],
    download_url: str,
    minutes: int,
    champion: bool,
) -> dict[str, Any]:
    """What the bot keeps about the reader, part by part, and a link to all of it."""
    t = Texts(translate, locale)
    body: list[Element] = [
        text_block(t("my_data.title"), size="Medium", weight="Bolder"),
        fact_set((t(f"privacy.part.{name}"), t("my_data.records", count=count)) for name, count in parts),
    ]
    if champion:
        body.append(text_block(t("my_data.who_sees")))
    body.append(text_block(t("my_data.link_note", minutes=minutes), isSubtle=True, size="Small"))
    return adaptive_card(body, [open_url_action(t("my_data.download"), download_url)])


def erase_confirmation_card(t: Texts, notice: ErasureNotice, minutes: int, keep: str) -> dict[str, Any]:
    """What `delete my data` would erase and what stays, before anything goes."""
    body: list[Element] = [
        text_block(t("erase.title"), size="Medium", weight="Bolder"),
        text_block(t("erase.goes"), weight="Bolder"),
        fact_set((t(f"privacy.part.{name}"), t("my_data.records", count=count)) for name, count in notice.parts),
        text_block(t("erase.stays"), weight="Bolder"),
        text_block(t("erase.stays_detail")),
    ]
    if notice.champion_unit:
        body.append(text_block(t("erase.champion", unit=plain(notice.champion_unit, 200))))
    if notice.lead:
        body.append(text_block(t("erase.lead")))
    body += [
        text_block(t("erase.elsewhere"), isSubtle=True),
        text_block(t("erase.confirm_note", minutes=minutes), isSubtle=True, size="Small"),
    ]
    actions = [
        {**command_action(t("erase.confirm_button"), DELETE_MY_DATA.id, notice.token), "style": "destructive"},
        command_action(t("erase.keep_button"), DELETE_MY_DATA.id, keep),
    ]
    return adaptive_card(body, actions)


def audit_card(t: Texts, entries: Sequence[AuditLine], filtered_by: str) -> dict[str, Any]:
    """The latest lead actions: when, who, what, about whom or what."""
    title = t("audit.title_filtered", filter=plain(filtered_by, 60)) if filtered_by else t("audit.title")
    body: list[Element] = [text_block(title, size="Medium", weight="Bolder")]
    if not entries:
        body.append(text_block(t("audit.empty")))
    else:
        body.append(
            table(
                [t("audit.when"), t("audit.who"), t("audit.what"), t("audit.about")],
                [
                    [t.moment(entry.at), plain(entry.actor, 60), entry.what, plain(entry.subject, 80)]
                    for entry in entries
                ],
                widths=(2, 2, 2, 3),
            )
        )
    body.append(text_block(t("audit.footer"), isSubtle=True, size="Small"))
    return adaptive_card(body)

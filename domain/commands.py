"""Text commands: exact matching after normalisation, never substring matching.

A feature registers its commands (id, the phrases that trigger it in every shipped
language, who may use it); the transport asks `match()` and the help card asks
`available_to()`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from domain.roles import Role

EVERYONE = frozenset(Role)
LEADS_ONLY = frozenset({Role.PROGRAM_LEAD})

_WHITESPACE = re.compile(r"\s+")
# Trailing punctuation people add out of habit ("help?", "aiuto!", Thai/CJK full stops).
_TRAILING_PUNCTUATION = " \t?!.,;:。！？"


def normalize_text(text: str) -> str:
    """Case-fold, unify Unicode forms and whitespace, drop trailing punctuation."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    collapsed = _WHITESPACE.sub(" ", folded).strip()
    return collapsed.rstrip(_TRAILING_PUNCTUATION).strip()


@dataclass(frozen=True, slots=True)
class Command:
    id: str
    phrases: tuple[str, ...]
    roles: frozenset[Role] = EVERYONE
    # Shown in the help card; False for commands that only make sense inside a flow.
    listed: bool = True

    def allows(self, role: Role) -> bool:
        return role in self.roles


class DuplicatePhraseError(ValueError):
    pass


class CommandCatalog:
    def __init__(self, commands: Iterable[Command] = ()) -> None:
        self._commands: dict[str, Command] = {}
        self._by_phrase: dict[str, Command] = {}
        for command in commands:
            self.register(command)

    def register(self, command: Command) -> None:
        if command.id in self._commands:
            raise DuplicatePhraseError(f"command {command.id!r} registered twice")
        phrases = {normalize_text(phrase) for phrase in command.phrases}
        if "" in phrases:
            raise DuplicatePhraseError(f"{command.id!r} has a phrase that is empty once normalised")
        for phrase in phrases:
            other = self._by_phrase.get(phrase)
            if other is not None:
                raise DuplicatePhraseError(f"{phrase!r} already triggers {other.id!r}")
        self._commands[command.id] = command
        self._by_phrase.update(dict.fromkeys(phrases, command))

    def match(self, text: str) -> Command | None:
        return self._by_phrase.get(normalize_text(text))

    def get(self, command_id: str) -> Command | None:
        return self._commands.get(command_id)

    def available_to(self, role: Role) -> list[Command]:
        return [command for command in self if command.listed and command.allows(role)]

    def __iter__(self) -> Iterator[Command]:
        return iter(self._commands.values())


HELP = Command("help", ("help", "menu", "aiuto", "ช่วยเหลือ", "วิธีใช้"))
CANCEL = Command("cancel", ("cancel", "stop", "annulla", "ยกเลิก"))
PROGRAM_STATUS = Command("status", ("status", "program status", "stato", "stato del programma", "สถานะ"), LEADS_ONLY)


def foundation_commands() -> list[Command]:
    return [HELP, CANCEL, PROGRAM_STATUS]

"""Text commands: exact matching after normalisation, never substring matching.

A feature declares its commands (id, who may use it); the phrases that trigger each, in
every shipped language, live in the locale files beside its label. The transport asks
`match()` and the help card asks `available_to()`. A command that takes an argument also lists `prefixes`: "add lead
x@y" matches the prefix "add lead" on a word boundary and carries "x@y" as the argument.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from domain.i18n import Translator
from domain.roles import Role

EVERYONE = frozenset(Role)
# Teams' command menu, by manifest scope: the 1:1 chat, and channels and group chats.
IN_PERSONAL_MENU = ("personal",)
IN_TEAM_MENUS = ("team", "groupChat")
IN_EVERY_MENU = IN_PERSONAL_MENU + IN_TEAM_MENUS
LEADS_ONLY = frozenset({Role.PROGRAM_LEAD})
# Champions' own commands; leads keep them, since a lead may champion too.
CHAMPIONS = frozenset({Role.CHAMPION, Role.PROGRAM_LEAD})
# Sponsors' own commands; leads keep them, to see what sponsors see.
SPONSORS = frozenset({Role.SPONSOR, Role.PROGRAM_LEAD})
# What only a sponsor may do (their thanks reach champions as a sponsor's).
SPONSORS_ONLY = frozenset({Role.SPONSOR})

# How alike a typed phrase and a command's must be to suggest it (difflib's ratio), and the
# shortest text worth correcting ("hi" is no typo of "help").
SUGGESTION_CUTOFF = 0.8
MIN_SUGGESTED_LENGTH = 4

_WHITESPACE = re.compile(r"\s+")
# Trailing punctuation people add out of habit ("help?", "aiuto!", Thai/CJK full stops).
_TRAILING_PUNCTUATION = " \t?!.,;:。！？"


@functools.lru_cache(maxsize=4096)  # the same names and commands, turn after turn
def normalize_text(text: str) -> str:
    """Case-fold, unify Unicode forms and whitespace, drop trailing punctuation."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    collapsed = _WHITESPACE.sub(" ", folded).strip()
    return collapsed.rstrip(_TRAILING_PUNCTUATION).strip()


@dataclass(frozen=True, slots=True)
class Command:
    id: str
    roles: frozenset[Role] = EVERYONE
    # Shown in the help card; False for commands that only make sense inside a flow.
    listed: bool = True
    # Needs an argument to do anything, so the help card lists it but offers no button.
    needs_argument: bool = False
    # What people type, in every shipped language: from the locale files (`worded`).
    phrases: tuple[str, ...] = ()
    # Leading words after which the rest of the message is the command's argument.
    prefixes: tuple[str, ...] = ()
    # Where Teams' command menu offers it (manifest scopes): the commands people use most.
    menu: tuple[str, ...] = ()
    # The argument is kept as typed, final punctuation included ("ask ... opportunity?").
    verbatim: bool = False

    def allows(self, role: Role) -> bool:
        return role in self.roles

    def worded(self, translate: Translator) -> Command:
        """This command with its phrases and prefixes as the catalogs have them, in every language."""
        return replace(
            self,
            phrases=translate.words(f"command.{self.id}.phrases"),
            prefixes=translate.words(f"command.{self.id}.prefixes"),
        )


@dataclass(frozen=True, slots=True)
class CommandMatch:
    command: Command
    # The words after a prefix, as typed (case kept); "" for an exact phrase.
    argument: str = ""


class DuplicatePhraseError(ValueError):
    pass


class CommandCatalog:
    def __init__(self, commands: Iterable[Command] = ()) -> None:
        self._commands: dict[str, Command] = {}
        self._by_phrase: dict[str, Command] = {}
        self._by_prefix: dict[str, Command] = {}
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
        prefixes = {normalize_text(prefix) for prefix in command.prefixes}
        for prefix in prefixes:
            other = self._by_prefix.get(prefix)
            if not prefix or other is not None:
                raise DuplicatePhraseError(f"prefix {prefix!r} is empty or already taken by {other and other.id!r}")
        self._commands[command.id] = command
        self._by_phrase.update(dict.fromkeys(phrases, command))
        self._by_prefix.update(dict.fromkeys(prefixes, command))

    def match(self, text: str) -> Command | None:
        found = self.match_with_argument(text)
        return found.command if found else None

    def match_with_argument(self, text: str) -> CommandMatch | None:
        """An exact phrase, else the longest prefix followed by a space and an argument."""
        normalized = normalize_text(text)
        exact = self._by_phrase.get(normalized) or self._by_prefix.get(normalized)
        if exact is not None:
            return CommandMatch(exact)
        words = normalized.split(" ")
        for length in range(len(words) - 1, 0, -1):
            command = self._by_prefix.get(" ".join(words[:length]))
            if command is not None:
                return CommandMatch(command, _argument_after(text, length, keep_punctuation=command.verbatim))
        return None

    def get(self, command_id: str) -> Command | None:
        return self._commands.get(command_id)

    def available_to(self, role: Role) -> list[Command]:
        return [command for command in self if command.listed and command.allows(role)]

    def suggest(
        self, text: str, role: Role, phrases_of: Callable[[Command], Iterable[str]]
    ) -> tuple[CommandMatch, str] | None:
        """The command a near miss was probably meant as ("leaderbord" -> "leaderboard"), with
        its argument and the text as it would read corrected; None when nothing is close. Only
        a suggestion: the caller asks, and never runs what was guessed."""
        typed, as_typed = normalize_text(text).split(" "), text.split()
        best: tuple[float, CommandMatch, str] | None = None
        for command in self:
            if not command.allows(role):
                continue
            prefixes = {normalize_text(prefix) for prefix in command.prefixes}
            for phrase in {normalize_text(phrase) for phrase in phrases_of(command)}:
                size = len(phrase.split(" "))
                head, rest = " ".join(typed[:size]), typed[size:]
                if (rest and phrase not in prefixes) or len(head) < MIN_SUGGESTED_LENGTH:
                    continue
                score = SequenceMatcher(None, head, phrase).ratio()
                if SUGGESTION_CUTOFF <= score < 1 and (best is None or score > best[0]):
                    argument = " ".join(as_typed[size:])
                    best = (score, CommandMatch(command, argument), " ".join((phrase, argument)).strip())
        return (best[1], best[2]) if best else None

    def __iter__(self) -> Iterator[Command]:
        return iter(self._commands.values())


def _argument_after(text: str, word_count: int, *, keep_punctuation: bool = False) -> str:
    """The original text after its first `word_count` words (normalisation keeps word count)."""
    parts = unicodedata.normalize("NFKC", text).split()
    argument = " ".join(parts[word_count:])
    return argument if keep_punctuation else argument.rstrip(_TRAILING_PUNCTUATION).strip()


# The platform's own commands; every feature declares its own beside its handlers.
HELP = Command("help", menu=IN_EVERY_MENU)
CANCEL = Command("cancel")
PROGRAM_STATUS = Command("status", LEADS_ONLY, menu=IN_PERSONAL_MENU)
MY_DATA = Command("my_data")
DELETE_MY_DATA = Command("delete_my_data")
AUDIT = Command("audit", LEADS_ONLY)
# The catalog lists the first before the features' commands and the last after them: the help
# card's buttons go to what people come for first.
PLATFORM_COMMANDS_FIRST = (HELP, CANCEL, PROGRAM_STATUS)
PLATFORM_COMMANDS_LAST = (MY_DATA, DELETE_MY_DATA, AUDIT)
PLATFORM_COMMANDS = (*PLATFORM_COMMANDS_FIRST, *PLATFORM_COMMANDS_LAST)

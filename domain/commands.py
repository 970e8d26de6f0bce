"""Text commands: exact matching after normalisation, never substring matching.

A feature registers its commands (id, the phrases that trigger it in every shipped
language, who may use it); the transport asks `match()` and the help card asks
`available_to()`. A command that takes an argument also lists `prefixes`: "add lead
x@y" matches the prefix "add lead" on a word boundary and carries "x@y" as the argument.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from domain.roles import Role

EVERYONE = frozenset(Role)
LEADS_ONLY = frozenset({Role.PROGRAM_LEAD})
# Champions' own commands; leads keep them, since a lead may champion too.
CHAMPIONS = frozenset({Role.CHAMPION, Role.PROGRAM_LEAD})

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
    # Leading words after which the rest of the message is the command's argument.
    prefixes: tuple[str, ...] = ()
    # Needs an argument to do anything, so the help card lists it but offers no button.
    needs_argument: bool = False

    def allows(self, role: Role) -> bool:
        return role in self.roles


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
                return CommandMatch(command, _argument_after(text, length))
        return None

    def get(self, command_id: str) -> Command | None:
        return self._commands.get(command_id)

    def available_to(self, role: Role) -> list[Command]:
        return [command for command in self if command.listed and command.allows(role)]

    def __iter__(self) -> Iterator[Command]:
        return iter(self._commands.values())


def _argument_after(text: str, word_count: int) -> str:
    """The original text after its first `word_count` words (normalisation keeps word count)."""
    parts = unicodedata.normalize("NFKC", text).split()
    return " ".join(parts[word_count:]).rstrip(_TRAILING_PUNCTUATION).strip()


HELP = Command("help", ("help", "menu", "aiuto", "ช่วยเหลือ", "วิธีใช้"))
CANCEL = Command("cancel", ("cancel", "stop", "annulla", "ยกเลิก"))
PROGRAM_STATUS = Command("status", ("status", "program status", "stato", "stato del programma", "สถานะ"), LEADS_ONLY)


FIND_CHAMPION = Command(
    "find_champion",
    (
        "who is my champion",
        "my champion",
        "find a champion",
        "find my champion",
        "who can help me",
        "chi è il mio champion",
        "il mio champion",
        "trova un champion",
        "chi può aiutarmi",
        "ใครคือแชมเปี้ยนของฉัน",
        "แชมเปี้ยนของฉัน",
        "หาแชมเปี้ยน",
    ),
    prefixes=(
        "who can help me with",
        "find a champion for",
        "champion for",
        "chi può aiutarmi con",
        "chi mi può aiutare con",
        "trova un champion per",
        "ใครช่วยฉันเรื่อง",
        "หาแชมเปี้ยนด้าน",
    ),
)
JOIN = Command(
    "join",
    (
        "join",
        "become a champion",
        "i want to be a champion",
        "enrol",
        "enroll",
        "diventa champion",
        "voglio diventare champion",
        "iscriviti",
        "สมัคร",
        "สมัครเป็นแชมเปี้ยน",
    ),
)
NOMINATE = Command("nominate", (), prefixes=("nominate", "nomina", "เสนอชื่อ"))
PROFILE = Command("profile", ("my profile", "profile", "il mio profilo", "profilo", "โปรไฟล์", "โปรไฟล์ของฉัน"))
EDIT_PROFILE = Command("edit_profile", ("edit profile", "modifica profilo", "แก้ไขโปรไฟล์"), listed=False)
PAUSE = Command("pause", ("pause", "pausa", "พักชั่วคราว"), listed=False)
RESUME = Command("resume", ("resume", "riprendi", "กลับมาทำต่อ"), listed=False)
STEP_DOWN = Command("step_down", ("step down", "lascia il ruolo", "ลาออกจากแชมเปี้ยน"), listed=False)
APPROVALS = Command("approvals", ("approvals", "pending", "approvazioni", "รออนุมัติ"), LEADS_ONLY)
COVERAGE = Command("coverage", ("coverage", "copertura", "ความครอบคลุม"), LEADS_ONLY)
SET_TARGET = Command(
    "set_target",
    (),
    LEADS_ONLY,
    prefixes=("set target", "target", "imposta obiettivo", "obiettivo", "ตั้งเป้า"),
    needs_argument=True,
)
PROGRAM_SETTINGS = Command("settings", ("settings", "program settings", "impostazioni", "ตั้งค่า"), LEADS_ONLY)
USE_CHANNEL = Command(
    "use_channel", ("use this channel", "usa questo canale", "ใช้ช่องนี้"), LEADS_ONLY, needs_argument=False, listed=False
)
LIST_LEADS = Command("leads", ("leads", "program leads", "responsabili", "ผู้นำโครงการ"), LEADS_ONLY)
ADD_LEAD = Command(
    "add_lead", (), LEADS_ONLY, prefixes=("add lead", "aggiungi responsabile", "เพิ่มผู้นำ"), needs_argument=True
)
REMOVE_LEAD = Command(
    "remove_lead", (), LEADS_ONLY, prefixes=("remove lead", "rimuovi responsabile", "ลบผู้นำ"), needs_argument=True
)


CHECK_IN = Command(
    "check_in",
    ("check in", "check-in", "checkin", "my check-in", "fai il check-in", "compila il check-in", "เช็คอิน"),
    CHAMPIONS,
)
SKIP_CHECKIN = Command("skip_checkin", (), CHAMPIONS, prefixes=("skip", "salta", "ข้ามรอบ"), listed=False)
SNOOZE_CHECKIN = Command(
    "snooze_checkin",
    ("snooze", "remind me tomorrow", "rimanda", "ricordamelo domani", "เตือนพรุ่งนี้"),
    CHAMPIONS,
    listed=False,
)
CHECKIN_HISTORY = Command(
    "checkin_history",
    ("my check-ins", "my check ins", "check-in history", "i miei check-in", "storico check-in", "ประวัติเช็คอิน"),
    CHAMPIONS,
)
CHECKIN_CADENCE = Command(
    "checkin_cadence",
    ("check-in settings", "check-in cadence", "cadence", "impostazioni check-in", "cadenza", "ตั้งค่าเช็คอิน"),
    LEADS_ONLY,
)
CHECKIN_QUESTIONS = Command(
    "checkin_questions", ("check-in questions", "domande check-in", "คำถามเช็คอิน"), LEADS_ONLY, listed=False
)
CHECKIN_RESULTS = Command(
    "checkin_results",
    (),
    LEADS_ONLY,
    prefixes=("check-in results", "results", "risultati check-in", "risultati", "ผลเช็คอิน"),
)
FEEDBACK = Command("feedback", (), LEADS_ONLY, prefixes=("feedback", "segnalazioni", "ข้อเสนอแนะ"))


SHARE_STORY = Command(
    "share_story",
    ("share a story", "share story", "new story", "condividi una storia", "racconta una storia", "แบ่งปันเรื่องราว"),
)
STORIES = Command("stories", (), prefixes=("stories", "storie", "เรื่องราว"))
KUDOS = Command("kudos", (), prefixes=("kudos", "grazie a", "ขอบคุณ"), needs_argument=True)
LEADERBOARD = Command("leaderboard", (), prefixes=("leaderboard", "classifica", "อันดับ"))
MY_POINTS = Command("my_points", ("my points", "points", "i miei punti", "punti", "คะแนนของฉัน"), CHAMPIONS)
AWARD_POINTS = Command("award_points", (), LEADS_ONLY, prefixes=("award", "assegna", "ให้คะแนน"), needs_argument=True)
REVOKE_POINTS = Command("revoke_points", (), LEADS_ONLY, prefixes=("revoke", "revoca", "หักคะแนน"), needs_argument=True)
RECOGNITION_SETTINGS = Command(
    "recognition_settings",
    ("recognition settings", "impostazioni riconoscimenti", "ตั้งค่าการยกย่อง"),
    LEADS_ONLY,
    listed=False,
)
RECENT_KUDOS = Command("recent_kudos", ("recent kudos", "kudos recenti", "คำขอบคุณล่าสุด"), LEADS_ONLY, listed=False)
STORY_CHANNEL = Command(
    "story_channel",
    ("post stories here", "pubblica le storie qui", "โพสต์เรื่องราวที่นี่"),
    LEADS_ONLY,
    listed=False,
)


def foundation_commands() -> list[Command]:
    return [HELP, CANCEL, PROGRAM_STATUS]


def enrolment_commands() -> list[Command]:
    return [
        FIND_CHAMPION,
        JOIN,
        NOMINATE,
        PROFILE,
        EDIT_PROFILE,
        PAUSE,
        RESUME,
        STEP_DOWN,
        APPROVALS,
        COVERAGE,
        SET_TARGET,
        PROGRAM_SETTINGS,
        USE_CHANNEL,
        LIST_LEADS,
        ADD_LEAD,
        REMOVE_LEAD,
    ]


def checkin_commands() -> list[Command]:
    return [
        CHECK_IN,
        SKIP_CHECKIN,
        SNOOZE_CHECKIN,
        CHECKIN_HISTORY,
        CHECKIN_CADENCE,
        CHECKIN_QUESTIONS,
        CHECKIN_RESULTS,
        FEEDBACK,
    ]


def recognition_commands() -> list[Command]:
    return [
        SHARE_STORY,
        STORIES,
        KUDOS,
        LEADERBOARD,
        MY_POINTS,
        AWARD_POINTS,
        REVOKE_POINTS,
        RECOGNITION_SETTINGS,
        RECENT_KUDOS,
        STORY_CHANNEL,
    ]

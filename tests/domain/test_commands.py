from __future__ import annotations

import pytest

from domain.commands import (
    CANCEL,
    HELP,
    PLATFORM_COMMANDS,
    PROGRAM_STATUS,
    Command,
    CommandCatalog,
    DuplicatePhraseError,
    normalize_text,
)
from domain.i18n import Translator
from domain.roles import Role


@pytest.fixture
def catalog() -> CommandCatalog:
    # The platform's commands, worded from the kernel's locale files as the bot words them.
    translate = Translator()
    return CommandCatalog(command.worded(translate) for command in PLATFORM_COMMANDS)


def matched_id(catalog: CommandCatalog, text: str) -> str | None:
    found = catalog.match(text)
    return found.id if found else None


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("  Help  ", "help"),
        ("HELP?", "help"),
        ("program\u00a0 \t status!", "program status"),
        ("ＨＥＬＰ", "help"),  # full-width letters
        ("สถานะ", "สถานะ"),
        ("...", ""),
    ],
)
def test_normalize_text(raw, normalised):
    assert normalize_text(raw) == normalised


@pytest.mark.parametrize("text", ["help", "Help!", "aiuto", "ช่วยเหลือ", " MENU "])
def test_help_phrases_in_every_language(catalog, text):
    assert matched_id(catalog, text) == HELP.id


@pytest.mark.parametrize("text", ["helpful", "please help", "help me with status", "statuses", "", "?", "cancel it"])
def test_no_substring_or_prefix_matching(catalog, text):
    assert catalog.match(text) is None


def test_cancel_and_status(catalog):
    assert matched_id(catalog, "Annulla") == CANCEL.id
    assert matched_id(catalog, "stato del programma") == PROGRAM_STATUS.id


def test_a_phrase_can_trigger_only_one_command(catalog):
    with pytest.raises(DuplicatePhraseError):
        catalog.register(Command("other", phrases=("HELP",)))
    with pytest.raises(DuplicatePhraseError):
        catalog.register(Command("help", phrases=("something new",)))
    with pytest.raises(DuplicatePhraseError):
        catalog.register(Command("empty", phrases=("?!",)))


def test_available_commands_depend_on_role(catalog):
    catalog.register(Command("hidden", listed=False, phrases=("hidden",)))
    everyone = ["help", "cancel", "my_data", "delete_my_data"]
    assert [c.id for c in catalog.available_to(Role.EMPLOYEE)] == everyone
    assert [c.id for c in catalog.available_to(Role.CHAMPION)] == everyone
    assert [c.id for c in catalog.available_to(Role.PROGRAM_LEAD)] == [
        "help",
        "cancel",
        "status",
        "my_data",
        "delete_my_data",
        "audit",
    ]


@pytest.mark.parametrize(
    ("typed", "locale", "meant"),
    [
        ("who is my champoin", "en", "who is my champion"),
        ("leaderbord", "en", "leaderboard"),
        ("leaderbord quarter", "en", "leaderboard quarter"),
        ("chi è il mio campione", "it", "chi è il mio champion"),
        ("classifca", "it", "classifica"),
    ],
)
def test_a_near_miss_suggests_the_command_in_the_users_language(typed, locale, meant):
    catalog, translate = _installed_catalog()
    assert _suggestion(catalog, translate, typed, locale) == meant


@pytest.mark.parametrize("typed", ["hi", "hello there", "what is the weather", "leaderboard forever and ever"])
def test_nothing_is_suggested_for_what_is_not_close(typed):
    catalog, translate = _installed_catalog()
    assert _suggestion(catalog, translate, typed, "en") is None


def test_a_suggestion_is_only_among_commands_the_role_may_use():
    catalog, translate = _installed_catalog()
    assert _suggestion(catalog, translate, "aprovals", "en", Role.PROGRAM_LEAD) == "approvals"
    assert _suggestion(catalog, translate, "aprovals", "en", Role.EMPLOYEE) is None


def _installed_catalog():
    from bot.assembly import command_catalog, translator_for
    from features.installed import INSTALLED_FEATURES

    translate = translator_for(INSTALLED_FEATURES)
    return command_catalog(translate, INSTALLED_FEATURES), translate


def _suggestion(catalog, translate, typed, locale, role=None):
    def phrases_of(command):
        key = f"command.{command.id}"
        return translate.words_in(f"{key}.phrases", locale) + translate.words_in(f"{key}.prefixes", locale)

    found = catalog.suggest(typed, role or Role.PROGRAM_LEAD, phrases_of)
    return found[1] if found else None


def test_a_suggestion_keeps_the_argument_as_typed():
    catalog, translate = _installed_catalog()

    def phrases_of(command):
        key = f"command.{command.id}"
        return translate.words_in(f"{key}.phrases", "en") + translate.words_in(f"{key}.prefixes", "en")

    found = catalog.suggest("kudso Rita for the Quote template", Role.CHAMPION, phrases_of)
    assert found is not None
    meant, corrected = found
    assert (meant.command.id, meant.argument) == ("kudos", "Rita for the Quote template")
    assert corrected == "kudos Rita for the Quote template"

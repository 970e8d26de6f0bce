from __future__ import annotations

import pytest

from domain.commands import (
    CANCEL,
    HELP,
    PROGRAM_STATUS,
    Command,
    CommandCatalog,
    DuplicatePhraseError,
    foundation_commands,
    normalize_text,
)
from domain.roles import Role


@pytest.fixture
def catalog() -> CommandCatalog:
    return CommandCatalog(foundation_commands())


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
    assert catalog.match(text) is HELP


@pytest.mark.parametrize("text", ["helpful", "please help", "help me with status", "statuses", "", "?", "cancel it"])
def test_no_substring_or_prefix_matching(catalog, text):
    assert catalog.match(text) is None


def test_cancel_and_status(catalog):
    assert catalog.match("Annulla") is CANCEL
    assert catalog.match("stato del programma") is PROGRAM_STATUS


def test_a_phrase_can_trigger_only_one_command(catalog):
    with pytest.raises(DuplicatePhraseError):
        catalog.register(Command("other", ("HELP",)))
    with pytest.raises(DuplicatePhraseError):
        catalog.register(Command("help", ("something new",)))
    with pytest.raises(DuplicatePhraseError):
        catalog.register(Command("empty", ("?!",)))


def test_available_commands_depend_on_role(catalog):
    catalog.register(Command("hidden", ("hidden",), listed=False))
    assert [c.id for c in catalog.available_to(Role.EMPLOYEE)] == ["help", "cancel"]
    assert [c.id for c in catalog.available_to(Role.CHAMPION)] == ["help", "cancel"]
    assert [c.id for c in catalog.available_to(Role.PROGRAM_LEAD)] == ["help", "cancel", "status"]

"""Enrolment's command phrases, as the locale files give them and the bot matches them."""

from __future__ import annotations

from bot.assembly import command_catalog, translator_for
from domain.commands import CommandCatalog
from features.installed import INSTALLED_FEATURES


def matched_id(catalog: CommandCatalog, text: str) -> str | None:
    found = catalog.match(text)
    return found.id if found else None


def test_argument_commands_match_on_word_boundaries_only():
    catalog = command_catalog(translator_for(INSTALLED_FEATURES), INSTALLED_FEATURES)
    found = catalog.match_with_argument("Set Target office Milan 3")
    assert found is not None and found.command.id == "set_target" and found.argument == "office Milan 3"
    assert catalog.match_with_argument("nominate")
    assert matched_id(catalog, "nominate") == "nominate"
    assert catalog.match("nominated someone") is None, "no substring matching"
    assert matched_id(catalog, "become a champion!") == "join"
    assert catalog.match_with_argument("who can help me with Field Service").argument == "Field Service"

from __future__ import annotations

import string

import pytest

from domain.commands import PLATFORM_COMMANDS
from domain.i18n import SHIPPED_LANGUAGES, Translator, load_catalogs
from domain.roles import Role

CATALOGS = load_catalogs()


def messages(catalog):
    """The catalog's messages, without the command phrases (word lists)."""
    return {key: value for key, value in catalog.items() if isinstance(value, str)}


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


@pytest.mark.parametrize("language", [language for language in SHIPPED_LANGUAGES if language != "en"])
def test_every_language_has_every_key_with_the_same_placeholders(language):
    english, other = messages(CATALOGS["en"]), messages(CATALOGS[language])
    assert set(other) == set(english)
    for key, template in english.items():
        assert placeholders(other[key]) == placeholders(template), key
        assert other[key].strip(), key


def test_every_listed_command_and_role_has_texts():
    for command in PLATFORM_COMMANDS:
        for part in ("label", "description"):
            assert f"command.{command.id}.{part}" in CATALOGS["en"]
    for role in Role:
        assert f"role.{role.value}" in CATALOGS["en"]


@pytest.mark.parametrize(
    ("locale", "language"),
    [("it-IT", "it"), ("it", "it"), ("th_TH", "th"), ("en-GB", "en"), ("de-DE", "en"), (None, "en"), ("", "en")],
)
def test_language_for_locale(locale, language):
    assert Translator(CATALOGS).language_for(locale) == language


def test_default_language_is_configurable_and_english_is_the_fallback():
    translate = Translator(CATALOGS, default_language="it")
    assert translate("cancel.done", "fr-FR") == "Va bene, ho annullato."
    partial = {"en": {"a": "A {x}"}, "it": {}}
    assert Translator(partial)("a", "it-IT", x=1) == "A 1"


def test_user_text_with_braces_is_not_interpreted():
    translate = Translator(CATALOGS)
    assert (
        translate("help.unknown_text", "en", text="{0} {name}")
        == "I didn't understand \"{0} {name}\". Here's what I can do."
    )

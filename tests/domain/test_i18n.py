from __future__ import annotations

import string
from datetime import UTC, date, datetime, time

import pytest

from domain.commands import PLATFORM_COMMANDS
from domain.i18n import SHIPPED_LANGUAGES, Texts, Translator, load_catalogs
from domain.roles import Role

CATALOGS = load_catalogs()


def messages(catalog):
    """The catalog's messages, without the command phrases (word lists); plural forms as one text."""
    return {
        key: value if isinstance(value, str) else " ".join(text for form, text in value.items() if form != "plural")
        for key, value in catalog.items()
        if not isinstance(value, list)
    }


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


@pytest.mark.parametrize("language", [language for language in SHIPPED_LANGUAGES if language != "en"])
def test_every_language_has_every_key_with_the_same_placeholders(language):
    english, other = messages(CATALOGS["en"]), messages(CATALOGS[language])
    assert set(other) == set(english)
    for key, template in english.items():
        # A language may leave the count out of its singular ("the most recent story").
        assert placeholders(other[key]) - {"count"} == placeholders(template) - {"count"}, key
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


PLURALS = {
    "en": {
        "n": {"one": "{count} champion", "other": "{count} champions"},
        "gap": {"plural": "gap", "one": "{gap} seat", "other": "{gap} seats"},
    },
    "it": {"n": {"one": "{count} campione", "other": "{count} campioni"}},
    "th": {"n": {"other": "แชมเปี้ยน {count} คน"}},
}


@pytest.mark.parametrize(
    ("locale", "count", "text"),
    [
        ("en", 1, "1 champion"),
        ("en", 0, "0 champions"),
        ("en", 2, "2 champions"),
        ("en", 1.5, "1.5 champions"),
        ("en", 1200, "1,200 champions"),
        ("it", 1, "1 campione"),
        ("it", 0, "0 campioni"),
        ("it", 1200, "1.200 campioni"),
        ("th", 1, "แชมเปี้ยน 1 คน"),
    ],
)
def test_a_count_picks_its_cldr_plural_form_and_is_written_the_readers_way(locale, count, text):
    assert Translator(PLURALS)("n", locale, count=count) == text


def test_a_plural_entry_can_name_its_count_and_needs_a_number():
    translate = Translator(PLURALS)
    assert translate("gap", "en", gap=1) == "1 seat"
    with pytest.raises(TypeError):
        translate("n", "en", count="3")


def test_dates_times_and_numbers_follow_the_readers_locale_and_zone():
    catalogs = {"en": {"when": "On {day} at {at}: {score}"}, "it": {"when": "Il {day} alle {at}: {score}"}, "th": {}}
    translate = Translator(catalogs)
    assert (
        translate("when", "it", day=date(2026, 11, 30), at=time(10, 0), score=3.5) == "Il 30 nov 2026 alle 10:00: 3,5"
    )
    assert (
        translate("when", "en", day=date(2026, 11, 30), at=time(10, 0), score=3.5) == "On Nov 30, 2026 at 10:00 AM: 3.5"
    )
    rome = Texts(translate, "it-IT", "Europe/Rome")
    assert rome.moment(datetime(2026, 11, 30, 9, 0, tzinfo=UTC)) == "30 nov 2026, 10:00"
    assert rome.number(3.5, digits=1) == "3,5" and rome.percent(0.42) == "42%"
    assert Texts(translate, "th", "Asia/Bangkok").moment(datetime(2026, 11, 30, 9, 0, tzinfo=UTC)).endswith("16:00")
    assert Texts(translate, "en").day_range(date(2026, 11, 30), date(2026, 12, 3)) == "Nov 30 – Dec 3, 2026"


def test_a_regional_locale_keeps_its_own_formats():
    translate = Translator({"en": {"day": "{day}"}})
    assert translate("day", "en-GB", day=date(2026, 11, 30)) == "30 Nov 2026"
    assert translate("day", "en-US", day=date(2026, 11, 30)) == "Nov 30, 2026"
    assert translate("day", "xx-??", day=date(2026, 11, 30)) == "Nov 30, 2026"

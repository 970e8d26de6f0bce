"""Every message that counts something reads right for 1 and for many, in every language.

A count is a parameter named in `COUNTS`; when the English text puts a word after it
("{days} days"), the message must be an object of CLDR plural forms chosen by that count.
"""

from __future__ import annotations

import re
import string

import pytest
from babel import Locale

from bot.assembly import translator_for
from domain.i18n import KERNEL_LOCALES, PLURAL_ARGUMENT, SHIPPED_LANGUAGES, load_catalogs
from features.installed import INSTALLED_FEATURES

COUNTS = {"count", "days", "high", "hours", "length", "limit", "misses", "points", "shown", "target", "total"}
PACKAGES = (KERNEL_LOCALES, *(feature.locales for feature in INSTALLED_FEATURES))
CATALOGS = load_catalogs(PACKAGES)


def counted_before_a_word(template: str) -> set[str]:
    """Count placeholders followed by a word: "{days} days" counts days; "{total}." doesn't."""
    return {name for name in re.findall(r"\{(\w+)\}\s+[^\W\d_]", template) if name in COUNTS}


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def test_every_counted_noun_has_plural_forms():
    english = CATALOGS["en"]
    missing = [key for key, entry in english.items() if isinstance(entry, str) and counted_before_a_word(entry)]
    assert missing == [], "give these plural forms: " + ", ".join(missing)


@pytest.mark.parametrize("language", SHIPPED_LANGUAGES)
def test_plural_entries_have_each_cldr_form_of_their_language(language):
    needed = set(Locale.parse(language).plural_form.tags) | {"other"}
    for key, entry in CATALOGS[language].items():
        if not isinstance(entry, dict):
            continue
        english = CATALOGS["en"][key]
        assert isinstance(english, dict), f"{key} is plural in {language} but not in English"
        assert entry.get(PLURAL_ARGUMENT, "count") == english.get(PLURAL_ARGUMENT, "count"), key
        forms = {form: text for form, text in entry.items() if form != PLURAL_ARGUMENT}
        assert needed <= set(forms), f"{key} in {language} lacks {needed - set(forms)}"
        english_fields = set().union(*(placeholders(text) for form, text in english.items() if form != PLURAL_ARGUMENT))
        for text in forms.values():
            assert placeholders(text) <= english_fields | {entry.get(PLURAL_ARGUMENT, "count")}, (key, language)


@pytest.mark.parametrize(
    ("language", "one", "many"),
    [
        ("en", "Target saved: Rome should have 1 champion.", "Target saved: Rome should have 2 champions."),
        (
            "it",
            "Obiettivo salvato: Rome dovrebbe avere 1 champion.",
            "Obiettivo salvato: Rome dovrebbe avere 2 champion.",
        ),
    ],
)
def test_a_count_of_one_reads_in_the_singular(language, one, many):
    translate = translator_for(INSTALLED_FEATURES)
    assert translate("target.saved", language, unit="Rome", target=1) == one
    assert translate("target.saved", language, unit="Rome", target=2) == many


@pytest.mark.parametrize(
    ("language", "hours", "period", "text"),
    [
        ("en", 1, "week", "1 hour a week"),
        ("en", 2, "month", "2 hours a month"),
        ("it", 1, "month", "1 ora al mese"),
        ("it", 3, "week", "3 ore alla settimana"),
        ("th", 2, "month", "2 ชั่วโมงต่อเดือน"),
    ],
)
def test_the_time_commitment_reads_in_the_readers_language(language, hours, period, text):
    assert translator_for(INSTALLED_FEATURES)(f"commitment.{period}", language, hours=hours) == text

"""One translation function for every user-facing string, and the words that trigger commands.

Catalogs are JSON files, one per language with the same keys: the kernel's in
`domain/locales/`, each feature's in its own `locales/`. An entry is one of:
- a message, a string with `{placeholders}`;
- a message with a count, an object of CLDR plural forms (`{"one": "...", "other": "..."}`),
  chosen by the `count` parameter (or the one its `"plural"` member names) with Babel's
  CLDR rules, so "1 champion" and "2 champions" read right in every language;
- a command's phrases (`command.<id>.phrases`, `command.<id>.prefixes`), a list of words,
  so that a translator sees what people type beside the command's label and description.

Parameters are formatted for the reader: numbers, dates, times and date-times with Babel
(CLDR), date-times in the reader's time zone. So callers pass values, never preformatted
strings. English is the fallback for an unknown locale.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from importlib import resources

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_interval, format_skeleton, format_time, get_datetime_format
from babel.numbers import format_decimal, format_percent

from domain.clock import zone

FALLBACK_LANGUAGE = "en"
SHIPPED_LANGUAGES = ("en", "it", "th")
KERNEL_LOCALES = "domain.locales"
# The member of a plural entry that names the parameter holding the count (default `count`).
PLURAL_ARGUMENT = "plural"

Entry = str | list[str] | dict[str, str]
Catalog = Mapping[str, Entry]


class DuplicateKeyError(ValueError):
    pass


def load_catalogs(
    packages: Iterable[str] = (KERNEL_LOCALES,), languages: Sequence[str] = SHIPPED_LANGUAGES
) -> dict[str, dict[str, Entry]]:
    """Each language's catalog, merged from the packages' `<language>.json`; a key belongs to one package."""
    merged: dict[str, dict[str, Entry]] = {language: {} for language in languages}
    owner: dict[str, str] = {}
    for package in packages:
        files = resources.files(package)
        for language in languages:
            catalog: dict[str, Entry] = json.loads((files / f"{language}.json").read_text(encoding="utf-8"))
            for key in catalog:
                if owner.setdefault(key, package) != package:
                    raise DuplicateKeyError(f"{key!r} is in both {owner[key]} and {package}")
            merged[language].update(catalog)
    return merged


class Translator:
    def __init__(
        self,
        catalogs: Mapping[str, Catalog] | None = None,
        default_language: str = FALLBACK_LANGUAGE,
        default_timezone: str = "UTC",
    ) -> None:
        loaded = catalogs if catalogs is not None else load_catalogs()
        self._catalogs: dict[str, dict[str, str | dict[str, str]]] = {
            language: {key: value for key, value in catalog.items() if not isinstance(value, list)}
            for language, catalog in loaded.items()
        }
        self._word_lists: dict[str, dict[str, list[str]]] = {
            language: {key: list(value) for key, value in catalog.items() if isinstance(value, list)}
            for language, catalog in loaded.items()
        }
        if FALLBACK_LANGUAGE not in self._catalogs:
            raise ValueError("the English catalog is required as the fallback")
        self._default = default_language if default_language in self._catalogs else FALLBACK_LANGUAGE
        self.default_timezone = default_timezone

    def language_for(self, locale: str | None) -> str:
        """'it-IT' -> 'it'; anything unknown -> the program's default language."""
        if locale:
            language = locale.replace("_", "-").split("-", 1)[0].lower()
            if language in self._catalogs:
                return language
        return self._default

    def in_every_language(self, key: str) -> list[str]:
        """A message as each catalog has it: for reading words a user may type in any language."""
        return [self(key, language) for language in self._catalogs]

    def words_in(self, key: str, locale: str | None) -> tuple[str, ...]:
        """A word list in the reader's language only (for suggesting what they meant)."""
        return tuple(self._word_lists[self.language_for(locale)].get(key, ()))

    def words(self, key: str) -> tuple[str, ...]:
        """A word list (e.g. a command's phrases) in every language together: people type any of them."""
        return tuple(word for lists in self._word_lists.values() for word in lists.get(key, ()))

    def __call__(self, key: str, locale: str | None = None, /, **params: object) -> str:
        return self.render(key, locale, self.default_timezone, params)

    def render(self, key: str, locale: str | None, timezone: str, params: Mapping[str, object]) -> str:
        """The message for a reader: their language, their formats, date-times in their zone."""
        language = self.language_for(locale)
        entry = self._catalogs[language].get(key) or self._catalogs[FALLBACK_LANGUAGE][key]
        if isinstance(entry, dict):
            entry = plural_form(entry, language, params)
        if not params:
            return entry
        formats = formatting_locale(locale, language)
        return entry.format(**{name: format_value(value, formats, timezone) for name, value in params.items()})


@functools.lru_cache(maxsize=1024)  # a few locales, asked on every message: Babel parses each once
def formatting_locale(locale: str | None, language: str) -> str:
    """The reader's own locale for formats when its messages are in that language (en-GB writes
    "30 Nov 2026", en-US "Nov 30, 2026"), else the messages' language."""
    try:
        parsed = Locale.parse((locale or "").replace("-", "_")) if locale else None
    except (ValueError, TypeError, UnknownLocaleError):
        parsed = None
    return str(parsed) if parsed is not None and parsed.language == language else language


def plural_form(forms: Mapping[str, str], language: str, params: Mapping[str, object]) -> str:
    """The form of a plural entry for its count, by CLDR's rules for the language."""
    argument = forms.get(PLURAL_ARGUMENT, "count")
    count = params.get(argument)
    if not isinstance(count, int | float | Decimal) or isinstance(count, bool):
        raise TypeError(f"a plural message needs a number in {argument!r}, got {count!r}")
    category = Locale.parse(language).plural_form(abs(count))  # type: ignore[arg-type]
    return forms.get(category) or forms["other"]


def format_value(value: object, language: str, timezone: str) -> object:
    """A parameter as the reader's locale writes it; text stays as it is."""
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int | float | Decimal):
        return format_decimal(value, locale=language)
    if isinstance(value, datetime):
        return format_moment(value, language, timezone)
    if isinstance(value, date):
        return format_date(value, "medium", locale=language)
    if isinstance(value, time):
        return format_time(value, "short", locale=language)
    return value


def format_moment(moment: datetime, language: str, timezone: str) -> str:
    """A date and time without seconds, in the reader's zone (a naive one is a wall clock already)."""
    local = moment.astimezone(zone(timezone, "UTC")) if moment.tzinfo else moment
    pattern = get_datetime_format("medium", locale=language)
    return (
        str(pattern)
        .replace("{1}", format_date(local, "medium", locale=language))
        .replace("{0}", format_time(local, "short", locale=language))
    )


class Texts:
    """Translate and format for one reader: `t("key", name=...)`, `t.number(3.5)`, `t.day(date)`."""

    def __init__(self, translate: Translator, locale: str | None, timezone: str | None = None) -> None:
        self.translate = translate
        self.locale = locale
        self.language = formatting_locale(locale, translate.language_for(locale))
        self.timezone = timezone or translate.default_timezone

    def __call__(self, key: str, /, **params: object) -> str:
        return self.translate.render(key, self.locale, self.timezone, params)

    def number(self, value: float | int | Decimal, digits: int | None = None) -> str:
        """`digits` fixes the decimals shown (3.5 -> "3,5" in Italian with digits=1)."""
        pattern = None if digits is None else "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, pattern, locale=self.language)

    def signed(self, value: float | int) -> str:
        """A change with its sign: "+5", "-3"."""
        return format_decimal(value, "+#,##0.###;-#,##0.###", locale=self.language)

    def percent(self, fraction: float) -> str:
        return format_percent(fraction, locale=self.language)

    def day(self, day: date) -> str:
        return format_date(day, "medium", locale=self.language)

    def month(self, key: str) -> str:
        """A month kept as "2026-11", as the reader writes it ("November 2026", "novembre 2026")."""
        try:
            year, month = (int(part) for part in key.split("-", 1))
            return format_skeleton("yMMMM", date(year, month, 1), locale=self.language)
        except ValueError:
            return key

    def moment(self, moment: datetime) -> str:
        return format_moment(moment, self.language, self.timezone)

    def clock_time(self, moment: datetime) -> str:
        """Only the time of day, in the reader's zone ("3:00 PM", "15:00")."""
        return format_time(moment.astimezone(zone(self.timezone, "UTC")), "short", locale=self.language)

    def day_range(self, first: date, last: date) -> str:
        """A range of days, as the locale writes one ("Nov 30 to Dec 3, 2026" with an en dash)."""
        return format_interval(first, last, "yMMMd", locale=self.language)

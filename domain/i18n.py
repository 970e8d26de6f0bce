"""One translation function for every user-facing string, and the words that trigger commands.

Catalogs are JSON files, one per language with the same keys: the kernel's in
`domain/locales/`, each feature's in its own `locales/`. A message is a string; a command's
phrases (`command.<id>.phrases`, `command.<id>.prefixes`) are lists, so that a translator
sees the words people type beside the command's label and description.
English is the fallback for an unknown locale.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources

FALLBACK_LANGUAGE = "en"
SHIPPED_LANGUAGES = ("en", "it", "th")
KERNEL_LOCALES = "domain.locales"

Entry = str | list[str]
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
    ) -> None:
        loaded = catalogs if catalogs is not None else load_catalogs()
        self._catalogs: dict[str, dict[str, str]] = {
            language: {key: value for key, value in catalog.items() if isinstance(value, str)}
            for language, catalog in loaded.items()
        }
        self._word_lists: dict[str, dict[str, list[str]]] = {
            language: {key: list(value) for key, value in catalog.items() if not isinstance(value, str)}
            for language, catalog in loaded.items()
        }
        if FALLBACK_LANGUAGE not in self._catalogs:
            raise ValueError("the English catalog is required as the fallback")
        self._default = default_language if default_language in self._catalogs else FALLBACK_LANGUAGE

    def language_for(self, locale: str | None) -> str:
        """'it-IT' -> 'it'; anything unknown -> the program's default language."""
        if locale:
            language = locale.replace("_", "-").split("-", 1)[0].lower()
            if language in self._catalogs:
                return language
        return self._default

    def in_every_language(self, key: str) -> list[str]:
        """A message as each catalog has it: for reading words a user may type in any language."""
        return [catalog.get(key) or self._catalogs[FALLBACK_LANGUAGE][key] for catalog in self._catalogs.values()]

    def words(self, key: str) -> tuple[str, ...]:
        """A word list (e.g. a command's phrases) in every language together: people type any of them."""
        return tuple(word for lists in self._word_lists.values() for word in lists.get(key, ()))

    def __call__(self, key: str, locale: str | None = None, /, **params: object) -> str:
        language = self.language_for(locale)
        template = self._catalogs[language].get(key) or self._catalogs[FALLBACK_LANGUAGE][key]
        return template.format(**params) if params else template


class Texts:
    """Translate in one locale: `t("key", name=...)`."""

    def __init__(self, translate: Translator, locale: str | None) -> None:
        self.translate = translate
        self.locale = locale

    def __call__(self, key: str, /, **params: object) -> str:
        return self.translate(key, self.locale, **params)

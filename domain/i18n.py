"""One translation function for every user-facing string.

Catalogs are JSON files in `domain/locales/`, one per language, with the same keys.
English is the fallback for an unknown locale.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from importlib import resources

FALLBACK_LANGUAGE = "en"
SHIPPED_LANGUAGES = ("en", "it", "th")


def load_catalogs(languages: tuple[str, ...] = SHIPPED_LANGUAGES) -> dict[str, dict[str, str]]:
    package = resources.files("domain.locales")
    return {language: json.loads((package / f"{language}.json").read_text(encoding="utf-8")) for language in languages}


class Translator:
    def __init__(
        self,
        catalogs: Mapping[str, Mapping[str, str]] | None = None,
        default_language: str = FALLBACK_LANGUAGE,
    ) -> None:
        self._catalogs = dict(catalogs) if catalogs is not None else load_catalogs()
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

    def __call__(self, key: str, locale: str | None = None, /, **params: object) -> str:
        language = self.language_for(locale)
        template = self._catalogs[language].get(key) or self._catalogs[FALLBACK_LANGUAGE][key]
        return template.format(**params) if params else template

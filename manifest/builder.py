"""Writes the Teams app package: manifest.json (app id, command menu), its translations and the two icons, zipped."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
HOST_NAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
SEMVER = re.compile(r"^\d+\.\d+\.\d+$")
ICONS = ("color.png", "outline.png")


class ManifestError(ValueError):
    pass


def _template() -> dict[str, Any]:
    return json.loads((resources.files("manifest") / "manifest.template.json").read_text(encoding="utf-8"))


@dataclass(frozen=True, slots=True)
class MenuItem:
    """A command in Teams' command menu: its manifest scopes, and (title, description) per language."""

    scopes: tuple[str, ...]
    texts: Mapping[str, tuple[str, str]]


# Teams' language tags for the languages the app ships in; the first is the manifest's own.
LANGUAGE_TAGS = {"en": "en-us", "it": "it-it", "th": "th-th"}
DEFAULT_LANGUAGE = "en"
MENU_SCOPES = (("personal",), ("team", "groupChat"))
LOCALIZATION_SCHEMA = (
    "https://developer.microsoft.com/en-us/json-schemas/teams/v1.19/MicrosoftTeams.Localization.schema.json"
)
# Localization keys for the app's own texts (also filled into the manifest in the default language).
APP_TEXT_KEYS = ("name.full", "description.short", "description.full")


def render_manifest(
    app_id: str,
    domain: str,
    version: str,
    menu: Sequence[MenuItem] = (),
    app_texts: Mapping[str, Mapping[str, str]] | None = None,
) -> dict[str, Any]:
    """The manifest for this deployment; raises ManifestError on values Teams would reject.

    `menu` fills Teams' command lists, one per scope group; `app_texts` (language -> the
    APP_TEXT_KEYS) gives the app's name and descriptions, with the other languages as
    localization files (`localization_files`)."""
    if not GUID.match(app_id or ""):
        raise ManifestError("the Microsoft App ID must be a GUID (set MicrosoftAppId or pass --app-id)")
    domain = domain.strip().lower()
    if not HOST_NAME.match(domain):
        raise ManifestError(f"{domain!r} is not a host name such as champions.contoso.com (no scheme, no path)")
    if not SEMVER.match(version):
        raise ManifestError(f"version {version!r} must look like 1.2.3")
    manifest = _template()
    manifest["id"] = app_id
    manifest["version"] = version
    manifest["bots"][0]["botId"] = app_id
    manifest["validDomains"] = [domain]
    manifest["developer"].update(
        websiteUrl=f"https://{domain}/", privacyUrl=f"https://{domain}/privacy", termsOfUseUrl=f"https://{domain}/terms"
    )
    if menu:
        manifest["bots"][0]["commandLists"] = [
            {"scopes": list(scopes), "commands": [{"title": "", "description": ""} for _ in items]}
            for scopes, items in _menus(menu)
        ]
    for key, text in _strings(menu, app_texts or {}, DEFAULT_LANGUAGE).items():
        _set(manifest, key, text)
    others = [language for language in _languages(menu, app_texts) if language != DEFAULT_LANGUAGE]
    if others:
        manifest["localizationInfo"] = {
            "defaultLanguageTag": LANGUAGE_TAGS[DEFAULT_LANGUAGE],
            "additionalLanguages": [
                {"languageTag": LANGUAGE_TAGS[language], "file": f"{language}.json"} for language in others
            ],
        }
    return manifest


def localization_files(
    menu: Sequence[MenuItem], app_texts: Mapping[str, Mapping[str, str]]
) -> dict[str, dict[str, str]]:
    """`it.json`, `th.json`, ...: the manifest's strings in each language but the default."""
    short_name = _template()["name"]["short"]
    return {
        f"{language}.json": {
            "$schema": LOCALIZATION_SCHEMA,
            "name.short": short_name,
            **_strings(menu, app_texts, language),
        }
        for language in _languages(menu, app_texts)
        if language != DEFAULT_LANGUAGE
    }


def _languages(menu: Sequence[MenuItem], app_texts: Mapping[str, Mapping[str, str]] | None) -> list[str]:
    found = set(app_texts or {}) | {language for item in menu for language in item.texts}
    return [language for language in LANGUAGE_TAGS if language in found]


def _menus(menu: Sequence[MenuItem]) -> list[tuple[tuple[str, ...], list[MenuItem]]]:
    """Each scope group with its commands, in the order given."""
    grouped = [(scopes, [item for item in menu if set(scopes) & set(item.scopes)]) for scopes in MENU_SCOPES]
    return [(scopes, items) for scopes, items in grouped if items]


def _strings(menu: Sequence[MenuItem], app_texts: Mapping[str, Mapping[str, str]], language: str) -> dict[str, str]:
    """One language's strings, keyed as Teams' localization files key them."""
    strings = {key: text for key, text in (app_texts.get(language) or {}).items() if key in APP_TEXT_KEYS}
    for list_index, (_scopes, items) in enumerate(_menus(menu)):
        for index, item in enumerate(items):
            title, description = item.texts.get(language) or item.texts[DEFAULT_LANGUAGE]
            strings[f"bots[0].commandLists[{list_index}].commands[{index}].title"] = title
            strings[f"bots[0].commandLists[{list_index}].commands[{index}].description"] = description
    return strings


def _set(manifest: dict[str, Any], key: str, text: str) -> None:
    """Set a localization key ("bots[0].commandLists[1].commands[2].title") in the manifest."""
    node: Any = manifest
    parts = [int(part[1:-1]) if part.startswith("[") else part for part in re.findall(r"[^.\[\]]+|\[\d+\]", key)]
    for part in parts[:-1]:
        node = node[part]
    node[parts[-1]] = text


def build_package(
    app_id: str,
    domain: str,
    version: str,
    output: Path,
    menu: Sequence[MenuItem] = (),
    app_texts: Mapping[str, Mapping[str, str]] | None = None,
) -> Path:
    manifest = render_manifest(app_id, domain, version, menu, app_texts)
    output.parent.mkdir(parents=True, exist_ok=True)
    package = resources.files("manifest")
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # Teams wants the three files at the root of the zip, not in a folder.
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
        for icon in ICONS:
            archive.writestr(icon, (package / icon).read_bytes())
        for name, strings in localization_files(menu, app_texts or {}).items():
            archive.writestr(name, json.dumps(strings, indent=2, ensure_ascii=False))
    return output

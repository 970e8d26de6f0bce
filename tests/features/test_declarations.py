"""Every installed feature's declaration is complete: texts in every language, phrases, tables, jobs."""

from __future__ import annotations

import string

import pytest
from sqlmodel import SQLModel

import storage.models
from bot.feature import Feature
from domain.commands import PLATFORM_COMMANDS
from domain.i18n import KERNEL_LOCALES, SHIPPED_LANGUAGES, DuplicateKeyError, load_catalogs
from features.installed import INSTALLED_FEATURES

CATALOGS = load_catalogs((KERNEL_LOCALES, *(feature.locales for feature in INSTALLED_FEATURES)))
FEATURES = {feature.name: feature for feature in INSTALLED_FEATURES}


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def messages(language: str) -> dict[str, str]:
    return {key: value for key, value in CATALOGS[language].items() if isinstance(value, str)}


def test_feature_names_are_unique():
    assert len(FEATURES) == len(INSTALLED_FEATURES)


@pytest.mark.parametrize("language", [language for language in SHIPPED_LANGUAGES if language != "en"])
def test_every_message_is_in_every_language_with_the_same_placeholders(language):
    english, other = messages("en"), messages(language)
    assert set(other) == set(english)
    for key, template in english.items():
        assert placeholders(other[key]) == placeholders(template), key
        assert other[key].strip(), key


def test_a_key_belongs_to_one_feature(tmp_path, monkeypatch):
    package = tmp_path / "copycat"
    package.mkdir()
    for language in SHIPPED_LANGUAGES:
        (package / f"{language}.json").write_text('{"help.title": "Mine"}', encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(DuplicateKeyError, match=r"help\.title"):
        load_catalogs((KERNEL_LOCALES, "copycat"))


@pytest.mark.parametrize("feature", INSTALLED_FEATURES, ids=lambda feature: feature.name)
def test_every_command_has_a_label_a_description_and_words_in_every_language(feature: Feature):
    for on in feature.commands:
        command_id = on.command.id
        for part in ("label", "description"):
            assert f"command.{command_id}.{part}" in CATALOGS["en"], command_id
        for language in SHIPPED_LANGUAGES:
            words = [
                *CATALOGS[language].get(f"command.{command_id}.phrases", []),
                *CATALOGS[language].get(f"command.{command_id}.prefixes", []),
            ]
            assert words, f"{command_id} has nothing to type in {language}"


def test_command_ids_are_unique_across_the_platform_and_features():
    ids = [command.id for command in PLATFORM_COMMANDS] + [
        on.command.id for feature in INSTALLED_FEATURES for on in feature.commands
    ]
    assert len(ids) == len(set(ids))


def test_card_verbs_are_unique():
    verbs = [on_card.verb for feature in INSTALLED_FEATURES for on_card in feature.card_actions]
    assert len(verbs) == len(set(verbs))


def test_every_table_belongs_to_the_platform_or_to_exactly_one_feature():
    platform = {
        model.__tablename__
        for model in vars(storage.models).values()
        if isinstance(model, type) and issubclass(model, SQLModel) and hasattr(model, "__table__")
    }
    owners: dict[str, str] = {}
    for feature in INSTALLED_FEATURES:
        for table in feature.tables:
            name = str(table.__tablename__)
            assert name not in owners and name not in platform, name
            owners[name] = feature.name
    application_tables = set(SQLModel.metadata.tables) - {"apscheduler_jobs"}
    assert application_tables == platform | set(owners)


def test_job_ids_are_unique():
    ids = [spec.id for feature in INSTALLED_FEATURES for spec in feature.jobs("Europe/Rome")]
    assert ids and len(ids) == len(set(ids))

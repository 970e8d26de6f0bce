"""Every column that can hold personal data is declared by the platform or by one feature.

A column is declared `personal` (its feature hands it over in `my data`) or `not_personal`
(it names no one). A new table or column that may hold personal data fails here until
someone decides which it is.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, MetaData, String, Table
from sqlmodel import SQLModel

import storage.models  # noqa: F401 - the platform's tables
from features.installed import INSTALLED_FEATURES
from storage.privacy import PLATFORM_DATA, undeclared_columns

DECLARATIONS = [PLATFORM_DATA, *(feature.personal_data for feature in INSTALLED_FEATURES if feature.personal_data)]


def test_every_column_that_may_hold_personal_data_is_declared_once():
    assert undeclared_columns(SQLModel.metadata.tables.values(), DECLARATIONS) == []


def test_every_feature_with_tables_declares_its_personal_data():
    assert [feature.name for feature in INSTALLED_FEATURES if feature.tables and feature.personal_data is None] == []


def test_a_new_column_without_a_declaration_fails():
    # The member table as it is, plus a column a new feature might add.
    metadata = MetaData()
    for table in SQLModel.metadata.tables.values():
        table.to_metadata(metadata)
    member = metadata.tables["member"]
    member.append_column(Column("nickname", String(64)))
    member.append_column(Column("visits", Integer()))  # a plain count: cannot name anyone
    Table(
        "quiz_player",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("member_id", ForeignKey("member.id")),
    )

    assert undeclared_columns(metadata.tables.values(), DECLARATIONS) == [
        "member.nickname is not declared",
        "quiz_player.member_id is not declared",
    ]


def test_a_declaration_of_a_column_that_does_not_exist_fails():
    stale = PLATFORM_DATA.__class__(
        export=PLATFORM_DATA.export, erase=PLATFORM_DATA.erase, not_personal={"member": ["nickname"]}
    )
    assert undeclared_columns(SQLModel.metadata.tables.values(), [*DECLARATIONS, stale]) == [
        "member.nickname is declared but does not exist"
    ]

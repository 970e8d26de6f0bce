"""every champion's referral count, with their department and team beside it, in the order a search ranks

A search ranked all of a department's champions to suggest three: its time grew with the
department. The count now carries the champion's department and team, indexed in the order a
search ranks by (fewest colleagues pointed to, then who enrolled first), so a search reads a
few rows of the index. Every champion gets a count row, at 0 when nobody was pointed to them.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-02 12:30:00
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import sqlmodel.sql.sqltypes


revision: str = "0033"
down_revision: Union[str, None] = "0032"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("champion_referral_count") as batch:
        batch.add_column(sa.Column("department", TEXT(length=256), nullable=False, server_default=""))
        batch.add_column(sa.Column("team", TEXT(length=256), nullable=False, server_default=""))
    op.execute(
        "INSERT INTO champion_referral_count (champion_id, people, department, team) "
        "SELECT id, 0, '', '' FROM champion "
        "WHERE id NOT IN (SELECT champion_id FROM champion_referral_count)"
    )
    op.execute(
        "UPDATE champion_referral_count SET "
        "department = (SELECT department FROM champion WHERE champion.id = champion_referral_count.champion_id), "
        "team = (SELECT team FROM champion WHERE champion.id = champion_referral_count.champion_id)"
    )
    with op.batch_alter_table("champion_referral_count") as batch:
        batch.alter_column("department", server_default=None)
        batch.alter_column("team", server_default=None)
    op.create_index(
        "ix_champion_referral_count_department",
        "champion_referral_count",
        ["department", "people", "champion_id", "team"],
        unique=False,
    )
    op.create_index(
        "ix_champion_referral_count_team",
        "champion_referral_count",
        ["department", "team", "people", "champion_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_champion_referral_count_team", table_name="champion_referral_count")
    op.drop_index("ix_champion_referral_count_department", table_name="champion_referral_count")
    with op.batch_alter_table("champion_referral_count") as batch:
        batch.drop_column("team")
        batch.drop_column("department")

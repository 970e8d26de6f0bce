"""hunt team groups: teams by department or office, and the units a lead grouped

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 05:30:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import sqlmodel.sql.sqltypes


revision: str = '0023'
down_revision: Union[str, None] = '0022'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table('hunt') as batch:
        batch.add_column(sa.Column('teams_by', TEXT(length=16), nullable=False, server_default='department'))
        batch.add_column(sa.Column('team_groups', sa.JSON(), nullable=False, server_default='[]'))


def downgrade() -> None:
    with op.batch_alter_table('hunt') as batch:
        batch.drop_column('team_groups')
        batch.drop_column('teams_by')

"""seasons: leaderboards that start again from a date, nothing deleted

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-02 07:00:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import sqlmodel.sql.sqltypes
import storage.types


revision: str = '0028'
down_revision: Union[str, None] = '0027'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UTC = storage.types.UTCDateTime(timezone=True)
TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        'recognition_season',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', TEXT(length=40), nullable=False),
        sa.Column('starts_at', UTC, nullable=False),
        sa.Column('started_by', TEXT(length=256), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name'),
    )


def downgrade() -> None:
    op.drop_table('recognition_season')

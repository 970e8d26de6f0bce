"""hunt pause: when a lead paused a running hunt (its end moves by the pause)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-02 05:00:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0022'
down_revision: Union[str, None] = '0021'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UTC = storage.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table('hunt') as batch:
        batch.add_column(sa.Column('paused_at', UTC, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('hunt') as batch:
        batch.drop_column('paused_at')

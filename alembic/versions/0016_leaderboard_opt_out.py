"""leaderboard opt-out: people who asked not to be named on leaderboards and public posts

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 00:20:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0016'
down_revision: Union[str, None] = '0015'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'leaderboard_opt_out',
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('hidden_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['member_id'], ['member.id']),
        sa.PrimaryKeyConstraint('member_id'),
    )


def downgrade() -> None:
    op.drop_table('leaderboard_opt_out')

"""referral counts kept as referrals are recorded, and a search's department index covering what it ranks by

A search ranks a department's champions by how many colleagues were pointed to each; counting
their champion_referral rows on every search grew with the program's history. The department
index now holds every column the ranking reads, so a search reads one stretch of the index.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 23:30:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0014'
down_revision: Union[str, None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'champion_referral_count',
        sa.Column('champion_id', sa.Integer(), nullable=False),
        sa.Column('people', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['champion_id'], ['champion.id']),
        sa.PrimaryKeyConstraint('champion_id'),
    )
    op.execute(
        "INSERT INTO champion_referral_count (champion_id, people) "
        "SELECT champion_id, count(*) FROM champion_referral GROUP BY champion_id"
    )
    op.drop_index('ix_champion_department', table_name='champion')
    op.create_index(
        'ix_champion_department',
        'champion',
        ['department', 'listed', 'status', 'paused_until', 'team', 'office', 'member_id'],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index('ix_champion_department', table_name='champion')
    op.create_index('ix_champion_department', 'champion', ['department'], unique=False)
    op.drop_table('champion_referral_count')

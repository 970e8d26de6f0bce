"""referrals counted where they are recorded: champion.people_pointed goes

A search no longer updates the champion rows it suggests; how many colleagues were pointed
to a champion is the number of its champion_referral rows, which the column only repeated.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 20:30:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0012'
down_revision: Union[str, None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35+): a batch copy of the table would trip the foreign keys
    # that point at champion rows.
    op.drop_column('champion', 'people_pointed')


def downgrade() -> None:
    op.add_column('champion', sa.Column('people_pointed', sa.Integer(), nullable=False, server_default='0'))
    op.execute(
        "UPDATE champion SET people_pointed = "
        "(SELECT count(*) FROM champion_referral WHERE champion_referral.champion_id = champion.id)"
    )

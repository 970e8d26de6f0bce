"""hunt rehearsal and revision: a dry run with champions only, and a count of a plan's edits

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02 06:00:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op


revision: str = '0024'
down_revision: Union[str, None] = '0023'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('hunt') as batch:
        batch.add_column(sa.Column('rehearsal', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('revision', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('hunt') as batch:
        batch.drop_column('revision')
        batch.drop_column('rehearsal')

"""dialog state by age: forms have a lifetime

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 18:30:00
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0011'
down_revision: Union[str, None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('bot_state', schema=None) as batch_op:
        batch_op.create_index('ix_bot_state_updated_at', ['updated_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('bot_state', schema=None) as batch_op:
        batch_op.drop_index('ix_bot_state_updated_at')

"""reply reports: replicas tell the outbox sender how much of Teams' budget chat uses

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 21:00:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import sqlmodel.sql.sqltypes
import storage.types


revision: str = '0013'
down_revision: Union[str, None] = '0012'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'reply_report',
        sa.Column('replica', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('replies', sa.Integer(), nullable=False),
        sa.Column('reported_at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('replica'),
    )
    op.create_index('ix_reply_report_reported_at', 'reply_report', ['reported_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_reply_report_reported_at', table_name='reply_report')
    op.drop_table('reply_report')

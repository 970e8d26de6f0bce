"""digests: weekly health lines, leads' digest schedules, deliveries, decisions for sponsors,
and the points ledger indexed by time (who was recognised lately)

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-02 07:40:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import sqlmodel.sql.sqltypes
import storage.types


revision: str = '0027'
down_revision: Union[str, None] = '0026'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UTC = storage.types.UTCDateTime(timezone=True)
TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_index(
        'ix_points_entry_period',
        'points_entry',
        ['created_at', 'reason', 'champion_id', 'department', 'points'],
        unique=False,
    )
    op.create_table(
        'digest_health',
        sa.Column('period', TEXT(length=16), nullable=False),
        sa.Column('coverage', sa.Float(), nullable=True),
        sa.Column('activity', sa.Float(), nullable=True),
        sa.Column('voice', sa.Float(), nullable=True),
        sa.Column('recognition', sa.Float(), nullable=True),
        sa.Column('computed_at', UTC, nullable=False),
        sa.PrimaryKeyConstraint('period'),
    )
    op.create_table(
        'digest_schedule',
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('weekday', sa.Integer(), nullable=False),
        sa.Column('hour', sa.Integer(), nullable=False),
        sa.Column('snoozed_until', sa.Date(), nullable=True),
        sa.Column('updated_at', UTC, nullable=False),
        sa.ForeignKeyConstraint(['member_id'], ['member.id']),
        sa.PrimaryKeyConstraint('member_id'),
    )
    op.create_table(
        'digest_delivery',
        sa.Column('kind', TEXT(length=16), nullable=False),
        sa.Column('period', TEXT(length=16), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('sent', sa.Boolean(), nullable=False),
        sa.Column('decided_at', UTC, nullable=False),
        sa.ForeignKeyConstraint(['member_id'], ['member.id']),
        sa.PrimaryKeyConstraint('kind', 'period', 'member_id'),
    )
    op.create_table(
        'digest_decision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('question', TEXT(length=500), nullable=False),
        sa.Column('raised_by', TEXT(length=256), nullable=False),
        sa.Column('raised_at', UTC, nullable=False),
        sa.Column('answer', TEXT(length=16), nullable=True),
        sa.Column('answered_by', TEXT(length=256), nullable=True),
        sa.Column('answered_at', UTC, nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )


def downgrade() -> None:
    op.drop_table('digest_decision')
    op.drop_table('digest_delivery')
    op.drop_table('digest_schedule')
    op.drop_table('digest_health')
    op.drop_index('ix_points_entry_period', table_name='points_entry')

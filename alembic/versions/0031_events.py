"""events: champion meetings with occurrences and invitees, and champions' office hours

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-02 08:00:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import sqlmodel.sql.sqltypes
import storage.types


revision: str = '0031'
down_revision: Union[str, None] = '0030'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UTC = storage.types.UTCDateTime(timezone=True)
TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        'event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title', TEXT(length=120), nullable=False),
        sa.Column('minutes', sa.Integer(), nullable=False),
        sa.Column('meeting_url', TEXT(length=2000), nullable=False),
        sa.Column('repeat', TEXT(length=16), nullable=False),
        sa.Column('audience', sa.JSON(), nullable=False),
        sa.Column('created_by', TEXT(length=256), nullable=False),
        sa.Column('created_at', UTC, nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'event_occurrence',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('starts_at', UTC, nullable=False),
        sa.Column('day_reminded_at', UTC, nullable=True),
        sa.Column('hour_reminded_at', UTC, nullable=True),
        sa.ForeignKeyConstraint(['event_id'], ['event.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_event_occurrence_event_id', 'event_occurrence', ['event_id'], unique=False)
    op.create_index('ix_event_occurrence_starts_at', 'event_occurrence', ['starts_at'], unique=False)
    op.create_table(
        'event_invitee',
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('answer', TEXT(length=8), nullable=True),
        sa.Column('answered_at', UTC, nullable=True),
        sa.ForeignKeyConstraint(['event_id'], ['event.id']),
        sa.ForeignKeyConstraint(['member_id'], ['member.id']),
        sa.PrimaryKeyConstraint('event_id', 'member_id'),
    )
    op.create_table(
        'office_hours',
        sa.Column('champion_id', sa.Integer(), nullable=False),
        sa.Column('weekday', sa.Integer(), nullable=False),
        sa.Column('starts', TEXT(length=5), nullable=False),
        sa.Column('ends', TEXT(length=5), nullable=False),
        sa.Column('topic', TEXT(length=80), nullable=False),
        sa.Column('timezone', TEXT(length=64), nullable=False),
        sa.Column('updated_at', UTC, nullable=False),
        sa.ForeignKeyConstraint(['champion_id'], ['champion.id']),
        sa.PrimaryKeyConstraint('champion_id'),
    )


def downgrade() -> None:
    op.drop_table('office_hours')
    op.drop_table('event_invitee')
    op.drop_index('ix_event_occurrence_starts_at', table_name='event_occurrence')
    op.drop_index('ix_event_occurrence_event_id', table_name='event_occurrence')
    op.drop_table('event_occurrence')
    op.drop_table('event')

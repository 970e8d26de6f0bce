"""hunt checks: action clues verified in the business system, off the chat turn

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 04:00:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import sqlmodel.sql.sqltypes
import storage.types


revision: str = '0020'
down_revision: Union[str, None] = '0019'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UTC = storage.types.UTCDateTime(timezone=True)
TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        'hunt_check',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('hunt_id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('clue_key', TEXT(length=32), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=True),
        sa.Column('status', TEXT(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('requested_at', UTC, nullable=False),
        sa.Column('next_attempt_at', UTC, nullable=False),
        sa.Column('claimed_at', UTC, nullable=True),
        sa.Column('finished_at', UTC, nullable=True),
        sa.Column('found', sa.Integer(), nullable=True),
        sa.Column('error', TEXT(length=500), nullable=True),
        sa.ForeignKeyConstraint(['hunt_id'], ['hunt.id']),
        sa.ForeignKeyConstraint(['member_id'], ['member.id']),
        sa.ForeignKeyConstraint(['team_id'], ['hunt_team.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_hunt_check_due', 'hunt_check', ['status', 'next_attempt_at'], unique=False)
    op.create_index('ix_hunt_check_member_id', 'hunt_check', ['member_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_hunt_check_member_id', table_name='hunt_check')
    op.drop_index('ix_hunt_check_due', table_name='hunt_check')
    op.drop_table('hunt_check')

"""hunts: treasure hunts, their teams, each team's clues, answers, players and score adjustments

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 03:00:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import sqlmodel.sql.sqltypes
import storage.types


revision: str = '0019'
down_revision: Union[str, None] = '0018'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UTC = storage.types.UTCDateTime(timezone=True)
TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        'hunt',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title', TEXT(length=200), nullable=False),
        sa.Column('plan', sa.JSON(), nullable=False),
        sa.Column('salt', TEXT(length=64), nullable=False),
        sa.Column('status', TEXT(length=16), nullable=False),
        sa.Column('starts_at', UTC, nullable=True),
        sa.Column('ends_at', UTC, nullable=True),
        sa.Column('created_by', TEXT(length=256), nullable=False),
        sa.Column('created_at', UTC, nullable=False),
        sa.Column('updated_at', UTC, nullable=False),
        sa.Column('opened_at', UTC, nullable=True),
        sa.Column('closed_at', UTC, nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_hunt_status', 'hunt', ['status'], unique=False)
    op.create_table(
        'hunt_team',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('hunt_id', sa.Integer(), nullable=False),
        sa.Column('name', TEXT(length=256), nullable=False),
        sa.Column('departments', sa.JSON(), nullable=False),
        sa.Column('headcount', sa.Integer(), nullable=False),
        sa.Column('timezone', TEXT(length=64), nullable=False),
        sa.Column('code_word', TEXT(length=32), nullable=False),
        sa.Column('hints_granted', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['hunt_id'], ['hunt.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_hunt_team_name', 'hunt_team', ['hunt_id', 'name'], unique=True)
    op.create_table(
        'hunt_clue_state',
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('clue_key', TEXT(length=32), nullable=False),
        sa.Column('hunt_id', sa.Integer(), nullable=False),
        sa.Column('leg_key', TEXT(length=32), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('variant', sa.Integer(), nullable=False),
        sa.Column('opened_at', UTC, nullable=True),
        sa.Column('solved_at', UTC, nullable=True),
        sa.Column('solved_by_member_id', sa.Integer(), nullable=True),
        sa.Column('award', sa.Integer(), nullable=False),
        sa.Column('hints_used', sa.Integer(), nullable=False),
        sa.Column('misses_in_a_row', sa.Integer(), nullable=False),
        sa.Column('lockouts', sa.Integer(), nullable=False),
        sa.Column('locked_until', UTC, nullable=True),
        sa.Column('recent_misses', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['hunt_id'], ['hunt.id']),
        sa.ForeignKeyConstraint(['solved_by_member_id'], ['member.id']),
        sa.ForeignKeyConstraint(['team_id'], ['hunt_team.id']),
        sa.PrimaryKeyConstraint('team_id', 'clue_key'),
    )
    op.create_index('ix_hunt_clue_state_hunt_id', 'hunt_clue_state', ['hunt_id'], unique=False)
    op.create_index('ix_hunt_clue_state_solved', 'hunt_clue_state', ['hunt_id', 'clue_key', 'solved_at'], unique=False)
    op.create_table(
        'hunt_answer',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('hunt_id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('clue_key', TEXT(length=32), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=True),
        sa.Column('answer', sa.Text(), nullable=False),
        sa.Column('verdict', TEXT(length=16), nullable=False),
        sa.Column('at', UTC, nullable=False),
        sa.ForeignKeyConstraint(['hunt_id'], ['hunt.id']),
        sa.ForeignKeyConstraint(['member_id'], ['member.id']),
        sa.ForeignKeyConstraint(['team_id'], ['hunt_team.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_hunt_answer_clue', 'hunt_answer', ['hunt_id', 'clue_key', 'at'], unique=False)
    op.create_index('ix_hunt_answer_member_id', 'hunt_answer', ['member_id'], unique=False)
    op.create_table(
        'hunt_player',
        sa.Column('hunt_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('first_played_at', UTC, nullable=False),
        sa.ForeignKeyConstraint(['hunt_id'], ['hunt.id']),
        sa.ForeignKeyConstraint(['member_id'], ['member.id']),
        sa.ForeignKeyConstraint(['team_id'], ['hunt_team.id']),
        sa.PrimaryKeyConstraint('hunt_id', 'member_id'),
    )
    op.create_index('ix_hunt_player_team_id', 'hunt_player', ['team_id'], unique=False)
    op.create_table(
        'hunt_adjustment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('hunt_id', sa.Integer(), nullable=False),
        sa.Column('team_id', sa.Integer(), nullable=False),
        sa.Column('points', sa.Integer(), nullable=False),
        sa.Column('reason', TEXT(length=500), nullable=False),
        sa.Column('by', TEXT(length=256), nullable=False),
        sa.Column('at', UTC, nullable=False),
        sa.ForeignKeyConstraint(['hunt_id'], ['hunt.id']),
        sa.ForeignKeyConstraint(['team_id'], ['hunt_team.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_hunt_adjustment_hunt_id', 'hunt_adjustment', ['hunt_id'], unique=False)


def downgrade() -> None:
    for index, table in (
        ('ix_hunt_adjustment_hunt_id', 'hunt_adjustment'),
        ('ix_hunt_player_team_id', 'hunt_player'),
        ('ix_hunt_answer_member_id', 'hunt_answer'),
        ('ix_hunt_answer_clue', 'hunt_answer'),
        ('ix_hunt_clue_state_solved', 'hunt_clue_state'),
        ('ix_hunt_clue_state_hunt_id', 'hunt_clue_state'),
        ('ix_hunt_team_name', 'hunt_team'),
        ('ix_hunt_status', 'hunt'),
    ):
        op.drop_index(index, table_name=table)
    for table in ('hunt_adjustment', 'hunt_player', 'hunt_answer', 'hunt_clue_state', 'hunt_team', 'hunt'):
        op.drop_table(table)

"""questions: ask a champion

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-02 07:20:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import sqlmodel.sql.sqltypes
import storage.types


revision: str = '0029'
down_revision: Union[str, None] = '0028'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UTC = storage.types.UTCDateTime(timezone=True)
TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        'question',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('asker_member_id', sa.Integer(), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('topic', TEXT(length=128), nullable=False),
        sa.Column('kind', TEXT(length=16), nullable=True),
        sa.Column('status', TEXT(length=16), nullable=False),
        sa.Column('department', TEXT(length=256), nullable=False),
        sa.Column('champion_id', sa.Integer(), nullable=True),
        sa.Column('passes', sa.Integer(), nullable=False),
        sa.Column('asked_at', UTC, nullable=False),
        sa.Column('routed_at', UTC, nullable=True),
        sa.Column('answer', sa.Text(), nullable=True),
        sa.Column('answered_by', TEXT(length=256), nullable=True),
        sa.Column('answered_by_champion_id', sa.Integer(), nullable=True),
        sa.Column('answered_at', UTC, nullable=True),
        sa.Column('rating', sa.Integer(), nullable=True),
        sa.Column('rated_at', UTC, nullable=True),
        sa.Column('escalated_at', UTC, nullable=True),
        sa.ForeignKeyConstraint(['asker_member_id'], ['member.id']),
        sa.ForeignKeyConstraint(['champion_id'], ['champion.id']),
        sa.ForeignKeyConstraint(['answered_by_champion_id'], ['champion.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_question_asker_member_id', 'question', ['asker_member_id'], unique=False)
    op.create_index('ix_question_champion_id', 'question', ['champion_id'], unique=False)
    op.create_index('ix_question_status_routed', 'question', ['status', 'routed_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_question_status_routed', table_name='question')
    op.drop_index('ix_question_champion_id', table_name='question')
    op.drop_index('ix_question_asker_member_id', table_name='question')
    op.drop_table('question')

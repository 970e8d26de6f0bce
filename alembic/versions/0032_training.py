"""training: resources, the onboarding checklist each champion got, and progress

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-02 08:20:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import sqlmodel.sql.sqltypes
import storage.types


revision: str = '0032'
down_revision: Union[str, None] = '0031'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UTC = storage.types.UTCDateTime(timezone=True)
TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        'training_resource',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title', TEXT(length=120), nullable=False),
        sa.Column('url', TEXT(length=2000), nullable=False),
        sa.Column('focus_area', TEXT(length=128), nullable=False),
        sa.Column('language', TEXT(length=8), nullable=False),
        sa.Column('required', sa.Boolean(), nullable=False),
        sa.Column('checklist', sa.Boolean(), nullable=False),
        sa.Column('created_by', TEXT(length=256), nullable=False),
        sa.Column('created_at', UTC, nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'training_start',
        sa.Column('champion_id', sa.Integer(), nullable=False),
        sa.Column('sent_at', UTC, nullable=False),
        sa.Column('reminders', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['champion_id'], ['champion.id']),
        sa.PrimaryKeyConstraint('champion_id'),
    )
    op.create_table(
        'training_progress',
        sa.Column('champion_id', sa.Integer(), nullable=False),
        sa.Column('resource_id', sa.Integer(), nullable=False),
        sa.Column('done_at', UTC, nullable=False),
        sa.ForeignKeyConstraint(['champion_id'], ['champion.id']),
        sa.ForeignKeyConstraint(['resource_id'], ['training_resource.id']),
        sa.PrimaryKeyConstraint('champion_id', 'resource_id'),
    )


def downgrade() -> None:
    op.drop_table('training_progress')
    op.drop_table('training_start')
    op.drop_table('training_resource')

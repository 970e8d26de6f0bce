"""lottery: draws with their commitments, entrants, and append-only results

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02 06:30:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import sqlmodel.sql.sqltypes
import storage.types


revision: str = '0025'
down_revision: Union[str, None] = '0024'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UTC = storage.types.UTCDateTime(timezone=True)
TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        'lottery_draw',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', TEXT(length=200), nullable=False),
        sa.Column('status', TEXT(length=16), nullable=False),
        sa.Column('prizes', sa.JSON(), nullable=False),
        sa.Column('alternates', sa.Integer(), nullable=False),
        sa.Column('opens_at', UTC, nullable=False),
        sa.Column('closes_at', UTC, nullable=False),
        sa.Column('audience', sa.JSON(), nullable=False),
        sa.Column('rules', sa.JSON(), nullable=False),
        sa.Column('exclude_recent', sa.Integer(), nullable=False),
        sa.Column('salt', TEXT(length=64), nullable=False),
        sa.Column('secret', TEXT(length=64), nullable=False),
        sa.Column('secret_commitment', TEXT(length=64), nullable=False),
        sa.Column('beacon_chain', TEXT(length=64), nullable=False),
        sa.Column('beacon_public_key', TEXT(length=192), nullable=False),
        sa.Column('beacon_round', sa.Integer(), nullable=True),
        sa.Column('beacon_randomness', TEXT(length=64), nullable=False),
        sa.Column('beacon_signature', TEXT(length=256), nullable=False),
        sa.Column('beacon_problem', TEXT(length=500), nullable=False),
        sa.Column('registry_hash', TEXT(length=64), nullable=False),
        sa.Column('merkle_root', TEXT(length=64), nullable=False),
        sa.Column('exclusion_hash', TEXT(length=64), nullable=False),
        sa.Column('department_weights', sa.JSON(), nullable=False),
        sa.Column('seed', TEXT(length=64), nullable=False),
        sa.Column('created_by', TEXT(length=256), nullable=False),
        sa.Column('created_by_member_id', sa.Integer(), nullable=True),
        sa.Column('created_at', UTC, nullable=False),
        sa.Column('committed_at', UTC, nullable=True),
        sa.Column('drawn_at', UTC, nullable=True),
        sa.ForeignKeyConstraint(['created_by_member_id'], ['member.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_lottery_draw_status', 'lottery_draw', ['status'], unique=False)
    op.create_table(
        'lottery_entrant',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('draw_id', sa.Integer(), nullable=False),
        sa.Column('pseudonym', TEXT(length=16), nullable=False),
        sa.Column('email', TEXT(length=320), nullable=True),
        sa.Column('member_id', sa.Integer(), nullable=True),
        sa.Column('department', TEXT(length=256), nullable=False),
        sa.Column('tickets', sa.Integer(), nullable=False),
        sa.Column('first_ticket', TEXT(length=8), nullable=False),
        sa.Column('reasons', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['draw_id'], ['lottery_draw.id']),
        sa.ForeignKeyConstraint(['member_id'], ['member.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_lottery_entrant_pseudonym', 'lottery_entrant', ['draw_id', 'pseudonym'], unique=True)
    op.create_index('ix_lottery_entrant_email', 'lottery_entrant', ['email'], unique=False)
    op.create_index('ix_lottery_entrant_member_id', 'lottery_entrant', ['member_id'], unique=False)
    op.create_table(
        'lottery_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('draw_id', sa.Integer(), nullable=False),
        sa.Column('kind', TEXT(length=16), nullable=False),
        sa.Column('slot', sa.Integer(), nullable=False),
        sa.Column('prize', sa.Integer(), nullable=True),
        sa.Column('ticket_id', TEXT(length=8), nullable=False),
        sa.Column('pseudonym', TEXT(length=16), nullable=False),
        sa.Column('reason', TEXT(length=500), nullable=False),
        sa.Column('by', TEXT(length=256), nullable=False),
        sa.Column('at', UTC, nullable=False),
        sa.ForeignKeyConstraint(['draw_id'], ['lottery_draw.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_lottery_event_draw', 'lottery_event', ['draw_id', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_lottery_event_draw', table_name='lottery_event')
    op.drop_table('lottery_event')
    op.drop_index('ix_lottery_entrant_member_id', table_name='lottery_entrant')
    op.drop_index('ix_lottery_entrant_email', table_name='lottery_entrant')
    op.drop_index('ix_lottery_entrant_pseudonym', table_name='lottery_entrant')
    op.drop_table('lottery_entrant')
    op.drop_index('ix_lottery_draw_status', table_name='lottery_draw')
    op.drop_table('lottery_draw')

"""announcements: what leads send, and each person's receipt

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-02 07:40:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import sqlmodel.sql.sqltypes
import storage.types


revision: str = '0030'
down_revision: Union[str, None] = '0029'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UTC = storage.types.UTCDateTime(timezone=True)
TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        'announcement',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('image_url', TEXT(length=2000), nullable=False),
        sa.Column('image_alt', TEXT(length=200), nullable=False),
        sa.Column('link_title', TEXT(length=40), nullable=False),
        sa.Column('link_url', TEXT(length=2000), nullable=False),
        sa.Column('audience', sa.JSON(), nullable=False),
        sa.Column('status', TEXT(length=16), nullable=False),
        sa.Column('send_at', UTC, nullable=True),
        sa.Column('link_origin', TEXT(length=512), nullable=False),
        sa.Column('created_by', TEXT(length=256), nullable=False),
        sa.Column('created_at', UTC, nullable=False),
        sa.Column('sent_at', UTC, nullable=True),
        sa.Column('recipients', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_announcement_status', 'announcement', ['status'], unique=False)
    op.create_table(
        'announcement_receipt',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('announcement_id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=True),
        sa.Column('acknowledged_at', UTC, nullable=True),
        sa.Column('clicked_at', UTC, nullable=True),
        sa.ForeignKeyConstraint(['announcement_id'], ['announcement.id']),
        sa.ForeignKeyConstraint(['member_id'], ['member.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('announcement_id', 'member_id'),
    )
    op.create_index(
        'ix_announcement_receipt_announcement_id', 'announcement_receipt', ['announcement_id'], unique=False
    )


def downgrade() -> None:
    op.drop_index('ix_announcement_receipt_announcement_id', table_name='announcement_receipt')
    op.drop_table('announcement_receipt')
    op.drop_index('ix_announcement_status', table_name='announcement')
    op.drop_table('announcement')

"""audit trail: what leads and operators did, append-only and hash-chained

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 00:45:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import sqlmodel.sql.sqltypes
import storage.types


revision: str = '0017'
down_revision: Union[str, None] = '0016'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'audit_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('actor', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=512), nullable=False),
        sa.Column('details', sa.JSON(), nullable=False),
        sa.Column('previous_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('entry_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('entry_hash'),
    )
    op.create_index('ix_audit_entry_at', 'audit_entry', ['at'], unique=False)
    op.create_index('ix_audit_entry_action', 'audit_entry', ['action'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_audit_entry_action', table_name='audit_entry')
    op.drop_index('ix_audit_entry_at', table_name='audit_entry')
    op.drop_table('audit_entry')

"""privacy requests: each access or erasure request, whom it was about only as a keyed digest

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 00:10:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import sqlmodel.sql.sqltypes
import storage.types


revision: str = '0015'
down_revision: Union[str, None] = '0014'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'privacy_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('subject_digest', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column('requested_by', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
        sa.Column('via', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_privacy_request_subject_digest', 'privacy_request', ['subject_digest'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_privacy_request_subject_digest', table_name='privacy_request')
    op.drop_table('privacy_request')

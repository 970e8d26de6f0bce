"""program roles: the leads added in chat become one list with the sponsors leads name

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-02 07:00:00
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import sqlmodel.sql.sqltypes
import storage.types


revision: str = '0026'
down_revision: Union[str, None] = '0025'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UTC = storage.types.UTCDateTime(timezone=True)
TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        'program_role',
        sa.Column('key', TEXT(length=320), nullable=False),
        sa.Column('role', TEXT(length=16), nullable=False),
        sa.Column('added_by', TEXT(length=256), nullable=False),
        sa.Column('added_at', UTC, nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )
    op.execute(
        "INSERT INTO program_role (key, role, added_by, added_at) "
        "SELECT key, 'program_lead', added_by, added_at FROM program_lead"
    )
    op.drop_table('program_lead')


def downgrade() -> None:
    op.create_table(
        'program_lead',
        sa.Column('key', TEXT(length=320), nullable=False),
        sa.Column('added_by', TEXT(length=256), nullable=False),
        sa.Column('added_at', UTC, nullable=False),
        sa.PrimaryKeyConstraint('key'),
    )
    # Sponsors had no place before this revision: going back forgets them.
    op.execute(
        "INSERT INTO program_lead (key, added_by, added_at) "
        "SELECT key, added_by, added_at FROM program_role WHERE role = 'program_lead'"
    )
    op.drop_table('program_role')

"""hunt evidence: pictures sent for evidence clues, reviewed by a champion of another team

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-02 04:30:00
"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import sqlmodel.sql.sqltypes
import storage.types


revision: str = "0021"
down_revision: Union[str, None] = "0020"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

UTC = storage.types.UTCDateTime(timezone=True)
TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "hunt_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hunt_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("clue_key", TEXT(length=32), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("content_type", TEXT(length=32), nullable=False),
        sa.Column("picture", sa.LargeBinary(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", TEXT(length=64), nullable=False),
        sa.Column("sent_at", UTC, nullable=False),
        sa.Column("status", TEXT(length=16), nullable=False),
        sa.Column("reviewer_member_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", UTC, nullable=True),
        sa.Column("reason", TEXT(length=300), nullable=True),
        sa.Column("decided_by", TEXT(length=256), nullable=True),
        sa.ForeignKeyConstraint(["hunt_id"], ["hunt.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.ForeignKeyConstraint(["reviewer_member_id"], ["member.id"]),
        sa.ForeignKeyConstraint(["team_id"], ["hunt_team.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_hunt_evidence_clue", "hunt_evidence", ["team_id", "clue_key", "status"], unique=False)
    op.create_index("ix_hunt_evidence_reviewer", "hunt_evidence", ["reviewer_member_id", "status"], unique=False)
    op.create_index("ix_hunt_evidence_hunt_id", "hunt_evidence", ["hunt_id"], unique=False)
    op.create_index("ix_hunt_evidence_member_id", "hunt_evidence", ["member_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_hunt_evidence_member_id", table_name="hunt_evidence")
    op.drop_index("ix_hunt_evidence_hunt_id", table_name="hunt_evidence")
    op.drop_index("ix_hunt_evidence_reviewer", table_name="hunt_evidence")
    op.drop_index("ix_hunt_evidence_clue", table_name="hunt_evidence")
    op.drop_table("hunt_evidence")

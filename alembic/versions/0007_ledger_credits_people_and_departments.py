"""the points ledger credits any member and stamps their department

Contests give points to employees who are not champions, and standings to departments.
Existing entries are credited to their champion's member, with the champion's department.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 15:40:00
"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes


revision: str = "0007"
down_revision: Union[str, None] = "0006"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("points_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("member_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("department", sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False, server_default="")
        )
    op.execute(
        "UPDATE points_entry SET "
        "member_id = (SELECT champion.member_id FROM champion WHERE champion.id = points_entry.champion_id), "
        "department = COALESCE((SELECT champion.department FROM champion WHERE champion.id = points_entry.champion_id), '')"
    )
    with op.batch_alter_table("points_entry", schema=None) as batch_op:
        batch_op.alter_column("member_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("champion_id", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column(
            "department", existing_type=sqlmodel.sql.sqltypes.AutoString(length=256), server_default=None
        )
        batch_op.create_foreign_key("fk_points_entry_member_id_member", "member", ["member_id"], ["id"])
        batch_op.create_index("ix_points_entry_member_period", ["member_id", "created_at", "points"], unique=False)
        batch_op.create_index("ix_points_entry_department_period", ["department", "created_at", "points"], unique=False)


def downgrade() -> None:
    # Entries of people who were not champions have no place in the older ledger.
    op.execute("DELETE FROM points_entry WHERE champion_id IS NULL")
    with op.batch_alter_table("points_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_points_entry_department_period")
        batch_op.drop_index("ix_points_entry_member_period")
        batch_op.drop_constraint("fk_points_entry_member_id_member", type_="foreignkey")
        batch_op.alter_column("champion_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("department")
        batch_op.drop_column("member_id")

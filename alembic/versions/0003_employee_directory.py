"""Employee directory imported from HR exports.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 18:37:31.139918
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
import storage.types


revision: str = '0003'
down_revision: Union[str, None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('employee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('display_name', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('office', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('team', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('manager_email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
    sa.Column('aad_object_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('country', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True),
    sa.Column('preferred_language', sqlmodel.sql.sqltypes.AutoString(length=35), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('imported_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('email')
    )
    with op.batch_alter_table('employee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employee_aad_object_id'), ['aad_object_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_employee_department'), ['department'], unique=False)
        batch_op.create_index(batch_op.f('ix_employee_office'), ['office'], unique=False)
        batch_op.create_index(batch_op.f('ix_employee_team'), ['team'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('employee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employee_team'))
        batch_op.drop_index(batch_op.f('ix_employee_office'))
        batch_op.drop_index(batch_op.f('ix_employee_department'))
        batch_op.drop_index(batch_op.f('ix_employee_aad_object_id'))

    op.drop_table('employee')

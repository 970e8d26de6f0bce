"""check-ins and feedback

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 21:32:53.979396
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
import storage.types


revision: str = '0005'
down_revision: Union[str, None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('checkin_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_date', sa.Date(), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('cadence', sa.JSON(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('round_date')
    )
    op.create_table('checkin_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('champion_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('office', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('team', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('due_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('remind_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closes_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('snoozed_until', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('skip_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('answers', sa.JSON(), nullable=True),
    sa.Column('sentiment', sa.Integer(), nullable=True),
    sa.Column('hours', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['champion_id'], ['champion.id'], ),
    sa.ForeignKeyConstraint(['round_id'], ['checkin_round.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('round_id', 'champion_id')
    )
    with op.batch_alter_table('checkin_assignment', schema=None) as batch_op:
        batch_op.create_index('ix_checkin_assignment_champion', ['champion_id', 'round_id'], unique=False)
        batch_op.create_index('ix_checkin_assignment_close', ['status', 'closes_at'], unique=False)
        batch_op.create_index('ix_checkin_assignment_due', ['status', 'due_at'], unique=False)
        batch_op.create_index('ix_checkin_assignment_remind', ['status', 'remind_at'], unique=False)

    op.create_table('feedback_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('champion_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('office', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('team', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('owner', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['checkin_assignment.id'], ),
    sa.ForeignKeyConstraint(['champion_id'], ['champion.id'], ),
    sa.ForeignKeyConstraint(['round_id'], ['checkin_round.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('assignment_id', 'question_id')
    )
    with op.batch_alter_table('feedback_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_item_champion_id'), ['champion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_item_department'), ['department'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_item_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_item_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_item_updated_at'), ['updated_at'], unique=False)

    op.create_table('feedback_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('owner', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('by', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['feedback_item.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('feedback_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_event_item_id'), ['item_id'], unique=False)

    with op.batch_alter_table('champion', schema=None) as batch_op:
        batch_op.add_column(sa.Column('inactive_flagged_at', storage.types.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('employee', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('employee', schema=None) as batch_op:
        batch_op.drop_column('timezone')

    with op.batch_alter_table('champion', schema=None) as batch_op:
        batch_op.drop_column('inactive_flagged_at')

    with op.batch_alter_table('feedback_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_event_item_id'))

    op.drop_table('feedback_event')
    with op.batch_alter_table('feedback_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_item_updated_at'))
        batch_op.drop_index(batch_op.f('ix_feedback_item_status'))
        batch_op.drop_index(batch_op.f('ix_feedback_item_round_id'))
        batch_op.drop_index(batch_op.f('ix_feedback_item_department'))
        batch_op.drop_index(batch_op.f('ix_feedback_item_champion_id'))

    op.drop_table('feedback_item')
    with op.batch_alter_table('checkin_assignment', schema=None) as batch_op:
        batch_op.drop_index('ix_checkin_assignment_remind')
        batch_op.drop_index('ix_checkin_assignment_due')
        batch_op.drop_index('ix_checkin_assignment_close')
        batch_op.drop_index('ix_checkin_assignment_champion')

    op.drop_table('checkin_assignment')
    op.drop_table('checkin_round')

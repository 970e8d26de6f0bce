"""stories kudos points levels

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 21:51:16.927644
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
import storage.types


revision: str = '0006'
down_revision: Union[str, None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('champion_level',
    sa.Column('champion_id', sa.Integer(), nullable=False),
    sa.Column('level', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('reached_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['champion_id'], ['champion.id'], ),
    sa.PrimaryKeyConstraint('champion_id', 'level')
    )
    with op.batch_alter_table('champion_level', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_champion_level_reached_at'), ['reached_at'], unique=False)

    op.create_table('kudos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('giver_member_id', sa.Integer(), nullable=False),
    sa.Column('champion_id', sa.Integer(), nullable=False),
    sa.Column('message', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('giver_day', sa.Date(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['champion_id'], ['champion.id'], ),
    sa.ForeignKeyConstraint(['giver_member_id'], ['member.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('kudos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kudos_champion_id'), ['champion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kudos_created_at'), ['created_at'], unique=False)
        batch_op.create_index('ix_kudos_giver_day', ['giver_member_id', 'giver_day'], unique=False)

    op.create_table('points_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('champion_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('source_key', sqlmodel.sql.sqltypes.AutoString(length=191), nullable=True),
    sa.Column('by', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['champion_id'], ['champion.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_key')
    )
    with op.batch_alter_table('points_entry', schema=None) as batch_op:
        batch_op.create_index('ix_points_entry_champion_period', ['champion_id', 'created_at', 'points'], unique=False)

    op.create_table('story',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_member_id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('impact', sa.Text(), nullable=False),
    sa.Column('hours_saved', sa.Float(), nullable=True),
    sa.Column('deals_closed', sa.Integer(), nullable=True),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('focus_areas', sa.JSON(), nullable=False),
    sa.Column('credited_champion_id', sa.Integer(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('moderated_by', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
    sa.Column('moderated_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reject_reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('edited_by', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
    sa.Column('story_of_month', sqlmodel.sql.sqltypes.AutoString(length=7), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_member_id'], ['member.id'], ),
    sa.ForeignKeyConstraint(['credited_champion_id'], ['champion.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('story_of_month')
    )
    with op.batch_alter_table('story', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_story_author_member_id'), ['author_member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_story_credited_champion_id'), ['credited_champion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_story_department'), ['department'], unique=False)
        batch_op.create_index('ix_story_published', ['status', 'published_at'], unique=False)

    op.create_table('story_applause',
    sa.Column('story_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ),
    sa.ForeignKeyConstraint(['story_id'], ['story.id'], ),
    sa.PrimaryKeyConstraint('story_id', 'member_id')
    )


def downgrade() -> None:
    op.drop_table('story_applause')
    with op.batch_alter_table('story', schema=None) as batch_op:
        batch_op.drop_index('ix_story_published')
        batch_op.drop_index(batch_op.f('ix_story_department'))
        batch_op.drop_index(batch_op.f('ix_story_credited_champion_id'))
        batch_op.drop_index(batch_op.f('ix_story_author_member_id'))

    op.drop_table('story')
    with op.batch_alter_table('points_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_points_entry_champion_period')

    op.drop_table('points_entry')
    with op.batch_alter_table('kudos', schema=None) as batch_op:
        batch_op.drop_index('ix_kudos_giver_day')
        batch_op.drop_index(batch_op.f('ix_kudos_created_at'))
        batch_op.drop_index(batch_op.f('ix_kudos_champion_id'))

    op.drop_table('kudos')
    with op.batch_alter_table('champion_level', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_champion_level_reached_at'))

    op.drop_table('champion_level')

"""Champions' profiles and focus areas, referrals, coverage targets and gaps, leads added
in chat, program settings, nominations.

Columns added to existing tables get server defaults so that existing rows stay valid.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 19:22:54.760494
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes
import storage.types


revision: str = '0004'
down_revision: Union[str, None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('coverage_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('unit_name', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('mode', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('set_by', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('unit_kind', 'unit_name')
    )
    op.create_table('nomination',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nominee_key', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('nominee_name', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('nominee_email', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=True),
    sa.Column('nominee_teams_user_id', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
    sa.Column('decided_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sqlmodel.sql.sqltypes.AutoString(length=1024), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nomination_nominee_key'), ['nominee_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_nomination_status'), ['status'], unique=False)
        batch_op.create_index('uq_nomination_open', ['nominee_key'], unique=True, sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))

    op.create_table('program_lead',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('added_by', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('added_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('program_setting',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('nomination_reason',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nomination_id', sa.Integer(), nullable=False),
    sa.Column('nominator_member_id', sa.Integer(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=1024), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['nomination_id'], ['nomination.id'], ),
    sa.ForeignKeyConstraint(['nominator_member_id'], ['member.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('nomination_id', 'nominator_member_id')
    )
    with op.batch_alter_table('nomination_reason', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_nomination_reason_nomination_id'), ['nomination_id'], unique=False)

    op.create_table('unmatched_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('asker_member_id', sa.Integer(), nullable=False),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
    sa.Column('office', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
    sa.Column('team', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True),
    sa.Column('focus_area', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
    sa.Column('asked_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['asker_member_id'], ['member.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('unmatched_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unmatched_request_department'), ['department'], unique=False)
        batch_op.create_index(batch_op.f('ix_unmatched_request_office'), ['office'], unique=False)
        batch_op.create_index(batch_op.f('ix_unmatched_request_team'), ['team'], unique=False)

    op.create_table('champion_focus',
    sa.Column('champion_id', sa.Integer(), nullable=False),
    sa.Column('focus_area', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.ForeignKeyConstraint(['champion_id'], ['champion.id'], ),
    sa.PrimaryKeyConstraint('champion_id', 'focus_area')
    )
    with op.batch_alter_table('champion_focus', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_champion_focus_focus_area'), ['focus_area'], unique=False)

    op.create_table('champion_referral',
    sa.Column('champion_id', sa.Integer(), nullable=False),
    sa.Column('asker_member_id', sa.Integer(), nullable=False),
    sa.Column('first_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['asker_member_id'], ['member.id'], ),
    sa.ForeignKeyConstraint(['champion_id'], ['champion.id'], ),
    sa.PrimaryKeyConstraint('champion_id', 'asker_member_id')
    )
    with op.batch_alter_table('champion', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('office', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('team', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('languages', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('listed', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('paused_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('people_pointed', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('decided_by', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True))
        batch_op.add_column(sa.Column('decided_at', storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('decision_reason', sqlmodel.sql.sqltypes.AutoString(length=1024), nullable=True))
        batch_op.add_column(sa.Column('applied_at', storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_champion_department'), ['department'], unique=False)
        batch_op.create_index('ix_champion_match', ['status', 'listed'], unique=False)
        batch_op.create_index(batch_op.f('ix_champion_office'), ['office'], unique=False)
        batch_op.create_index(batch_op.f('ix_champion_team'), ['team'], unique=False)

    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('declared_department', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True))
        batch_op.add_column(sa.Column('declared_office', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True))
        batch_op.add_column(sa.Column('unit_asked_at', storage.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_column('unit_asked_at')
        batch_op.drop_column('declared_office')
        batch_op.drop_column('declared_department')

    with op.batch_alter_table('champion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_champion_team'))
        batch_op.drop_index(batch_op.f('ix_champion_office'))
        batch_op.drop_index('ix_champion_match')
        batch_op.drop_index(batch_op.f('ix_champion_department'))
        batch_op.drop_column('applied_at')
        batch_op.drop_column('decision_reason')
        batch_op.drop_column('decided_at')
        batch_op.drop_column('decided_by')
        batch_op.drop_column('people_pointed')
        batch_op.drop_column('paused_until')
        batch_op.drop_column('listed')
        batch_op.drop_column('languages')
        batch_op.drop_column('team')
        batch_op.drop_column('office')
        batch_op.drop_column('department')

    op.drop_table('champion_referral')
    with op.batch_alter_table('champion_focus', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_champion_focus_focus_area'))

    op.drop_table('champion_focus')
    with op.batch_alter_table('unmatched_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unmatched_request_team'))
        batch_op.drop_index(batch_op.f('ix_unmatched_request_office'))
        batch_op.drop_index(batch_op.f('ix_unmatched_request_department'))

    op.drop_table('unmatched_request')
    with op.batch_alter_table('nomination_reason', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_nomination_reason_nomination_id'))

    op.drop_table('nomination_reason')
    op.drop_table('program_setting')
    op.drop_table('program_lead')
    with op.batch_alter_table('nomination', schema=None) as batch_op:
        batch_op.drop_index('uq_nomination_open', sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))
        batch_op.drop_index(batch_op.f('ix_nomination_status'))
        batch_op.drop_index(batch_op.f('ix_nomination_nominee_key'))

    op.drop_table('nomination')
    op.drop_table('coverage_target')

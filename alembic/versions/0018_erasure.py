"""erasure: what outlives an erased person loses its link to them; audit entries are sealed

Five links become optional, so that a ledger entry, a thank-you, a check-in answer, a
feedback item and a coverage gap can outlive the person they came from. Audit entries gain
a salt and a seal (SHA-256 of the salt, the subject and the details) and the chain now
covers the seal instead of the subject and details: erasing a person blanks those and the
trail still verifies. The existing trail is checked first (a broken one stops the upgrade)
and then chained again in the new form, in its order.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 02:00:00
"""
import hashlib
import json
import secrets
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0018'
down_revision: Union[str, None] = '0017'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# (table, column): links that become optional.
LINKS = (
    ('points_entry', 'member_id'),
    ('kudos', 'giver_member_id'),
    ('checkin_assignment', 'champion_id'),
    ('feedback_item', 'champion_id'),
    ('unmatched_request', 'asker_member_id'),
)
GENESIS = '0' * 64


def _digest(parts: list) -> str:
    canonical = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(',', ':'))
    return hashlib.sha256(canonical.encode()).hexdigest()


AUDIT = sa.table(
    'audit_entry',
    sa.column('id', sa.Integer()),
    sa.column('at', storage.types.UTCDateTime()),
    sa.column('actor', sa.String()),
    sa.column('action', sa.String()),
    sa.column('subject', sa.String()),
    sa.column('details', sa.JSON()),
    sa.column('salt', sa.String()),
    sa.column('seal', sa.String()),
    sa.column('previous_hash', sa.String()),
    sa.column('entry_hash', sa.String()),
)


def _entries():
    columns = [AUDIT.c[name] for name in ('id', 'at', 'actor', 'action', 'subject', 'details', 'previous_hash', 'entry_hash')]
    return op.get_bind().execute(sa.select(*columns).order_by(AUDIT.c.id)).all()


def _rewrite(row_id: int, **values) -> None:
    op.get_bind().execute(sa.update(AUDIT).where(AUDIT.c.id == row_id).values(**values))


def upgrade() -> None:
    for table, column in LINKS:
        # SQLite rebuilds the table (env.py turns its foreign keys off meanwhile, and checks them after).
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, existing_type=sa.Integer(), nullable=True)

    op.add_column('audit_entry', sa.Column('salt', sa.String(length=32), nullable=True))
    op.add_column('audit_entry', sa.Column('seal', sa.String(length=64), nullable=False, server_default=''))
    rows = _entries()
    previous = GENESIS
    for row in rows:
        old = _digest([row.previous_hash, row.at.isoformat(), row.actor, row.action, row.subject, row.details])
        if row.previous_hash != previous or row.entry_hash != old:
            raise RuntimeError(
                f'audit entry {row.id} was changed or removed before this upgrade; '
                'run `python app.py audit verify` and restore the trail from a backup'
            )
        previous = row.entry_hash
    previous = GENESIS
    for row in rows:
        salt = secrets.token_hex(16)
        seal = _digest([salt, row.subject, row.details])
        entry_hash = _digest([previous, row.at.isoformat(), row.actor, row.action, seal])
        _rewrite(row.id, salt=salt, seal=seal, previous_hash=previous, entry_hash=entry_hash)
        previous = entry_hash


def downgrade() -> None:
    previous = GENESIS
    for row in _entries():
        entry_hash = _digest([previous, row.at.isoformat(), row.actor, row.action, row.subject, row.details])
        _rewrite(row.id, previous_hash=previous, entry_hash=entry_hash)
        previous = entry_hash
    with op.batch_alter_table('audit_entry') as batch:
        batch.drop_column('seal')
        batch.drop_column('salt')
    for table, column in LINKS:
        op.execute(sa.text(f'DELETE FROM {table} WHERE {column} IS NULL'))
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, existing_type=sa.Integer(), nullable=False)

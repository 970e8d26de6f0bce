"""the time commitment as numbers; a story's figures as written

The time commitment was one English phrase shown to readers in every language; it becomes
hours and a period, which each reader sees in their own words. A lead's phrase that reads as
"N hour(s) a/per week/month" (or the Italian or Thai equivalent) keeps its meaning; any other
falls back to the default of 2 hours a month. A story's figures were reduced to hours saved
and deals closed; they are now kept as the author wrote them.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 18:10:00
"""
import json
import re
from datetime import datetime, timezone
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes


revision: str = '0010'
down_revision: Union[str, None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_PHRASE = re.compile(r"(\d+)\s*(?:h|hours?|ore|ora|ชั่วโมง)\b.*?(week|settimana|สัปดาห์|month|mese|เดือน)", re.I)
_WEEK = ("week", "settimana", "สัปดาห์")

settings = sa.table(
    'program_setting',
    sa.column('name', sa.String),
    sa.column('value', sa.JSON),
    sa.column('updated_by', sa.String),
    sa.column('updated_at', sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    with op.batch_alter_table('story', schema=None) as batch_op:
        batch_op.add_column(sa.Column('figures', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))

    bind = op.get_bind()
    row = bind.execute(
        sa.select(settings.c.value, settings.c.updated_by).where(settings.c.name == 'time_commitment')
    ).first()
    if row is None:
        return
    phrase = row[0] if isinstance(row[0], str) else json.loads(row[0]) if row[0] else ""
    match = _PHRASE.search(str(phrase))
    if match and 1 <= int(match.group(1)) <= 40:
        hours, period = int(match.group(1)), 'week' if match.group(2).lower() in _WEEK else 'month'
        now = datetime.now(timezone.utc)
        op.bulk_insert(settings, [
            {'name': 'commitment_hours', 'value': hours, 'updated_by': row[1], 'updated_at': now},
            {'name': 'commitment_period', 'value': period, 'updated_by': row[1], 'updated_at': now},
        ])
    bind.execute(sa.delete(settings).where(settings.c.name == 'time_commitment'))


def downgrade() -> None:
    bind = op.get_bind()
    rows = dict(bind.execute(
        sa.select(settings.c.name, settings.c.value).where(settings.c.name.in_(['commitment_hours', 'commitment_period']))
    ).all())
    if rows:
        hours, period = rows.get('commitment_hours', 2), rows.get('commitment_period', 'month')
        bind.execute(sa.delete(settings).where(settings.c.name.in_(['commitment_hours', 'commitment_period'])))
        op.bulk_insert(settings, [{
            'name': 'time_commitment', 'value': f"{hours} hour{'s' if hours != 1 else ''} a {period}",
            'updated_by': 'migration', 'updated_at': datetime.now(timezone.utc),
        }])
    with op.batch_alter_table('story', schema=None) as batch_op:
        batch_op.drop_column('figures')

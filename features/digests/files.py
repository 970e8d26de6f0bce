"""A week's lead digest as CSV: served by signed link (the card's "Export CSV") and written by
`python app.py export digest --week 2026-W49` (without --week: the last seven days). A week
runs Monday to Sunday in UTC here, so that it gives the same rows whoever asks."""

from __future__ import annotations

import csv
import io

from sqlmodel import Session

from domain.clock import SystemClock
from domain.reports import Report
from features.digests.domain import figures_rows, week_from_number, week_of, week_span
from features.digests.workflows import lead_figures
from storage.links import ServedFile

CSV_ZONE = "UTC"


def digest_rows(session: Session, week: str | None) -> Report:
    now = SystemClock().now()
    if week is None:  # the digest as it stands: the last seven days
        return figures_rows(lead_figures(session, week_of(now.date()), now, keep=False))
    return figures_rows(lead_figures(session, week, now, week_span(week, CSV_ZONE), keep=False))


def read_csv(session: Session, number: int) -> ServedFile | None:
    week = week_from_number(number)
    if week is None:
        return None
    header, rows = digest_rows(session, week)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return ServedFile(f"digest-{week}.csv", "text/csv; charset=utf-8", buffer.getvalue().encode(), download=True)

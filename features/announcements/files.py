"""An announcement's tracked link: the click is counted, then the browser goes on to the page."""

from __future__ import annotations

from sqlmodel import Session

from domain.clock import SystemClock
from features.announcements.storage import Receipts
from storage.links import ServedFile, redirect_to


def follow_link(session: Session, receipt_id: int) -> ServedFile | None:
    url = Receipts(session).click(receipt_id, SystemClock().now())
    return redirect_to(url) if url else None

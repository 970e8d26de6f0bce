"""A draw's published data and a person's receipt, as files the bot serves by signed link."""

from __future__ import annotations

from sqlmodel import Session

from features.lottery.workflows import published_of, receipt_of
from storage.links import ServedFile, json_file


def read_published(session: Session, draw_id: int) -> ServedFile | None:
    data = published_of(session, draw_id)
    if data is None:
        return None
    return json_file(f"draw-{draw_id}.json", data, download=True)


def read_receipt(session: Session, entrant_id: int) -> ServedFile | None:
    data = receipt_of(session, entrant_id)
    if data is None:
        return None
    return json_file(f"receipt-draw-{data['draw']}.json", data, download=True)

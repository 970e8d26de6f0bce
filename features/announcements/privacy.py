"""What announcements keep about people: that one went to them, whether they said "Got it"
and opened its link. Erasure keeps the counts and drops the link to the person. What a lead
wrote is the program's, under the lead's name (as every lead action is)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from features.announcements.tables import AnnouncementReceiptRecord, AnnouncementRecord
from storage.privacy import Erasure, Person, PersonalData, plain, unlink


def export(session: Session, person: Person) -> dict[str, Any]:
    if person.member_id is None:
        return {}
    receipt = AnnouncementReceiptRecord
    rows = session.execute(
        select(col(AnnouncementRecord.sent_at), col(receipt.acknowledged_at), col(receipt.clicked_at))
        .join(AnnouncementRecord, col(AnnouncementRecord.id) == col(receipt.announcement_id))
        .where(col(receipt.member_id) == person.member_id)
    ).all()
    return {"announcements_you_got": [plain(dict(row._mapping)) for row in rows]}


def erase(session: Session, person: Person, _erasure: Erasure) -> None:
    if person.member_id is not None:
        receipt = AnnouncementReceiptRecord
        unlink(session, receipt, col(receipt.member_id) == person.member_id, member_id=None)


PERSONAL_DATA = PersonalData(
    export=export,
    erase=erase,
    personal={"announcement_receipt": ["member_id"]},
    not_personal={
        "announcement": [
            "text",
            "image_url",
            "image_alt",
            "link_title",
            "link_url",
            "audience",
            "status",
            "link_origin",
            "created_by",
        ],
    },
)

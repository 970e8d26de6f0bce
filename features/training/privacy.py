"""What training keeps about people: when a champion got the checklist, and what they ticked.
Erasure removes both; resources are the program's."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from features.training.tables import TrainingProgressRecord, TrainingResourceRecord, TrainingStartRecord
from storage.privacy import Erasure, Person, PersonalData, delete_rows, plain


def export(session: Session, person: Person) -> dict[str, Any]:
    if person.champion_id is None:
        return {}
    rows = session.execute(
        select(col(TrainingResourceRecord.title), col(TrainingProgressRecord.done_at))
        .join(TrainingResourceRecord, col(TrainingResourceRecord.id) == col(TrainingProgressRecord.resource_id))
        .where(col(TrainingProgressRecord.champion_id) == person.champion_id)
    ).all()
    return {"training_done": [plain(dict(row._mapping)) for row in rows]}


def erase(session: Session, person: Person, _erasure: Erasure) -> None:
    if person.champion_id is not None:
        delete_rows(session, TrainingProgressRecord, col(TrainingProgressRecord.champion_id) == person.champion_id)
        delete_rows(session, TrainingStartRecord, col(TrainingStartRecord.champion_id) == person.champion_id)


PERSONAL_DATA = PersonalData(
    export=export,
    erase=erase,
    personal={"training_progress": ["champion_id"], "training_start": ["champion_id"]},
    not_personal={"training_resource": ["title", "url", "focus_area", "language", "created_by"]},
)

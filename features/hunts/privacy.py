"""What hunts keep about people: the answers they gave, the clues they solved, the team they played for."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from features.hunts.tables import (
    HuntAnswerRecord,
    HuntCheckRecord,
    HuntClueStateRecord,
    HuntPlayerRecord,
    HuntRecord,
    HuntTeamRecord,
)
from storage.privacy import Erasure, Person, PersonalData, delete_rows, plain, unlink


def export(session: Session, person: Person) -> dict[str, Any]:
    if person.member_id is None:
        return {}
    member_id = person.member_id
    answers = session.execute(
        select(
            col(HuntRecord.title),
            col(HuntTeamRecord.name).label("team"),
            col(HuntAnswerRecord.clue_key),
            col(HuntAnswerRecord.answer),
            col(HuntAnswerRecord.verdict),
            col(HuntAnswerRecord.at),
        )
        .join(HuntRecord, col(HuntRecord.id) == col(HuntAnswerRecord.hunt_id))
        .join(HuntTeamRecord, col(HuntTeamRecord.id) == col(HuntAnswerRecord.team_id))
        .where(col(HuntAnswerRecord.member_id) == member_id)
        .order_by(col(HuntAnswerRecord.at))
    )
    solved = session.execute(
        select(col(HuntRecord.title), col(HuntClueStateRecord.clue_key), col(HuntClueStateRecord.solved_at))
        .join(HuntRecord, col(HuntRecord.id) == col(HuntClueStateRecord.hunt_id))
        .where(col(HuntClueStateRecord.solved_by_member_id) == member_id)
        .order_by(col(HuntClueStateRecord.solved_at))
    )
    return {
        "answers_you_gave": [plain(dict(row._mapping)) for row in answers],
        "clues_you_solved": [plain(dict(row._mapping)) for row in solved],
    }


def erase(session: Session, person: Person, _erasure: Erasure) -> None:
    """Their team keeps its solves and its answers' verdicts; their words and their name go."""
    if person.member_id is None:
        return
    member_id = person.member_id
    unlink(session, HuntAnswerRecord, col(HuntAnswerRecord.member_id) == member_id, member_id=None, answer="")
    state = HuntClueStateRecord
    unlink(session, state, col(state.solved_by_member_id) == member_id, solved_by_member_id=None)
    delete_rows(session, HuntPlayerRecord, col(HuntPlayerRecord.member_id) == member_id)
    unlink(session, HuntCheckRecord, col(HuntCheckRecord.member_id) == member_id, member_id=None)


PERSONAL_DATA = PersonalData(
    export=export,
    erase=erase,
    personal={
        "hunt_answer": ["member_id", "answer"],
        "hunt_clue_state": ["solved_by_member_id"],
        "hunt_player": ["member_id"],
        "hunt_check": ["member_id"],
    },
    not_personal={
        # The hunt as leads wrote it, teams (departments), clues' state and what answers were judged.
        "hunt": ["title", "plan", "salt", "status", "created_by"],
        "hunt_team": ["name", "departments", "timezone", "code_word"],
        "hunt_clue_state": ["clue_key", "leg_key", "recent_misses"],
        "hunt_answer": ["clue_key", "verdict"],
        "hunt_adjustment": ["reason", "by"],
        # What the business system answered: a status, and its errors (for leads).
        "hunt_check": ["clue_key", "status", "error"],
    },
)

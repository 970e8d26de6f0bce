"""What hunts keep about people: the answers they gave, the clues they solved, the team they played for."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from domain.retention import RetentionPolicy
from features.hunts.tables import (
    HuntAnswerRecord,
    HuntCheckRecord,
    HuntClueStateRecord,
    HuntEvidenceRecord,
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
    evidence = HuntEvidenceRecord
    sent = session.execute(
        select(
            col(HuntRecord.title),
            col(evidence.clue_key),
            col(evidence.sent_at),
            col(evidence.content_type),
            col(evidence.size),
            col(evidence.status),
            col(evidence.reason),
        )
        .join(HuntRecord, col(HuntRecord.id) == col(evidence.hunt_id))
        .where(col(evidence.member_id) == member_id)
        .order_by(col(evidence.sent_at))
    )
    reviewed = session.execute(
        select(col(HuntRecord.title), col(evidence.clue_key), col(evidence.status), col(evidence.reviewed_at))
        .join(HuntRecord, col(HuntRecord.id) == col(evidence.hunt_id))
        .where(col(evidence.reviewer_member_id) == member_id)
        .order_by(col(evidence.sent_at))
    )
    return {
        "answers_you_gave": [plain(dict(row._mapping)) for row in answers],
        "clues_you_solved": [plain(dict(row._mapping)) for row in solved],
        # The pictures themselves: ask a lead, or open them from the hunt card while it runs.
        "pictures_you_sent": [plain(dict(row._mapping)) for row in sent],
        "pictures_you_reviewed": [plain(dict(row._mapping)) for row in reviewed],
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
    # Their pictures go (the team keeps a solve an accepted one earned); as a reviewer, their name.
    delete_rows(session, HuntEvidenceRecord, col(HuntEvidenceRecord.member_id) == member_id)
    reviewed = col(HuntEvidenceRecord.reviewer_member_id) == member_id
    unlink(session, HuntEvidenceRecord, reviewed, reviewer_member_id=None, decided_by=None)


def retain(session: Session, policy: RetentionPolicy, now: datetime, limit: int) -> dict[str, int]:
    """Evidence pictures go `policy.evidence_pictures` after their hunt closed; verdicts stay."""
    evidence = HuntEvidenceRecord
    closed = select(col(HuntRecord.id)).where(col(HuntRecord.closed_at) < now - policy.evidence_pictures)
    due = select(col(evidence.id)).where(col(evidence.hunt_id).in_(closed), col(evidence.picture).is_not(None))
    ids = list(session.execute(due.limit(limit)).scalars())
    unlink(session, evidence, col(evidence.id).in_(ids), picture=None)
    return {"evidence_pictures": len(ids)}


PERSONAL_DATA = PersonalData(
    export=export,
    erase=erase,
    retain=retain,
    personal={
        "hunt_answer": ["member_id", "answer"],
        "hunt_clue_state": ["solved_by_member_id"],
        "hunt_player": ["member_id"],
        "hunt_check": ["member_id"],
        # A picture can show anything on its sender's screen; the reviewer is named.
        "hunt_evidence": ["member_id", "picture", "sha256", "reviewer_member_id", "decided_by"],
    },
    not_personal={
        # The hunt as leads wrote it, teams (departments), clues' state and what answers were judged.
        "hunt": ["title", "plan", "salt", "status", "created_by", "teams_by", "team_groups"],
        "hunt_team": ["name", "departments", "timezone", "code_word"],
        "hunt_clue_state": ["clue_key", "leg_key", "recent_misses"],
        "hunt_answer": ["clue_key", "verdict"],
        "hunt_adjustment": ["reason", "by"],
        # What the business system answered: a status, and its errors (for leads).
        "hunt_check": ["clue_key", "status", "error"],
        # A review's verdict and the reason given for the team's picture.
        "hunt_evidence": ["clue_key", "content_type", "status", "reason"],
    },
)

"""What enrolment keeps about people: referrals, requests nobody could answer, nominations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlmodel import Session, col

from domain.i18n import Texts
from domain.retention import RetentionPolicy
from domain.roles import HOLDING_A_PLACE
from features.enrolment.storage import ChampionRoster
from features.enrolment.tables import (
    ChampionReferralCountRecord,
    ChampionReferralRecord,
    NominationReasonRecord,
    NominationRecord,
    UnmatchedRequestRecord,
)
from storage.audit import AuditTrail
from storage.messaging import stamp
from storage.privacy import Erasure, Person, PersonalData, delete_rows, records, unlink
from views.cards import Card


def export(session: Session, person: Person) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if person.member_id is not None:
        data["champions_suggested_to_you"] = records(
            session,
            ChampionReferralRecord,
            col(ChampionReferralRecord.asker_member_id) == person.member_id,
            columns=["champion_id", "first_at"],
        )
        data["requests_nobody_could_answer"] = records(
            session,
            UnmatchedRequestRecord,
            col(UnmatchedRequestRecord.asker_member_id) == person.member_id,
            columns=["department", "office", "team", "focus_area", "asked_at"],
        )
        data["nominations_you_made"] = records(
            session,
            NominationReasonRecord,
            col(NominationReasonRecord.nominator_member_id) == person.member_id,
            columns=["nomination_id", "reason", "created_at"],
        )
    if person.champion_id is not None:
        data["colleagues_pointed_to_you"] = records(
            session,
            ChampionReferralCountRecord,
            col(ChampionReferralCountRecord.champion_id) == person.champion_id,
            columns=["people"],
        )
    about_you: list[ColumnElement[bool]] = [col(NominationRecord.nominee_key).in_(person.keys)]
    if person.teams_user_id:
        about_you.append(col(NominationRecord.nominee_teams_user_id) == person.teams_user_id)
    data["nominations_of_you"] = records(
        session,
        NominationRecord,
        or_(*about_you),
        columns=[
            "id",
            "nominee_name",
            "nominee_email",
            "status",
            "decided_by",
            "decided_at",
            "decision_reason",
            "created_at",
        ],
    )
    return data


def erase(session: Session, person: Person, erasure: Erasure) -> None:
    if person.champion_id is not None:
        champion_id = person.champion_id
        _step_down(session, champion_id, erasure)
        delete_rows(session, ChampionReferralRecord, col(ChampionReferralRecord.champion_id) == champion_id)
        delete_rows(session, ChampionReferralCountRecord, col(ChampionReferralCountRecord.champion_id) == champion_id)
    if person.member_id is not None:
        member_id = person.member_id
        delete_rows(session, ChampionReferralRecord, col(ChampionReferralRecord.asker_member_id) == member_id)
        # The gap they met stays counted for its unit.
        unlink(
            session,
            UnmatchedRequestRecord,
            col(UnmatchedRequestRecord.asker_member_id) == member_id,
            asker_member_id=None,
        )
        delete_rows(session, NominationReasonRecord, col(NominationReasonRecord.nominator_member_id) == member_id)
    about_them: list[ColumnElement[bool]] = [col(NominationRecord.nominee_key).in_(person.keys)]
    if person.teams_user_id:
        about_them.append(col(NominationRecord.nominee_teams_user_id) == person.teams_user_id)
    nominations = session.execute(
        select(col(NominationRecord.id), col(NominationRecord.nominee_name)).where(or_(*about_them))
    ).all()
    if nominations:
        ids = [nomination_id for nomination_id, _name in nominations]
        delete_rows(session, NominationReasonRecord, col(NominationReasonRecord.nomination_id).in_(ids))
        delete_rows(session, NominationRecord, col(NominationRecord.id).in_(ids))
        AuditTrail(session).redact([name for _id, name in nominations], action_prefix="nomination.")


def retain(session: Session, policy: RetentionPolicy, now: datetime, limit: int) -> dict[str, int]:
    """Who asked for a champion, and whom they were pointed to, is forgotten after its time;
    a request nobody could answer stays counted for its unit."""
    cutoff = now - policy.questions
    referral = ChampionReferralRecord
    old = col(referral.first_at) < cutoff
    askers = list(session.execute(select(col(referral.asker_member_id)).where(old).distinct().limit(limit)).scalars())
    referrals = delete_rows(session, referral, old, col(referral.asker_member_id).in_(askers))
    request = UnmatchedRequestRecord
    asked = select(col(request.id)).where(col(request.asked_at) < cutoff, col(request.asker_member_id).is_not(None))
    request_ids = list(session.execute(asked.limit(limit)).scalars())
    unlink(session, request, col(request.id).in_(request_ids), asker_member_id=None)
    return {"askers_forgotten": len(askers), "referrals": referrals, "unanswered_requests": len(request_ids)}


def _step_down(session: Session, champion_id: int, erasure: Erasure) -> None:
    """A champion who erases their data steps down first, and the leads hear of it: by unit only,
    since nothing may name them afterwards."""
    champion = ChampionRoster(session).by_id(champion_id)
    if champion is None or champion.status not in HOLDING_A_PLACE:
        return
    where = champion.profile.unit.label

    def build(texts: Texts) -> tuple[str, Card | None]:
        return texts("step_down.erased_lead_message", unit=where or "—"), None

    erasure.messaging.notify_leads(session, f"step-down:{champion_id}:{stamp(erasure.at)}", erasure.at, build)


PERSONAL_DATA = PersonalData(
    export=export,
    erase=erase,
    retain=retain,
    personal={
        "champion_referral": ["champion_id", "asker_member_id"],
        "champion_referral_count": ["champion_id"],
        "unmatched_request": ["asker_member_id"],
        "nomination": ["nominee_key", "nominee_name", "nominee_email", "nominee_teams_user_id", "decision_reason"],
        "nomination_reason": ["nominator_member_id", "reason"],
    },
    not_personal={
        # Where nobody could be found, and for what: the coverage gap outlives the asker.
        "unmatched_request": ["department", "office", "team", "focus_area"],
        # Units and the leads' decisions about them.
        "coverage_target": ["unit_kind", "unit_name", "mode", "set_by"],
        "nomination": ["status", "decided_by"],
        # The champion's units, as on their champion row, kept beside the count for searches.
        "champion_referral_count": ["department", "team"],
    },
)

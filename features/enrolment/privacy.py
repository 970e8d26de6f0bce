"""What enrolment keeps about people: referrals, requests nobody could answer, nominations."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, or_
from sqlmodel import Session, col

from features.enrolment.tables import (
    ChampionReferralCountRecord,
    ChampionReferralRecord,
    NominationReasonRecord,
    NominationRecord,
    UnmatchedRequestRecord,
)
from storage.privacy import Person, PersonalData, records


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


PERSONAL_DATA = PersonalData(
    export=export,
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
    },
)

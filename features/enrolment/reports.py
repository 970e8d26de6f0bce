"""Enrolment's reports for `python app.py export`."""

from __future__ import annotations

from sqlmodel import Session

from features.enrolment.domain import coverage_report
from features.enrolment.storage import Coverage


def coverage_rows(session: Session) -> tuple[list[str], list[list[object]]]:
    header = ["unit_kind", "unit", "headcount", "champions", "target", "required", "gap", "not_found"]
    report = coverage_report(Coverage(session).figures(), Coverage(session).targets())
    return header, [
        [
            row.kind.value,
            row.name,
            row.headcount,
            row.champions,
            row.target.describe() if row.target else "",
            "" if row.required is None else row.required,
            row.gap,
            row.unmatched_requests,
        ]
        for row in report
    ]

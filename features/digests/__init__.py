"""Digests: a weekly one for each lead, in their time zone and language, and a monthly one for
sponsors, built from what the other slices export (their pulses), never from their tables."""

from __future__ import annotations

from bot.feature import Export, Feature, Files, On, OnCard
from domain.commands import LEADS_ONLY, SPONSORS, SPONSORS_ONLY, Command
from features.digests import jobs, privacy, tables
from features.digests.files import digest_rows, read_csv
from features.digests.handlers import DigestHandlers
from features.digests.views import DECIDE, SCHEDULE, SNOOZE, THANK
from features.digests.workflows import CSV_FILES

FEATURE: Feature[DigestHandlers] = Feature(
    name="digests",
    package=__name__,
    handlers=DigestHandlers,
    commands=(
        On(Command("digest", LEADS_ONLY), DigestHandlers.lead_digest),
        On(Command("sponsor_digest", SPONSORS), DigestHandlers.sponsor_digest),
        On(Command("ask_sponsors", LEADS_ONLY, needs_argument=True, verbatim=True), DigestHandlers.ask_sponsors),
    ),
    card_actions=(
        OnCard(SCHEDULE, DigestHandlers.save_day, LEADS_ONLY),
        OnCard(SNOOZE, DigestHandlers.snooze, LEADS_ONLY),
        OnCard(THANK, DigestHandlers.thank, SPONSORS_ONLY),
        OnCard(DECIDE, DigestHandlers.decide, SPONSORS),
    ),
    jobs=jobs.jobs,
    exports=(
        Export(
            "digest",
            "the lead digest's figures for this week, or --week 2026-W49 (weeks in UTC)",
            lambda session: digest_rows(session, None),
            weekly=digest_rows,
        ),
    ),
    files=(Files(CSV_FILES, read_csv),),
    tables=(
        tables.DigestHealthRecord,
        tables.DigestScheduleRecord,
        tables.DigestDeliveryRecord,
        tables.DigestDecisionRecord,
    ),
    personal_data=privacy.PERSONAL_DATA,
)

__all__ = ["FEATURE"]

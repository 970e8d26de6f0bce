"""An auditable lottery: tickets earned by taking part (never bought), a registry committed
before the draw with a future drand round named, and a proof anyone can rerun with
`tools/verify_draw.py`. Reads the points ledger through recognition's exports only."""

from __future__ import annotations

from bot.feature import Document, Feature, Files, On, OnCard
from domain.commands import LEADS_ONLY, Command
from features.lottery import jobs, privacy, tables
from features.lottery.files import read_published, read_receipt
from features.lottery.handlers import LotteryHandlers
from features.lottery.pulse_queries import LotteryPulse, lottery_pulse
from features.lottery.reports import export_files
from features.lottery.views import (
    CLOSE_DRAW,
    DELIVERED,
    NEW_DRAW,
    OPEN_DRAW,
    PREVIEW_DRAW,
    REPLACE,
    RUN_DRAW,
    SHOW_DRAW,
)
from features.lottery.workflows import PUBLISHED, RECEIPTS

FEATURE: Feature[LotteryHandlers] = Feature(
    name="lottery",
    package=__name__,
    handlers=LotteryHandlers,
    commands=(
        On(Command("my_tickets"), LotteryHandlers.my_tickets),
        On(Command("draw_proof"), LotteryHandlers.proof),
        On(Command("new_draw", LEADS_ONLY), LotteryHandlers.new_draw),
        On(Command("draws", LEADS_ONLY), LotteryHandlers.draws),
    ),
    card_actions=(
        OnCard(NEW_DRAW, LotteryHandlers.create, LEADS_ONLY),
        OnCard(SHOW_DRAW, LotteryHandlers.show, LEADS_ONLY),
        OnCard(PREVIEW_DRAW, LotteryHandlers.preview, LEADS_ONLY),
        OnCard(OPEN_DRAW, LotteryHandlers.open, LEADS_ONLY),
        OnCard(CLOSE_DRAW, LotteryHandlers.close, LEADS_ONLY),
        OnCard(RUN_DRAW, LotteryHandlers.run, LEADS_ONLY),
        OnCard(DELIVERED, LotteryHandlers.delivered, LEADS_ONLY),
        OnCard(REPLACE, LotteryHandlers.replace, LEADS_ONLY),
    ),
    jobs=jobs.jobs,
    documents=(
        Document("draw", "a draw's published data (JSON) and its report for the official (en, it, th)", export_files),
    ),
    files=(Files(PUBLISHED, read_published), Files(RECEIPTS, read_receipt)),
    tables=(tables.LotteryDrawRecord, tables.LotteryEntrantRecord, tables.LotteryEventRecord),
    personal_data=privacy.PERSONAL_DATA,
)

__all__ = [
    "FEATURE",
    "LotteryPulse",
    "lottery_pulse",
]

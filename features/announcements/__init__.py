"""Announcements: a lead writes one in a card (text, a picture, a button link), picks an
audience (all champions, champions of some departments or offices, everyone the bot can
reach, or channels), previews it, and sends it now or at a time; it goes through the outbox
once per person, and the lead sees who was reached, who said "Got it" and who opened it."""

from __future__ import annotations

from bot.feature import Feature, Files, On, OnCard
from domain.commands import EVERYONE, LEADS_ONLY, Command
from features.announcements import jobs, privacy, tables
from features.announcements.files import follow_link
from features.announcements.handlers import AnnouncementHandlers
from features.announcements.views import ACKNOWLEDGE, EDIT, PREVIEW, SEND
from features.announcements.workflows import CLICKS

FEATURE: Feature[AnnouncementHandlers] = Feature(
    name="announcements",
    package=__name__,
    handlers=AnnouncementHandlers,
    commands=(
        On(Command("announce", LEADS_ONLY), AnnouncementHandlers.announce),
        On(Command("announcements", LEADS_ONLY), AnnouncementHandlers.announcements),
    ),
    card_actions=(
        OnCard(PREVIEW, AnnouncementHandlers.preview, LEADS_ONLY),
        OnCard(EDIT, AnnouncementHandlers.edit, LEADS_ONLY),
        OnCard(SEND, AnnouncementHandlers.send, LEADS_ONLY),
        OnCard(ACKNOWLEDGE, AnnouncementHandlers.acknowledge, EVERYONE),
    ),
    jobs=jobs.jobs,
    files=(Files(CLICKS, follow_link),),
    tables=(tables.AnnouncementRecord, tables.AnnouncementReceiptRecord),
    personal_data=privacy.PERSONAL_DATA,
)

__all__ = ["FEATURE"]

"""The digests' scheduled job: every quarter of an hour, each lead whose digest day and hour
have come (in their time zone) gets the week's digest, and on the month's first working day
every sponsor gets last month's. A reader's digest for a period is decided once, so a rerun,
a restart at the fire time or a second replica sends nothing twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from apscheduler.triggers.interval import IntervalTrigger

from domain.i18n import Texts
from features.digests.domain import Figures
from features.digests.views import lead_card, sponsor_card
from features.digests.workflows import send_lead_digests, send_sponsor_digests
from scheduling.jobs import JobContext, JobSpec
from views.cards import Card


def _lead_message(t: Texts, figures: Figures) -> tuple[str, Card]:
    # No CSV link in a message sent ahead: `digest` shows one, fresh, when asked.
    return t("digest.lead.preview", week=figures.period), lead_card(t, figures, None)


def _sponsor_message(t: Texts, figures: Figures) -> tuple[str, Card]:
    return t("digest.sponsor.preview", month=t.month(figures.period)), sponsor_card(t, figures)


async def send_digests(context: JobContext, fire_time: datetime) -> None:
    now = context.clock.now()
    await context.database.run(send_lead_digests, context.messaging, _lead_message, now)
    await context.database.run(send_sponsor_digests, context.messaging, _sponsor_message, context.timezone, now)


def jobs(_timezone: str) -> list[JobSpec]:
    return [
        JobSpec(
            "digests.tick",
            IntervalTrigger(minutes=15, timezone="UTC"),
            send_digests,
            misfire_grace=timedelta(hours=6),
            description="send each lead's weekly digest at their hour and each sponsor's monthly one",
        )
    ]

"""The features this installation runs, in the order their commands appear in help.

Adding a feature: its folder under `features/`, one line here, a migration. `app.py`
hands this list to the bot, the scheduler, the command line and Alembic.
"""

from __future__ import annotations

from typing import Any

from bot.feature import Feature
from features import (
    announcements,
    checkins,
    digests,
    enrolment,
    events,
    hunts,
    lottery,
    questions,
    recognition,
    training,
)

INSTALLED_FEATURES: tuple[Feature[Any], ...] = (
    enrolment.FEATURE,
    checkins.FEATURE,
    recognition.FEATURE,
    questions.FEATURE,
    announcements.FEATURE,
    events.FEATURE,
    training.FEATURE,
    hunts.FEATURE,
    lottery.FEATURE,
    digests.FEATURE,
)

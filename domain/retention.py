"""How long the words people wrote are kept: what the retention settings mean, and their defaults."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True, slots=True)
class RetentionPolicy:
    """How long what people wrote is kept (the rest lives as long as the program needs it)."""

    checkin_answers: timedelta
    feedback_texts: timedelta
    questions: timedelta  # who asked for a champion, and whom they were pointed to
    # A hunt's evidence pictures, after the hunt closed (the reviews' verdicts stay).
    evidence_pictures: timedelta
    departed: timedelta  # after the directory marks someone as gone, they are erased


# The defaults of RETENTION_* and ERASE_DEPARTED_AFTER_DAYS (config.py reads its defaults here).
DEFAULT_RETENTION = RetentionPolicy(
    checkin_answers=timedelta(days=365),
    feedback_texts=timedelta(days=365),
    questions=timedelta(days=180),
    evidence_pictures=timedelta(days=30),
    departed=timedelta(days=30),
)

"""The form of check-ins typed in chat: the reason for skipping a round."""

from __future__ import annotations

from functools import partial

from dialogs.form import Completion, FormSpec, TextStep
from domain.answers import free_text
from features.checkins.feedback_domain import MAX_NOTE

SKIP_FORM = "skip_checkin"


def skip_form(on_complete: Completion) -> FormSpec:
    return FormSpec(
        SKIP_FORM,
        [TextStep("reason", "checkin.skip_ask_reason", partial(free_text, limit=MAX_NOTE))],
        on_complete,
    )

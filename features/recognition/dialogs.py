"""The form for sharing a success story: title, what happened, impact, figures, unit, tags, credit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from dialogs.form import ChoiceStep, Completion, FormRun, FormSpec, TextStep, YesNoStep
from domain.answers import free_text
from domain.i18n import Texts
from features.recognition.domain import MAX_IMPACT, MAX_STORY, MAX_TITLE, parse_figures, story_text
from features.recognition.views import story_preview

STORY_FORM = "share_story"
DEPARTMENTS = "departments"
FOCUS_AREAS = "focus_areas"


def _preview(run: FormRun) -> list[tuple[str, str]]:
    return story_preview(Texts(run.translate, run.locale), run.values)


def story_form(find_champion: Callable[[str], Awaitable[dict[str, Any]]], on_complete: Completion) -> FormSpec:
    return FormSpec(
        STORY_FORM,
        [
            TextStep("title", "story.ask_title", partial(story_text, limit=MAX_TITLE)),
            TextStep("body", "story.ask_body", partial(story_text, limit=MAX_STORY), multiline=True),
            TextStep("impact", "story.ask_impact", partial(story_text, limit=MAX_IMPACT), multiline=True),
            TextStep("figures", "story.ask_figures", parse_figures, optional=True),
            ChoiceStep(
                "department", "story.ask_department", DEPARTMENTS, free_text_fallback=free_text, prefill="department"
            ),
            ChoiceStep("focus_areas", "story.ask_focus", FOCUS_AREAS, multiple=True),
            TextStep("credit", "story.ask_credit", find_champion, optional=True),
            YesNoStep("confirm", "story.ask_confirm", yes_label="story.submit", no_label="form.no", summary=_preview),
        ],
        on_complete,
        intro=lambda run: run.t("story.intro"),
    )

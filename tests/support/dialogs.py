"""A small two-step dialog registered only by tests, to exercise the dialog machinery
(per-user state, restarts, help/cancel interruptions) before features bring their own."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botbuilder.core import MessageFactory
from botbuilder.dialogs import DialogTurnResult, TextPrompt, WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.prompts import PromptOptions, PromptValidatorContext

from bot.feature import Feature, FeatureHandlers, On
from domain.commands import Command
from domain.program import UserContext
from domain.turn import Turn
from features.installed import INSTALLED_FEATURES

SURVEY = Command("survey", listed=False)
SURVEY_DIALOG = "survey"
HOURS_QUESTION = "How many hours a month can you give (1-20)?"
HOURS_RETRY = "Please answer with a whole number from 1 to 20."
OFFICE_QUESTION = "Which office are you in?"
FAILING_OFFICE = "Atlantis"  # the last step raises for this answer, to exercise the error hook


async def _hours_valid(prompt: PromptValidatorContext) -> bool:
    value = (prompt.recognized.value or "").strip()
    return value.isdigit() and 1 <= int(value) <= 20


async def _ask_hours(step: WaterfallStepContext) -> DialogTurnResult:
    return await step.prompt(
        "hours",
        PromptOptions(prompt=MessageFactory.text(HOURS_QUESTION), retry_prompt=MessageFactory.text(HOURS_RETRY)),
    )


async def _ask_office(step: WaterfallStepContext) -> DialogTurnResult:
    step.values["hours"] = int(step.result)
    return await step.prompt("office", PromptOptions(prompt=MessageFactory.text(OFFICE_QUESTION)))


async def _finish(step: WaterfallStepContext) -> DialogTurnResult:
    if step.result == FAILING_OFFICE:
        raise RuntimeError("no such office")
    await step.context.send_activity(f"Thanks: {step.values['hours']} hours in {step.result}.")
    return await step.end_dialog()


@dataclass(frozen=True, slots=True)
class Survey(FeatureHandlers):
    """Registers raw SDK dialogs (prompts and a waterfall), which only the platform's tests need."""

    def __post_init__(self) -> None:
        self.dialogs.add(TextPrompt("hours", _hours_valid))
        self.dialogs.add(TextPrompt("office"))
        self.dialogs.add(WaterfallDialog(SURVEY_DIALOG, [_ask_hours, _ask_office, _finish]))

    async def start(self, turn: Turn, _user: UserContext, _argument: str) -> None:
        await self.begin(turn, SURVEY_DIALOG)


SURVEY_FEATURE = Feature(
    name="survey",
    package="tests.support.survey",
    handlers=Survey,
    commands=(On(SURVEY, Survey.start),),
)

WITH_SURVEY: tuple[Feature[Any], ...] = (*INSTALLED_FEATURES, SURVEY_FEATURE)

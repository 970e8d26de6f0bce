"""Forms as explicit state machines: one question per step, answered by typing or by a card.

A `FormDialog` walks its steps in order, skipping those that do not apply. Each step asks
(a card with one input and a text fallback), parses the answer, and either stores the
value or re-asks with the reason. State is plain JSON in the dialog stack, so a restart
resumes at the same step. A card from an earlier step (or an earlier run of the form)
is refused instead of being taken as the answer to the current question.
"""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from botbuilder.core import TurnContext
from botbuilder.dialogs import Dialog, DialogContext, DialogInstance, DialogReason, DialogTurnResult

from dialogs.cards import card_message
from domain.answers import AnswerError, pick_from, pick_many
from domain.commands import normalize_text
from domain.i18n import Translator
from domain.turn import Turn
from views.cards import adaptive_card, submit_action, text_block

Values = dict[str, Any]
# Lists a step picks from that depend on earlier answers (e.g. the teams of a department).
OptionsLookup = Callable[[str, Values], Awaitable[list[str]]]
# What a form does with its answers; it gets the turn as features see it (`domain.turn.Turn`).
Completion = Callable[[Turn, Values, "FormRun"], Awaitable[Any]]
# Builds that turn from the SDK's: the bot hands FormDialog its implementation.
TurnOf = Callable[[TurnContext], Turn]

FORM_KEY = "form"
STEP_KEY = "step"
ANSWER_KEY = "answer"
SKIP_WORDS = frozenset({"skip", "none", "-", "salta", "nessuno", "ข้าม", "ไม่มี"})
YES_WORDS = frozenset({"yes", "y", "ok", "sure", "sì", "si", "ใช่", "ตกลง"})
NO_WORDS = frozenset({"no", "n", "nope", "ไม่", "ไม่ใช่"})


def is_form_word(text: str) -> bool:
    """Words every form understands ("skip", "yes", "no"): an answer, even where a command shares them."""
    return normalize_text(text) in SKIP_WORDS | YES_WORDS | NO_WORDS


@dataclass(frozen=True, slots=True)
class FormRun:
    """What a step can see: the answers so far, the user's locale, and the program's lists."""

    values: Values
    locale: str | None
    translate: Translator
    data: dict[str, Any]

    def t(self, key: str, **params: object) -> str:
        return self.translate(key, self.locale, **params)


class Step:
    """One question. Subclasses say how to ask and how to read the answer."""

    key: str
    question: str  # message key
    optional: bool = False
    # Asked only when this says so (e.g. the team only if the unit was changed).
    only_if: Callable[[FormRun], bool] | None = None

    def applies(self, run: FormRun) -> bool:
        return self.only_if(run) if self.only_if else True

    async def options(self, run: FormRun, lookup: OptionsLookup) -> list[str]:
        return []

    def input(self, run: FormRun, options: list[str]) -> dict[str, Any] | None:
        return {"type": "Input.Text", "id": ANSWER_KEY, "maxLength": 500}

    def parse(self, run: FormRun, answer: str, options: list[str]) -> Any:
        raise NotImplementedError

    def question_text(self, run: FormRun, options: list[str]) -> str:
        return run.t(self.question, **run.values)


@dataclass(slots=True)
class TextStep(Step):
    key: str
    question: str
    parser: Callable[[str], Any]
    optional: bool = False
    multiline: bool = False
    only_if: Callable[[FormRun], bool] | None = None
    # The input's initial value, from the answers so far (e.g. the current profile).
    prefill: str | None = None

    def input(self, run: FormRun, options: list[str]) -> dict[str, Any] | None:
        element: dict[str, Any] = {"type": "Input.Text", "id": ANSWER_KEY, "maxLength": 1000}
        if self.multiline:
            element["isMultiline"] = True
        current = run.values.get(self.prefill) if self.prefill else None
        if current:
            element["value"] = ", ".join(current) if isinstance(current, list | tuple) else str(current)
        return element

    def parse(self, run: FormRun, answer: str, options: list[str]) -> Any:
        if self.optional and normalize_text(answer) in SKIP_WORDS:
            return None
        return self.parser(answer)


@dataclass(slots=True)
class ChoiceStep(Step):
    """Pick one (or several) from a list; the list comes from `source` in the form's data or a lookup."""

    key: str
    question: str
    source: str
    multiple: bool = False
    # With no options known (e.g. an empty directory), accept free text instead.
    free_text_fallback: Callable[[str], Any] | None = None
    only_if: Callable[[FormRun], bool] | None = None
    lookup_from: str | None = None  # ask the lookup, passing the answers so far
    prefill: str | None = None

    async def options(self, run: FormRun, lookup: OptionsLookup) -> list[str]:
        if self.lookup_from is not None:
            return await lookup(self.lookup_from, run.values)
        return list(run.data.get(self.source, []))

    def input(self, run: FormRun, options: list[str]) -> dict[str, Any] | None:
        if not options:
            return {"type": "Input.Text", "id": ANSWER_KEY, "maxLength": 256}
        element: dict[str, Any] = {
            "type": "Input.ChoiceSet",
            "id": ANSWER_KEY,
            "choices": [{"title": option, "value": option} for option in options],
            "isMultiSelect": self.multiple,
            "isRequired": True,
            "errorMessage": run.t("form.pick_one"),
        }
        if not self.multiple:
            # A searchable drop-down: Teams renders "filtered" as a type-ahead list.
            element["style"] = "filtered" if len(options) > 8 else "compact"
        current = run.values.get(self.prefill) if self.prefill else None
        if current:
            element["value"] = ",".join(current) if isinstance(current, list | tuple) else str(current)
        return element

    def parse(self, run: FormRun, answer: str, options: list[str]) -> Any:
        if not options:
            if self.free_text_fallback is None:
                raise AnswerError("answer.empty")
            return self.free_text_fallback(answer)
        return list(pick_many(options, answer)) if self.multiple else pick_from(options, answer)

    def question_text(self, run: FormRun, options: list[str]) -> str:
        question = run.t(self.question, **run.values)
        if options and len(options) <= 12:
            numbered = "\n".join(f"{index}. {option}" for index, option in enumerate(options, 1))
            return f"{question}\n\n{numbered}"
        return question


@dataclass(slots=True)
class YesNoStep(Step):
    key: str
    question: str
    yes_label: str = "form.yes"
    no_label: str = "form.no"
    only_if: Callable[[FormRun], bool] | None = None
    # Builds the facts shown above the buttons (a summary to confirm).
    summary: Callable[[FormRun], list[tuple[str, str]]] | None = None

    def input(self, run: FormRun, options: list[str]) -> dict[str, Any] | None:
        return None  # two buttons instead of an input

    def parse(self, run: FormRun, answer: str, options: list[str]) -> Any:
        word = normalize_text(answer)
        if word in YES_WORDS or word == normalize_text(run.t(self.yes_label)):
            return True
        if word in NO_WORDS or word == normalize_text(run.t(self.no_label)):
            return False
        raise AnswerError("answer.yes_or_no", yes=run.t(self.yes_label), no=run.t(self.no_label))


@dataclass(slots=True)
class DateStep(Step):
    key: str
    question: str
    parser: Callable[[str], Any]
    only_if: Callable[[FormRun], bool] | None = None

    def input(self, run: FormRun, options: list[str]) -> dict[str, Any] | None:
        return {"type": "Input.Date", "id": ANSWER_KEY, "isRequired": True}

    def parse(self, run: FormRun, answer: str, options: list[str]) -> Any:
        return self.parser(answer)


async def no_lookup(name: str, values: Values) -> list[str]:
    """For forms whose lists all come with the form's data."""
    raise KeyError(name)


@dataclass(slots=True)
class FormSpec:
    id: str
    steps: Sequence[Step]
    on_complete: Completion
    # Where lists that depend on earlier answers come from (see `ChoiceStep.lookup_from`).
    lookup: OptionsLookup = field(default=no_lookup)
    # Text sent once when the form starts (e.g. what the role is about).
    intro: Callable[[FormRun], str | None] | None = None


class FormDialog(Dialog):
    def __init__(self, spec: FormSpec, translate: Translator, turn_of: TurnOf) -> None:
        super().__init__(spec.id)
        self._spec = spec
        self._translate = translate
        self._lookup = spec.lookup
        self._turn_of = turn_of
        keys = [step.key for step in spec.steps]
        if len(set(keys)) != len(keys):
            raise ValueError(f"form {spec.id!r} has two steps with the same key")

    # --- the dialog protocol --------------------------------------------------------------

    async def begin_dialog(self, dialog_context: DialogContext, options: object = None) -> DialogTurnResult:
        options = options if isinstance(options, dict) else {}
        state = dialog_context.active_dialog.state
        state.update(
            run_id=uuid.uuid4().hex[:12],
            locale=dialog_context.context.activity.locale,
            values=dict(options.get("values", {})),
            data=dict(options.get("data", {})),
            index=-1,
        )
        run = self._run(state)
        intro = self._spec.intro(run) if self._spec.intro else None
        if intro:
            await dialog_context.context.send_activity(intro)
        return await self._advance(dialog_context, state)

    async def continue_dialog(self, dialog_context: DialogContext) -> DialogTurnResult:
        state = dialog_context.active_dialog.state
        step = self._spec.steps[state["index"]]
        run = self._run(state)
        answer = self._answer_of(dialog_context.context, state)
        options = await step.options(run, self._lookup)
        if answer is None:
            await dialog_context.context.send_activity(run.t("form.stale_card"))
            await self._ask(dialog_context.context, state)
            return Dialog.end_of_turn
        try:
            if not answer.strip():
                raise AnswerError("answer.empty")
            parsed = step.parse(run, answer, options)
            # A step may need the database to read its answer (e.g. find the person named).
            state["values"][step.key] = await parsed if inspect.isawaitable(parsed) else parsed
        except AnswerError as error:
            await dialog_context.context.send_activity(run.t(error.reason, **error.params))
            await self._ask(dialog_context.context, state, options)
            return Dialog.end_of_turn
        return await self._advance(dialog_context, state)

    async def reprompt_dialog(self, context: TurnContext, instance: DialogInstance) -> None:
        await self._ask(context, instance.state)

    async def end_dialog(self, context: TurnContext, instance: DialogInstance, reason: DialogReason) -> None:
        return None

    # --- steps ----------------------------------------------------------------------------

    def _run(self, state: dict[str, Any]) -> FormRun:
        return FormRun(state["values"], state.get("locale"), self._translate, state["data"])

    async def _advance(self, dialog_context: DialogContext, state: dict[str, Any]) -> DialogTurnResult:
        run = self._run(state)
        index = state["index"] + 1
        while index < len(self._spec.steps) and not self._spec.steps[index].applies(run):
            index += 1
        state["index"] = index
        if index >= len(self._spec.steps):
            result = await self._spec.on_complete(self._turn_of(dialog_context.context), state["values"], run)
            return await dialog_context.end_dialog(result)
        await self._ask(dialog_context.context, state)
        return Dialog.end_of_turn

    async def _ask(self, context: TurnContext, state: dict[str, Any], options: list[str] | None = None) -> None:
        step = self._spec.steps[state["index"]]
        run = self._run(state)
        if options is None:
            options = await step.options(run, self._lookup)
        data = {FORM_KEY: state["run_id"], STEP_KEY: step.key}
        question = step.question_text(run, options)
        element = step.input(run, options)
        body: list[dict[str, Any]] = []
        if isinstance(step, YesNoStep):
            body.append(text_block(question, weight="Bolder"))
            if step.summary is not None:
                body.append({"type": "FactSet", "facts": [{"title": t, "value": v} for t, v in step.summary(run)]})
            actions = [
                submit_action(run.t(step.yes_label), {**data, ANSWER_KEY: run.t(step.yes_label)}),
                submit_action(run.t(step.no_label), {**data, ANSWER_KEY: run.t(step.no_label)}),
            ]
        else:
            # The question is the input's label, so a screen reader announces it with the field.
            body.append({**(element or {}), "label": question})
            actions = [submit_action(run.t("form.next"), data)]
            if step.optional:
                actions.append(submit_action(run.t("form.skip"), {**data, ANSWER_KEY: "skip"}))
        footer = run.t("form.footer")
        body.append(text_block(footer, isSubtle=True, size="Small"))
        card = adaptive_card(body, actions)
        await context.send_activity(card_message(card))

    def _answer_of(self, context: TurnContext, state: dict[str, Any]) -> str | None:
        """The typed text, or the card's input; None for a card from another step or run."""
        value = context.activity.value
        if isinstance(value, dict) and FORM_KEY in value:
            current = self._spec.steps[state["index"]].key
            if value.get(FORM_KEY) != state["run_id"] or value.get(STEP_KEY) != current:
                return None
            answer = value.get(ANSWER_KEY)
            if isinstance(answer, list):
                return ", ".join(str(item) for item in answer)
            return str(answer) if answer is not None else ""
        return context.activity.text or ""


def leave_form_card(
    question: str, leave: tuple[str, dict[str, Any]], keep: tuple[str, dict[str, Any]] | None
) -> dict[str, Any]:
    """Leave the form for this command? With the way back: the words were the answer."""
    actions = [submit_action(*leave)]
    if keep is not None:
        actions.append(submit_action(*keep))
    return adaptive_card([text_block(question)], actions)

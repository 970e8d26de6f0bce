"""Runs the registered dialogs on per-user state."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from botbuilder.core import BotState, TurnContext
from botbuilder.dialogs import Dialog, DialogContext, DialogSet, DialogTurnResult, DialogTurnStatus

# Set in turn_state when a dialog raised: only then does the error hook forget the user's dialog.
DIALOG_FAILED = "champion_circle.dialog_failed"


class DialogHost:
    def __init__(self, state: BotState) -> None:
        self._dialog_state = state.create_property("DialogState")
        self._dialogs = DialogSet(self._dialog_state)

    def add(self, dialog: Dialog) -> None:
        self._dialogs.add(dialog)

    async def _context(self, turn_context: TurnContext) -> DialogContext:
        return await self._dialogs.create_context(turn_context)

    async def is_active(self, turn_context: TurnContext) -> bool:
        # What a DialogContext's `active_dialog` reads, without building one (and its memory
        # scopes) on every turn; nothing is stored for someone who has no dialog.
        dialog_state = await self._dialog_state.get(turn_context)
        return dialog_state is not None and bool(dialog_state.dialog_stack)

    async def begin(self, turn_context: TurnContext, dialog_id: str, options: object = None) -> DialogTurnResult:
        with _marked_if_it_fails(turn_context):
            return await (await self._context(turn_context)).begin_dialog(dialog_id, options)

    async def continue_active(self, turn_context: TurnContext) -> DialogTurnResult:
        with _marked_if_it_fails(turn_context):
            return await (await self._context(turn_context)).continue_dialog()

    async def reprompt(self, turn_context: TurnContext) -> None:
        with _marked_if_it_fails(turn_context):
            await (await self._context(turn_context)).reprompt_dialog()

    async def cancel_all(self, turn_context: TurnContext) -> bool:
        """Cancel every active dialog; False when nothing was running."""
        result = await (await self._context(turn_context)).cancel_all_dialogs()
        return result.status is DialogTurnStatus.Cancelled


@contextmanager
def _marked_if_it_fails(turn_context: TurnContext) -> Iterator[None]:
    """A dialog that raises is marked for the error hook, which then forgets it."""
    try:
        yield
    except Exception:
        turn_context.turn_state[DIALOG_FAILED] = True
        raise

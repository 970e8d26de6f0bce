"""The collaborators every turn needs, built once in create_app and passed down."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from domain.clock import Clock
from domain.commands import CommandCatalog
from domain.i18n import Translator
from domain.roles import ProgramRoles
from storage.database import Database
from storage.write_behind import WriteBehind

USER_CONTEXT_KEY = "champion_circle.user_context"


@dataclass(frozen=True, slots=True)
class BotServices:
    database: Database
    clock: Clock
    translate: Translator
    roles: ProgramRoles
    commands: CommandCatalog
    tenant_allow_list: frozenset[str]
    version: str
    # What turns leave behind and can lose (referral counts), written together every second.
    write_behind: WriteBehind
    # Where the program lives (IANA name): schedules and dates leads see.
    timezone: str = "UTC"
    # A form left untouched this long ends (see FORM_LIFETIME_HOURS).
    form_lifetime: timedelta = timedelta(hours=24)

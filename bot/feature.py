"""What a feature declares, in one place, and the base its handlers share.

A feature is a folder, `features/<name>/`, whose `__init__.py` exports one `Feature`: its
commands with their handlers side by side, its card actions with the roles that may use
them, its forms, scheduled jobs, command-line exports, tables and the personal data they
keep, and texts. `app.py` hands the list of installed features to the bot, the scheduler
and the command line; nothing in the platform names a feature.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Concatenate, Generic, ParamSpec, TypeVar
from zoneinfo import ZoneInfo

from sqlmodel import Session, SQLModel

from bot.my_data import PUBLIC_ORIGIN
from bot.router import CardReply, CommandRouter
from bot.services import BotServices
from bot.turn import TeamsTurn
from dialogs.form import FormSpec
from dialogs.host import DialogHost
from domain.commands import EVERYONE, Command
from domain.i18n import Texts
from domain.program import UserContext
from domain.reports import Report
from domain.roles import Role
from domain.turn import Turn
from scheduling.jobs import JobSpec
from storage.links import ServedFile
from storage.messaging import Messaging
from storage.privacy import PLATFORM_DATA, PersonalData

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class FeatureHandlers:
    """A feature's handlers are the methods of a subclass; this is what they share."""

    services: BotServices
    dialogs: DialogHost
    messaging: Messaging
    router: CommandRouter

    @staticmethod
    def public_origin() -> str:
        """How Teams reached the bot on this request ("https://bot.contoso.example"), for links back to it."""
        return PUBLIC_ORIGIN.get()

    def texts(self, user: UserContext) -> Texts:
        return Texts(self.services.translate, user.identity.locale, user.identity.timezone)

    def now(self) -> datetime:
        return self.services.clock.now()

    def program_today(self) -> date:
        """Today where the program lives (its DEFAULT_TIMEZONE)."""
        return self.now().astimezone(ZoneInfo(self.services.timezone)).date()

    async def db(self, work: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a workflow or query, `work(session, *args, **kwargs)`, in one transaction off the event loop."""
        return await self.services.database.run(work, *args, **kwargs)

    async def db_autocommit(self, work: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run work whose every statement stands alone (reads, a one-statement write) with each
        committed on its own: on PostgreSQL a round trip each, with no BEGIN or COMMIT."""
        return await self.services.database.run_autocommit(work, *args, **kwargs)

    async def begin(self, turn: Turn, form_id: str, options: Mapping[str, Any] | None = None) -> None:
        """Start one of the feature's forms for the sender of this turn."""
        if not isinstance(turn, TeamsTurn):
            raise TypeError(f"forms run on the bot's own turns, not {type(turn).__name__}")
        await self.dialogs.begin(turn.context, form_id, dict(options or {}))


H = TypeVar("H", bound=FeatureHandlers)

CommandHandler = Callable[[H, Turn, UserContext, str], Awaitable[None]]
CardActionHandler = Callable[[H, Turn, UserContext, dict[str, Any]], Awaitable[CardReply]]
Interceptor = Callable[[H, Turn, UserContext, Command, str], Awaitable[bool]]
FileTaker = Callable[[H, Turn, UserContext, str], Awaitable[bool]]


@dataclass(frozen=True, slots=True)
class On(Generic[H]):
    """A text command and the handler that answers it (the command says who may use it)."""

    command: Command
    handler: CommandHandler[H]


@dataclass(frozen=True, slots=True)
class OnCard(Generic[H]):
    """A card's `Action.Execute` verb, its handler, and the roles that may press it (checked on the server)."""

    verb: str
    handler: CardActionHandler[H]
    roles: frozenset[Role] = EVERYONE


@dataclass(frozen=True, slots=True)
class Files:
    """Files of one kind the feature keeps and hands out by signed link (`storage.links`)."""

    kind: str
    read: Callable[[Session, int], ServedFile | None]


@dataclass(frozen=True, slots=True)
class Export:
    """A CSV report for `python app.py export <name>`."""

    name: str
    description: str
    rows: Callable[[Session], Report]
    # A report of one ISO week ("2026-W49") for `export NAME --week`; `rows` is the current week.
    weekly: Callable[[Session, str], Report] | None = None
    # The rows since a moment, for `export NAME --since 2026-11-01`; `rows` is everything.
    dated: Callable[[Session, datetime], Report] | None = None

    @classmethod
    def by_date(cls, name: str, description: str, rows: Callable[[Session, datetime | None], Report]) -> Export:
        """A report kept by date: everything by default, `--since` a day."""
        return cls(name, description, lambda session: rows(session, None), dated=rows)


@dataclass(frozen=True, slots=True)
class Document:
    """Files about one record for `python app.py export <name> <id>` (e.g. a draw's published
    data and its report), written to a folder."""

    name: str
    description: str
    files: Callable[[Session, int], list[ServedFile]]


@dataclass(frozen=True, slots=True)
class Feature(Generic[H]):
    name: str
    # The package whose `locales/<language>.json` hold the feature's texts and command phrases.
    package: str
    handlers: Callable[[BotServices, DialogHost, Messaging, CommandRouter], H]
    commands: Sequence[On[H]] = ()
    card_actions: Sequence[OnCard[H]] = ()
    # The feature's forms, built around its handlers (a form's answers go to one of them).
    forms: Callable[[H], Sequence[FormSpec]] = field(default=lambda _handlers: ())
    # Run before any command; one may take the turn over (True), e.g. to ask something first.
    interceptors: Sequence[Interceptor[H]] = ()
    # Offered a message's pictures when it has no command: True when the feature took them.
    file_takers: Sequence[FileTaker[H]] = ()
    # Scheduled jobs, given the time zone where the program lives.
    jobs: Callable[[str], Sequence[JobSpec]] = field(default=lambda _timezone: ())
    exports: Sequence[Export] = ()
    documents: Sequence[Document] = ()
    files: Sequence[Files] = ()
    tables: Sequence[type[SQLModel]] = ()
    # What the feature's tables keep about people, and a person's copy of it (`my data`).
    personal_data: PersonalData | None = None
    # Sample data for `python app.py demo` (local SQLite only): adds it, returns how many rows.
    sample_data: Callable[[Session, datetime], int] | None = None

    @property
    def locales(self) -> str:
        return f"{self.package}.locales"


def personal_data_of(features: Sequence[Feature[Any]]) -> dict[str, PersonalData]:
    """What the platform and each installed feature keep about people, by name (platform first)."""
    declared = {"platform": PLATFORM_DATA}
    declared.update({feature.name: feature.personal_data for feature in features if feature.personal_data})
    return declared

"""Builds the bot from settings: authentication, adapter, middleware, state, features."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace

from botbuilder.core import BotState
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

from bot.champion_bot import ChampionCircleBot
from bot.errors import make_turn_error_handler
from bot.handlers import champions, checkins, foundation, recognition
from bot.middleware import ConversationTracker, DeliveryDeduplication, TenantGate
from bot.router import CommandRouter
from bot.services import BotServices
from bot.state import DatabaseStorage, PerUserConversationState
from bot.web import BotEndpoint
from config import VERSION, Settings
from dialogs.host import DialogHost
from domain.clock import Clock
from domain.commands import CommandCatalog, foundation_commands
from domain.i18n import Translator
from domain.roles import ProgramRoles
from storage.database import Database


@dataclass(frozen=True, slots=True)
class FeatureContext:
    """What a feature's `register` gets: add commands, handlers and dialogs here."""

    services: BotServices
    router: CommandRouter
    dialogs: DialogHost
    dialog_state: BotState


Feature = Callable[[FeatureContext], None]


def _foundation(context: FeatureContext) -> None:
    foundation.register(context.router, context.services)


def _enrolment(context: FeatureContext) -> None:
    champions.register(context.services, context.router, context.dialogs)


def _checkins(context: FeatureContext) -> None:
    checkins.register(context.services, context.router, context.dialogs)


def _recognition(context: FeatureContext) -> None:
    recognition.register(context.services, context.router, context.dialogs)


DEFAULT_FEATURES: tuple[Feature, ...] = (_foundation, _enrolment, _checkins, _recognition)


def bot_framework_authentication(settings: Settings) -> ConfigurationBotFrameworkAuthentication:
    # The SDK reads these attribute names from a configuration object.
    configuration = SimpleNamespace(
        APP_ID=settings.microsoft_app_id,
        APP_PASSWORD=settings.microsoft_app_password.get_secret_value(),
        # The SDK's "authentication disabled" path only exists for its MultiTenant type.
        APP_TYPE="MultiTenant" if settings.anonymous else settings.microsoft_app_type,
        APP_TENANTID=settings.microsoft_app_tenant_id,
    )
    return ConfigurationBotFrameworkAuthentication(configuration)


def build_endpoint(
    settings: Settings,
    database: Database,
    clock: Clock,
    features: Sequence[Feature] = DEFAULT_FEATURES,
) -> BotEndpoint:
    translate = Translator(default_language=settings.default_locale)
    services = BotServices(
        database=database,
        clock=clock,
        translate=translate,
        roles=ProgramRoles(settings.program_leads),
        commands=CommandCatalog(foundation_commands()),
        tenant_allow_list=settings.tenant_allow_list,
        version=VERSION,
        timezone=settings.default_timezone,
    )
    dialog_state = PerUserConversationState(DatabaseStorage(database, clock))
    dialogs = DialogHost(dialog_state)
    router = CommandRouter(translate)
    context = FeatureContext(services, router, dialogs, dialog_state)
    for register in features:
        register(context)

    authentication = bot_framework_authentication(settings)
    adapter = CloudAdapter(authentication)
    adapter.on_turn_error = make_turn_error_handler(translate, dialog_state)
    adapter.use(TenantGate(services))
    adapter.use(DeliveryDeduplication(services))
    adapter.use(ConversationTracker(services))
    bot = ChampionCircleBot(services, dialog_state, dialogs, router)
    return BotEndpoint(adapter, authentication, bot, anonymous=settings.anonymous)

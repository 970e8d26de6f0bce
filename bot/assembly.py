"""Builds the bot from settings and the installed features: authentication, adapter, middleware, state."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from types import SimpleNamespace
from typing import Any

from bot import foundation, sdk_patches
from bot.auth import SigningKeys, TokenGate, route_sdk_key_lookups
from bot.budget import BudgetedCloudAdapter, TeamsBudget
from bot.champion_bot import ChampionCircleBot
from bot.clients import KeptClientsAuthentication
from bot.errors import make_turn_error_handler
from bot.feature import Feature, personal_data_of
from bot.files import FileLinks
from bot.middleware import BoundedReplies, OneTurnAtATime, TenantGate, TurnBookkeeping
from bot.my_data import MyData
from bot.router import CommandRouter
from bot.services import BotServices
from bot.state import DatabaseStorage, PerUserConversationState
from bot.turn import TeamsTurn
from bot.web import BotEndpoint
from config import VERSION, Settings
from dialogs.form import FormDialog
from dialogs.host import DialogHost
from domain.clock import Clock
from domain.commands import DELETE_MY_DATA, MY_DATA, PLATFORM_COMMANDS_FIRST, PLATFORM_COMMANDS_LAST, CommandCatalog
from domain.i18n import KERNEL_LOCALES, Translator, load_catalogs
from domain.roles import ProgramRoles
from storage.database import Database
from storage.messaging import Messaging
from storage.write_behind import WriteBehind


def translator_for(
    features: Sequence[Feature[Any]], default_language: str = "en", default_timezone: str = "UTC"
) -> Translator:
    """The kernel's texts and every installed feature's, in every shipped language."""
    catalogs = load_catalogs((KERNEL_LOCALES, *(feature.locales for feature in features)))
    return Translator(catalogs, default_language=default_language, default_timezone=default_timezone)


def command_catalog(translate: Translator, features: Sequence[Feature[Any]]) -> CommandCatalog:
    """The platform's commands around each feature's, with the phrases the locale files give them."""
    features_commands = (on.command for feature in features for on in feature.commands)
    declared = [*PLATFORM_COMMANDS_FIRST, *features_commands, *PLATFORM_COMMANDS_LAST]
    return CommandCatalog(command.worded(translate) for command in declared)


def install(feature: Feature[Any], services: BotServices, router: CommandRouter, dialogs: DialogHost) -> None:
    """Wire one feature's declaration: its handlers, commands, card actions, interceptors and forms."""
    messaging = Messaging(services.translate, services.roles)
    handlers = feature.handlers(services, dialogs, messaging, router)
    for on in feature.commands:
        router.register(on.command, partial(on.handler, handlers))
    for on_card in feature.card_actions:
        router.register_action(on_card.verb, partial(on_card.handler, handlers), on_card.roles)
    for intercept in feature.interceptors:
        router.add_interceptor(partial(intercept, handlers))
    for take in feature.file_takers:
        router.add_file_taker(partial(take, handlers))
    for form in feature.forms(handlers):
        dialogs.add(FormDialog(form, services.translate, TeamsTurn))


def sdk_configuration(settings: Settings) -> SimpleNamespace:
    # The SDK reads these attribute names from a configuration object.
    return SimpleNamespace(
        APP_ID=settings.microsoft_app_id,
        APP_PASSWORD=settings.microsoft_app_password.get_secret_value(),
        # The SDK's "authentication disabled" path only exists for its MultiTenant type.
        APP_TYPE="MultiTenant" if settings.anonymous else settings.microsoft_app_type,
        APP_TENANTID=settings.microsoft_app_tenant_id,
    )


def bot_framework_authentication(settings: Settings) -> KeptClientsAuthentication:
    return KeptClientsAuthentication(sdk_configuration(settings))


def build_endpoint(
    settings: Settings,
    database: Database,
    clock: Clock,
    features: Sequence[Feature[Any]],
    budget: TeamsBudget | None = None,
) -> BotEndpoint:
    """`budget`: Teams' per-app budget for replies and the sender (by default real time, at
    `TEAMS_REQUESTS_PER_SECOND`)."""
    sdk_patches.apply()
    translate = translator_for(features, settings.default_locale, settings.default_timezone)
    services = BotServices(
        database=database,
        clock=clock,
        translate=translate,
        roles=ProgramRoles(settings.program_leads, settings.program_sponsors),
        commands=command_catalog(translate, features),
        tenant_allow_list=settings.tenant_allow_list,
        version=VERSION,
        write_behind=WriteBehind(database),
        timezone=settings.default_timezone,
        form_lifetime=settings.form_lifetime,
    )
    dialog_state = PerUserConversationState(DatabaseStorage(database, clock), clock)
    dialogs = DialogHost(dialog_state)
    router = CommandRouter(translate)
    foundation.register(router, services)
    my_data = MyData(services, personal_data_of(features))
    router.register(MY_DATA, my_data.show)
    router.register(DELETE_MY_DATA, my_data.delete)
    for feature in features:
        install(feature, services, router, dialogs)

    authentication = bot_framework_authentication(settings)
    budget = budget or TeamsBudget(settings.teams_requests_per_second)
    adapter = BudgetedCloudAdapter(authentication, budget)
    adapter.on_turn_error = make_turn_error_handler(translate, dialog_state)
    adapter.use(BoundedReplies())
    adapter.use(TenantGate(services))
    adapter.use(OneTurnAtATime())
    adapter.use(TurnBookkeeping(services, dialog_state))
    bot = ChampionCircleBot(services, dialog_state, dialogs, router)
    gate = None
    if not settings.anonymous:
        keys = SigningKeys(settings.bot_openid_metadata_url, clock=clock)
        route_sdk_key_lookups(keys)
        gate = TokenGate(authentication, keys)
    files = FileLinks(services, {source.kind: source.read for feature in features for source in feature.files})
    return BotEndpoint(
        adapter, authentication, bot, gate=gate, my_data=my_data, files=files, write_behind=services.write_behind
    )

"""Outbound clients kept across turns.

The SDK's CloudAdapter builds a new Bot Connector client, and a user token client the bot
never uses, for every incoming activity: msrest set-up that costs several milliseconds of
event-loop time per turn. One connector client per serviceUrl and audience is kept instead
(its HTTP sessions are per thread and its credentials cache their token), and one user token
client per app identity is made when first asked for.
"""

from __future__ import annotations

from typing import Any

from botbuilder.integration.aiohttp import ConfigurationBotFrameworkAuthentication
from botframework.connector import ConnectorClient
from botframework.connector.auth import AuthenticateRequestResult, ClaimsIdentity, ConnectorFactory, UserTokenClient
from botframework.connector.auth.authentication_constants import AuthenticationConstants


class KeptConnectorFactory(ConnectorFactory):
    """The SDK's factory for one request, answering from the clients already made."""

    def __init__(self, made_for_request: ConnectorFactory, kept: dict[tuple[str, str | None], ConnectorClient]) -> None:
        self._made_for_request = made_for_request
        self._kept = kept

    async def create(self, service_url: str, audience: str | None = None) -> ConnectorClient:
        key = (service_url, audience)
        client = self._kept.get(key)
        if client is None:
            client = self._kept[key] = await self._made_for_request.create(service_url, audience)
        return client


class KeptClientsAuthentication(ConfigurationBotFrameworkAuthentication):
    """The SDK's authentication (every request is still authenticated), keeping its clients."""

    def __init__(self, configuration: Any) -> None:
        super().__init__(configuration)
        # Keyed by the bot's own app id too: a reply goes out with the credentials of the app
        # the request was addressed to.
        self._connector_clients: dict[str, dict[tuple[str, str | None], ConnectorClient]] = {}
        self._user_token_clients: dict[str, UserTokenClient] = {}

    async def authenticate_request(self, activity: Any, auth_header: str) -> AuthenticateRequestResult:
        result = await super().authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            kept = self._connector_clients.setdefault(_app_id(result.claims_identity), {})
            result.connector_factory = KeptConnectorFactory(result.connector_factory, kept)
        return result

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        app_id = _app_id(claims_identity)
        client = self._user_token_clients.get(app_id)
        if client is None:
            client = self._user_token_clients[app_id] = await super().create_user_token_client(claims_identity)
        return client


def _app_id(identity: ClaimsIdentity | None) -> str:
    claims = identity.claims if identity is not None and identity.claims else {}
    return str(
        claims.get(AuthenticationConstants.AUDIENCE_CLAIM) or claims.get(AuthenticationConstants.APP_ID_CLAIM) or ""
    )

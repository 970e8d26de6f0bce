"""Verifiers: whether a player really did an action clue's task in the business system.

`Verifier` is the interface; `DataverseVerifier` asks Dynamics 365 / Dataverse through its
Web API (OData v4), read-only, as an app registration with client credentials (MSAL). It
finds the solver's Dataverse user by their Entra object id (else their UPN), then counts
the records of the clue's table that match its filter (with the team's code word), that
the solver created or changed, while the clue was open. Throttling (429 with Retry-After,
as Dataverse's service protection limits answer) and 5xx are retried within a deadline; a
token refused once is fetched afresh. MSAL's calls block, so they run in a worker thread.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from typing import Any, Protocol
from urllib.parse import quote

import aiohttp
import msal
import requests
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from features.hunts.domain import ActionCheck, with_code

API_PATH = "/api/data/v9.2"
TOKEN_TIMEOUT_SECONDS = 10
# Who the record's author or last editor is, in the Web API's lookup form.
WHO_COLUMNS = {"createdby": ("_createdby_value", "createdon"), "modifiedby": ("_modifiedby_value", "modifiedon")}


class VerifierSettings(BaseSettings):
    """DATAVERSE_*: where the business system is and how the bot signs in to it (README: Verifier)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    url: str = Field(default="", validation_alias="DATAVERSE_URL")  # https://contoso.crm4.dynamics.com
    tenant_id: str = Field(default="", validation_alias="DATAVERSE_TENANT_ID")
    client_id: str = Field(default="", validation_alias="DATAVERSE_CLIENT_ID")
    client_secret: SecretStr = Field(default=SecretStr(""), validation_alias="DATAVERSE_CLIENT_SECRET")
    authority_host: str = Field(
        default="https://login.microsoftonline.com", validation_alias="DATAVERSE_AUTHORITY_HOST"
    )
    # A private certificate authority (a TLS-inspecting proxy, or a test's own server).
    ca_bundle: str = Field(default="", validation_alias="DATAVERSE_CA_BUNDLE")
    deadline_seconds: float = Field(default=60.0, gt=0, le=600, validation_alias="DATAVERSE_DEADLINE_SECONDS")

    @property
    def configured(self) -> bool:
        return bool(self.url and self.tenant_id and self.client_id and self.client_secret.get_secret_value())


class Outcome(StrEnum):
    DONE = "done"  # enough matching records by the solver in the window
    NOT_YET = "not_yet"  # the system answered: not (enough) records
    UNKNOWN_USER = "unknown_user"  # the solver has no user in the business system
    ERROR = "error"  # the system could not be asked (its message is for leads)


@dataclass(frozen=True, slots=True)
class Solver:
    aad_object_id: str | None
    user_principal_name: str | None


@dataclass(frozen=True, slots=True)
class Verified:
    outcome: Outcome
    found: int = 0
    error: str = ""


class Verifier(Protocol):
    async def verify(
        self, check: ActionCheck, code_word: str, solver: Solver, since: datetime, until: datetime
    ) -> Verified: ...


class VerifierError(Exception):
    """The business system could not answer (for leads' eyes)."""


@dataclass(frozen=True, slots=True)
class _Answer:
    status: int
    body: Any
    retry_after: float | None


def odata_string(value: str) -> str:
    """A string literal for an OData filter: quotes doubled, so a code word cannot break out."""
    return "'" + value.replace("'", "''") + "'"


def odata_moment(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def record_filter(check: ActionCheck, code_word: str, user_id: str, since: datetime, until: datetime) -> str:
    """The clue's filter, with the team's code word, narrowed to the solver and the clue's window."""
    by_column, at_column = WHO_COLUMNS[check.who]
    # The filter quotes the code word ('{code}'); a quote in it is doubled, as OData escapes one.
    clue_filter = with_code(check.filter, code_word.replace("'", "''"))
    return (
        f"({clue_filter}) and {by_column} eq {user_id} "
        f"and {at_column} ge {odata_moment(since)} and {at_column} le {odata_moment(until)}"
    )


class DataverseVerifier:
    def __init__(
        self,
        settings: VerifierSettings,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        monotonic: Callable[[], float] | None = None,
    ) -> None:
        self._settings = settings
        self._base = settings.url.rstrip("/") + API_PATH
        self._sleep = sleep
        self._monotonic = monotonic or time.monotonic
        self._ssl = ssl.create_default_context(cafile=settings.ca_bundle or None)
        self._token: str | None = None

    async def verify(
        self, check: ActionCheck, code_word: str, solver: Solver, since: datetime, until: datetime
    ) -> Verified:
        deadline = self._monotonic() + self._settings.deadline_seconds
        try:
            async with aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(ssl=self._ssl), timeout=aiohttp.ClientTimeout(total=20)
            ) as session:
                user_id = await self._user_id(session, solver, deadline)
                if user_id is None:
                    return Verified(Outcome.UNKNOWN_USER)
                wanted = record_filter(check, code_word, user_id, since, until)
                _, at_column = WHO_COLUMNS[check.who]
                query = f"$select={at_column}&$filter={quote(wanted, safe='')}&$top={check.at_least}"
                body = await self._get(session, f"{self._base}/{check.table}?{query}", deadline)
        except VerifierError as error:
            return Verified(Outcome.ERROR, error=str(error))
        found = len(body.get("value", []))
        return Verified(Outcome.DONE if found >= check.at_least else Outcome.NOT_YET, found)

    async def _user_id(self, session: aiohttp.ClientSession, solver: Solver, deadline: float) -> str | None:
        conditions = []
        if solver.aad_object_id:
            conditions.append(f"azureactivedirectoryobjectid eq {solver.aad_object_id}")
        if solver.user_principal_name:
            conditions.append(f"domainname eq {odata_string(solver.user_principal_name)}")
        for condition in conditions:
            query = f"$select=systemuserid&$filter={quote(condition, safe='')}"
            body = await self._get(session, f"{self._base}/systemusers?{query}", deadline)
            users = body.get("value", [])
            if users:
                return str(users[0]["systemuserid"])
        return None

    async def _get(self, session: aiohttp.ClientSession, url: str, deadline: float) -> Any:
        """GET with retries: a refused token once, throttling and server errors until the deadline."""
        refreshed = False
        attempt = 0
        while True:
            answer = await self._once(session, url)
            if answer.status == 200:
                return answer.body
            if answer.status == 401 and not refreshed:
                self._token, refreshed = None, True
                continue
            if answer.status == 429 or answer.status >= 500:
                attempt += 1
                wait = answer.retry_after if answer.retry_after is not None else min(2.0**attempt, 30.0)
                if self._monotonic() + wait > deadline:
                    raise VerifierError(f"Dataverse answered {answer.status} until the deadline ({url.split('?')[0]})")
                await self._sleep(wait)
                continue
            raise VerifierError(f"Dataverse answered {answer.status}: {_error_message(answer.body)}")

    async def _once(self, session: aiohttp.ClientSession, url: str) -> _Answer:
        token = self._token or await self._fetch_token()
        self._token = token
        headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            "OData-MaxVersion": "4.0",
            "OData-Version": "4.0",
        }
        try:
            async with session.get(url, headers=headers) as response:
                retry_after = response.headers.get("Retry-After")
                body = await response.json(content_type=None) if response.content_length != 0 else {}
                return _Answer(response.status, body, float(retry_after) if retry_after else None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            return _Answer(599, {"error": {"message": f"{type(error).__name__}: {error}"}}, None)

    async def _fetch_token(self) -> str:
        settings = self._settings
        authority = f"{settings.authority_host.rstrip('/')}/{settings.tenant_id}"
        scope = settings.url.rstrip("/") + "/.default"
        secret = settings.client_secret.get_secret_value()

        def acquire() -> dict[str, Any]:
            # Both block: MSAL discovers the tenant when it is made, and fetches tokens over HTTP.
            application = _application(settings.client_id, secret, authority, settings.ca_bundle)
            result: dict[str, Any] = application.acquire_token_for_client(scopes=[scope])
            return result

        try:
            result = await asyncio.to_thread(acquire)
        except (ValueError, requests.RequestException) as error:
            raise VerifierError(f"signing in to Entra failed: {error}") from error
        if "access_token" not in result:
            raise VerifierError(f"signing in to Entra failed: {result.get('error_description') or result.get('error')}")
        return str(result["access_token"])


class _EntraHttp:
    """MSAL's HTTP: a timeout on every call, and the certificate authority to trust passed on
    every call too (a session-wide one loses to REQUESTS_CA_BUNDLE in requests)."""

    def __init__(self, ca_bundle: str) -> None:
        self._session = requests.Session()
        self._verify: str | bool = ca_bundle or True

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self._session.get(url, verify=self._verify, timeout=TOKEN_TIMEOUT_SECONDS, **kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self._session.post(url, verify=self._verify, timeout=TOKEN_TIMEOUT_SECONDS, **kwargs)

    def close(self) -> None:
        self._session.close()


@cache
def _application(client_id: str, secret: str, authority: str, ca_bundle: str) -> msal.ConfidentialClientApplication:
    """One MSAL application per registration, so its token cache lives as long as the process."""
    known = authority.startswith("https://login.microsoftonline.com/")
    return msal.ConfidentialClientApplication(
        client_id,
        client_credential=secret,
        authority=authority,
        http_client=_EntraHttp(ca_bundle),
        instance_discovery=known,
    )


def _error_message(body: Any) -> str:
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return str(body["error"].get("message", ""))[:300]
    return ""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# No network in tests: the drand beacon is a local fake where a test wants one (tests/support/drand.py).
os.environ["DRAND_URLS"] = ""

from app import create_app
from bot.feature import Feature
from bot.web import BOT_ENDPOINT
from config import Settings
from features.installed import INSTALLED_FEATURES
from storage.database import Database
from storage.migrations import upgrade
from tests.support.activities import LEAD, TENANT, ActivityFactory
from tests.support.clock import FrozenClock
from tests.support.database import fresh_database_url
from tests.support.fake_connector import FakeConnector
from tests.support.openid import FakeOpenId

LEAD_EMAIL = "lena.lead@contoso.example"


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """The test's own database; on PostgreSQL already migrated, as an operator leaves it."""
    return fresh_database_url(tmp_path)


@pytest.fixture
def empty_database_url(tmp_path: Path) -> str:
    """The test's own database with nothing in it, for tests of the migrations themselves."""
    return fresh_database_url(tmp_path, migrated=False)


def make_settings(database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "MicrosoftAppId": "",
        "DATABASE_URL": database_url,
        "HOST": "127.0.0.1",
        "ALLOWED_TENANTS": TENANT,
        "PROGRAM_LEADS": LEAD_EMAIL,
        # Tests drive the scheduler and the sender themselves, with a fake clock.
        "RUN_BACKGROUND_WORK": False,
        # Never Microsoft's: a closed local port, unless a test starts its own (the `openid` fixture).
        "BOT_OPENID_METADATA_URL": "http://127.0.0.1:9/.well-known/openidconfiguration",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


class BotHarness:
    """The real app over HTTP, with a fake Bot Connector and a frozen clock; can be restarted."""

    def __init__(
        self,
        aiohttp_client: Callable[..., Any],
        connector: FakeConnector,
        connector_url: str,
        settings: Settings,
        clock: Any,
        features: Sequence[Feature[Any]],
        jobs: Sequence[Any] = (),
        budget: Any = None,
    ) -> None:
        self._aiohttp_client = aiohttp_client
        self.connector = connector
        self.activities = ActivityFactory(connector_url)
        self.settings = settings
        self.clock = clock
        self.features = features
        self.jobs = jobs
        self.budget = budget
        self.client: TestClient | None = None

    async def start(self) -> None:
        if not self.settings.is_sqlite:
            # On PostgreSQL the operator migrates before serving (`python app.py migrate`).
            upgrade(self.settings.database_url)
        app = create_app(self.settings, clock=self.clock, features=self.features, jobs=self.jobs, budget=self.budget)
        self.client = await self._aiohttp_client(app)

    async def stop(self) -> None:
        if self.client is not None:
            await self.client.close()
            self.client = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    async def post(self, activity: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
        assert self.client is not None
        return await self.client.post("/api/messages", json=activity, headers=headers)

    async def send(self, activity: dict[str, Any]) -> Any:
        """Post an activity and insist that the bot accepted it; what the turn handed over to
        be written together is written (as the app does within a second)."""
        response = await self.post(activity)
        assert response.status in (200, 201), await response.text()
        await self.write_behind()
        return response

    async def write_behind(self) -> None:
        assert self.client is not None
        await self.client.app[BOT_ENDPOINT].write_behind.flush()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """Direct access to the test database, to arrange or inspect what the app stored."""
    database = Database(database_url)
    yield database
    database.close()


@pytest.fixture
async def connector(aiohttp_server: Callable[..., Any]) -> AsyncIterator[tuple[FakeConnector, str]]:
    fake = FakeConnector()
    fake.add_member(LEAD.teams_user_id, email=LEAD_EMAIL, name=LEAD.name)
    server: TestServer = await aiohttp_server(fake.app())
    yield fake, str(server.make_url("/"))


@pytest.fixture
async def openid(aiohttp_server: Callable[..., Any]) -> AsyncIterator[FakeOpenId]:
    """Microsoft's OpenID metadata and signing keys, as a local server holding a key of its own."""
    fake = FakeOpenId()
    server: TestServer = await aiohttp_server(fake.app())
    fake.base_url = str(server.make_url("")).rstrip("/")
    yield fake
    fake.release()


@pytest.fixture
def harness_factory(
    aiohttp_client: Callable[..., Any],
    connector: tuple[FakeConnector, str],
    database_url: str,
    clock: FrozenClock,
) -> Callable[..., Any]:
    async def build(
        features: Sequence[Feature[Any]] = INSTALLED_FEATURES,
        *,
        use_clock: Any = None,
        jobs: Sequence[Any] = (),
        budget: Any = None,
        **overrides: Any,
    ) -> BotHarness:
        fake, url = connector
        settings = make_settings(database_url, **overrides)
        harness = BotHarness(aiohttp_client, fake, url, settings, use_clock or clock, features, jobs, budget)
        await harness.start()
        return harness

    return build


@pytest.fixture
async def harness(harness_factory: Callable[..., Any]) -> BotHarness:
    return await harness_factory()

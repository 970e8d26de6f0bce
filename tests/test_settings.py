from __future__ import annotations

import pytest
from pydantic import ValidationError

from config import Settings

APP = {"MicrosoftAppId": "3f2504e0-4f89-11d3-9a0c-0305e82c3301"}


def settings(**values) -> Settings:
    return Settings(_env_file=None, **values)


def test_defaults_are_local_anonymous_sqlite():
    s = settings()
    assert s.anonymous and s.host == "127.0.0.1" and s.port == 3978
    assert s.database_url.startswith("sqlite:///") and s.database_url.endswith("champion_circle.db")
    assert s.tenant_allow_list == frozenset()


@pytest.mark.parametrize("host", ["0.0.0.0", "10.1.2.3", "bot.contoso.example", "::"])
def test_anonymous_mode_refuses_a_non_loopback_address(host):
    with pytest.raises(ValidationError, match="loopback"):
        settings(HOST=host)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_anonymous_mode_on_loopback(host):
    assert settings(HOST=host).anonymous


def test_single_tenant_needs_password_and_tenant():
    with pytest.raises(ValidationError, match="MicrosoftAppPassword, MicrosoftAppTenantId"):
        settings(**APP, HOST="0.0.0.0")


def test_an_app_id_needs_a_tenant_allow_list():
    with pytest.raises(ValidationError, match="ALLOWED_TENANTS"):
        settings(**APP, MicrosoftAppType="MultiTenant", MicrosoftAppPassword="p")


def test_the_bots_own_tenant_is_allowed_by_default():
    s = settings(**APP, MicrosoftAppPassword="p", MicrosoftAppTenantId="AAAA-1", HOST="0.0.0.0")
    assert s.tenant_allow_list == frozenset({"aaaa-1"})
    assert not s.anonymous


def test_comma_separated_lists_from_the_environment(monkeypatch):
    monkeypatch.setenv("ALLOWED_TENANTS", " T1, t2 ,,")
    monkeypatch.setenv("PROGRAM_LEADS", "Lena@Contoso.example, dddd-0004")
    s = Settings(_env_file=None)
    assert s.allowed_tenants == ["t1", "t2"]
    assert s.program_leads == ["lena@contoso.example", "dddd-0004"]


def test_azure_names_are_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("MicrosoftAppId", APP["MicrosoftAppId"])
    monkeypatch.setenv("MicrosoftAppPassword", "secret")
    monkeypatch.setenv("MicrosoftAppTenantId", "tenant-1")
    s = Settings(_env_file=None)
    assert s.microsoft_app_id == APP["MicrosoftAppId"]
    assert "secret" not in repr(s)


def test_unknown_time_zone_fails_fast():
    with pytest.raises(ValidationError, match="Europe/Rome"):
        settings(DEFAULT_TIMEZONE="Mars/Olympus")
    assert settings(DEFAULT_TIMEZONE="Asia/Bangkok").default_timezone == "Asia/Bangkok"


@pytest.mark.parametrize(("given", "bound"), [("[::1]", "::1"), ("::1", "::1"), (" 127.0.0.1 ", "127.0.0.1")])
def test_the_host_is_kept_as_the_server_binds_it(given, bound):
    assert Settings(_env_file=None, HOST=given).host == bound


@pytest.mark.parametrize("host", ["", "[]", "::zz", "[::1"])
def test_a_host_that_cannot_be_bound_fails_fast(host):
    with pytest.raises(ValidationError):
        Settings(_env_file=None, HOST=host)

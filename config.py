"""Typed settings for Champion Circle, read from the environment and an optional `.env`.

The names of the Azure Bot settings are the ones Azure Bot Service users already know
(`MicrosoftAppId`, `MicrosoftAppPassword`, ...). Unsafe combinations fail at start-up,
not at the first message.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from domain.retention import DEFAULT_RETENTION, RetentionPolicy

VERSION = "0.1.0"
DEFAULT_DATABASE_URL = f"sqlite:///{Path('data') / 'champion_circle.db'}"
LOOPBACK_NAMES = frozenset({"localhost", "ip6-localhost"})

CommaSeparated = Annotated[list[str], NoDecode]


def is_loopback_host(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True)

    microsoft_app_id: str = Field(default="", validation_alias=AliasChoices("MicrosoftAppId", "MICROSOFT_APP_ID"))
    microsoft_app_password: SecretStr = Field(
        default=SecretStr(""),
        validation_alias=AliasChoices("MicrosoftAppPassword", "MICROSOFT_APP_PASSWORD"),
    )
    microsoft_app_type: Literal["SingleTenant", "MultiTenant", "UserAssignedMSI"] = Field(
        default="SingleTenant",
        validation_alias=AliasChoices("MicrosoftAppType", "MICROSOFT_APP_TYPE"),
    )
    microsoft_app_tenant_id: str = Field(
        default="",
        validation_alias=AliasChoices("MicrosoftAppTenantId", "MICROSOFT_APP_TENANT_ID"),
    )
    # Where the Bot Connector's OpenID metadata (and so its signing keys) is read; Microsoft's
    # public cloud unless a sovereign cloud, or a test's local server, needs another.
    bot_openid_metadata_url: str = Field(
        default="https://login.botframework.com/v1/.well-known/openidconfiguration",
        validation_alias="BOT_OPENID_METADATA_URL",
    )
    database_url: str = Field(default=DEFAULT_DATABASE_URL, validation_alias="DATABASE_URL")
    host: str = Field(default="127.0.0.1", validation_alias="HOST")
    port: int = Field(default=3978, ge=1, le=65535, validation_alias="PORT")
    allowed_tenants: CommaSeparated = Field(default_factory=list, validation_alias="ALLOWED_TENANTS")
    program_leads: CommaSeparated = Field(default_factory=list, validation_alias="PROGRAM_LEADS")
    # Executives who read the monthly digest and decide (emails, UPNs or Entra object ids).
    program_sponsors: CommaSeparated = Field(default_factory=list, validation_alias="PROGRAM_SPONSORS")
    default_timezone: str = Field(default="UTC", validation_alias="DEFAULT_TIMEZONE")
    default_locale: str = Field(default="en", validation_alias="DEFAULT_LOCALE")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(default="INFO", validation_alias="LOG_LEVEL")
    # Incoming activities already handled are remembered this long (Teams re-sends after ~15 s).
    dedupe_retention_hours: int = Field(default=48, ge=1, validation_alias="DEDUPE_RETENTION_HOURS")
    # This replica takes part in leader election and, when leading, runs the scheduler and
    # the outbox sender. Turn off for replicas that should only answer HTTP.
    run_background_work: bool = Field(default=True, validation_alias="RUN_BACKGROUND_WORK")
    # Teams allows 50 requests/s per app per tenant for everything the bot sends, replies
    # included: one budget, replies first, proactive messages take what chat leaves.
    teams_requests_per_second: int = Field(default=50, ge=1, le=1000, validation_alias="TEAMS_REQUESTS_PER_SECOND")
    # The pace of proactive messages, within that budget.
    outbox_rate_per_second: float = Field(default=50.0, gt=0, le=1000, validation_alias="OUTBOX_RATE_PER_SECOND")
    outbox_concurrency: int = Field(default=16, ge=1, le=256, validation_alias="OUTBOX_CONCURRENCY")
    outbox_retention_days: int = Field(default=30, ge=1, validation_alias="OUTBOX_RETENTION_DAYS")
    leader_poll_seconds: float = Field(default=2.0, gt=0, le=60, validation_alias="LEADER_POLL_SECONDS")
    # A form (join, share a story, ...) untouched this long ends, and its user is told once.
    form_lifetime_hours: float = Field(default=24, gt=0, le=24 * 30, validation_alias="FORM_LIFETIME_HOURS")
    # Retention (the daily privacy.retention job): how long the words people wrote are kept;
    # their counts, sentiment, hours and points stay. Dialog state lives FORM_LIFETIME_HOURS.
    retention_checkin_answers_days: int = Field(
        default=DEFAULT_RETENTION.checkin_answers.days, ge=1, validation_alias="RETENTION_CHECKIN_ANSWERS_DAYS"
    )
    retention_feedback_text_days: int = Field(
        default=DEFAULT_RETENTION.feedback_texts.days, ge=1, validation_alias="RETENTION_FEEDBACK_TEXT_DAYS"
    )
    retention_questions_days: int = Field(
        default=DEFAULT_RETENTION.questions.days, ge=1, validation_alias="RETENTION_QUESTIONS_DAYS"
    )
    retention_evidence_pictures_days: int = Field(
        default=DEFAULT_RETENTION.evidence_pictures.days, ge=1, validation_alias="RETENTION_EVIDENCE_PICTURES_DAYS"
    )
    # People the directory marks as departed are erased this many days later.
    erase_departed_after_days: int = Field(
        default=DEFAULT_RETENTION.departed.days, ge=1, validation_alias="ERASE_DEPARTED_AFTER_DAYS"
    )

    @field_validator("host")
    @classmethod
    def _bindable_host(cls, value: str) -> str:
        """An IPv6 address as the server binds it: "::1", not the URL form "[::1]"."""
        host = value.strip()
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
        if not host:
            raise ValueError("HOST is empty")
        if ":" in host:
            try:
                ipaddress.IPv6Address(host)
            except ValueError as error:
                raise ValueError(f"HOST {value!r} is neither a host name nor an IP address") from error
        return host

    @field_validator("allowed_tenants", "program_leads", "program_sponsors", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("program_leads", "program_sponsors")
    @classmethod
    def _normalise_leads(cls, value: list[str]) -> list[str]:
        return [lead.lower() for lead in value]

    @field_validator("allowed_tenants")
    @classmethod
    def _normalise_tenants(cls, value: list[str]) -> list[str]:
        return [tenant.lower() for tenant in value]

    @field_validator("default_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Europe/Rome)") from error
        return value

    @model_validator(mode="after")
    def _safe_combination(self) -> Settings:
        if self.anonymous:
            if not is_loopback_host(self.host):
                raise ValueError(
                    "MicrosoftAppId is empty (anonymous local mode), so HOST must be a loopback "
                    f"address such as 127.0.0.1, not {self.host!r}: anyone who can reach the bot "
                    "could impersonate any user."
                )
            return self
        if self.microsoft_app_type == "SingleTenant":
            missing = [
                name
                for name, present in (
                    ("MicrosoftAppPassword", bool(self.microsoft_app_password.get_secret_value())),
                    ("MicrosoftAppTenantId", bool(self.microsoft_app_tenant_id)),
                )
                if not present
            ]
            if missing:
                raise ValueError(f"MicrosoftAppType=SingleTenant needs {', '.join(missing)}")
        if self.microsoft_app_type == "UserAssignedMSI" and not self.microsoft_app_tenant_id:
            raise ValueError("MicrosoftAppType=UserAssignedMSI needs MicrosoftAppTenantId")
        if not self.tenant_allow_list:
            raise ValueError(
                "Set ALLOWED_TENANTS (or MicrosoftAppTenantId): a bot with an app id must only serve known tenants."
            )
        return self

    @property
    def anonymous(self) -> bool:
        """No app id: requests are not authenticated. For local development only."""
        return not self.microsoft_app_id

    @property
    def tenant_allow_list(self) -> frozenset[str]:
        """Tenants the bot serves; empty means any (anonymous local mode only)."""
        if self.allowed_tenants:
            return frozenset(self.allowed_tenants)
        if self.microsoft_app_tenant_id:
            return frozenset({self.microsoft_app_tenant_id.lower()})
        return frozenset()

    @property
    def retention(self) -> RetentionPolicy:
        return RetentionPolicy(
            checkin_answers=timedelta(days=self.retention_checkin_answers_days),
            feedback_texts=timedelta(days=self.retention_feedback_text_days),
            questions=timedelta(days=self.retention_questions_days),
            evidence_pictures=timedelta(days=self.retention_evidence_pictures_days),
            departed=timedelta(days=self.erase_departed_after_days),
        )

    @property
    def form_lifetime(self) -> timedelta:
        return timedelta(hours=self.form_lifetime_hours)

    @property
    def dedupe_window(self) -> timedelta:
        return timedelta(hours=self.dedupe_retention_hours)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

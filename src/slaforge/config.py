"""The one settings class: environment variables with the SLAFORGE_ prefix, validated at start-up."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from slaforge.domain.platform.audit_keys import AuditKeyError, parse_key, parse_keys

DEFAULT_SECRET = "change-me-development-only"


class Settings(BaseSettings):
    """Every setting slaforge reads; each is documented in the README's configuration table."""

    model_config = SettingsConfigDict(env_prefix="SLAFORGE_", extra="ignore")

    environment: Literal["development", "test", "production"] = Field(
        default="development", description="development, test or production; production refuses unsafe values"
    )
    database_url: str = Field(
        default="sqlite:///var/slaforge.sqlite3",
        description="SQLAlchemy URL; a SQLite file by default, any postgresql+psycopg:// URL works the same",
    )
    data_dir: Path = Field(
        default=Path("var"), description="where reports, uploads and the demo database live"
    )
    shared_data_dir: Path = Field(
        default=Path("../shared/data"), description="folder of the public service histories used by the demo"
    )
    secret_key: str = Field(
        default=DEFAULT_SECRET, description="signs sessions, links and tokens; required outside development"
    )
    log_level: str = Field(default="INFO", description="Python logging level")
    max_body_bytes: int = Field(
        default=1_048_576, ge=1024, description="largest request body accepted (bytes); larger gets 413"
    )
    upload_max_bytes: int = Field(
        default=200 * 1_048_576, ge=1024, description="largest history file an import upload may be (bytes)"
    )
    session_max_age: int = Field(
        default=8 * 3600,
        ge=60,
        description="seconds a web sign-in lasts at most; signing out, a password change or a deactivation "
        "ends it sooner",
    )
    token_default_days: int = Field(
        default=90, ge=1, description="days an API token lives when no expiry is given"
    )
    public_url: str = Field(
        default="",
        description="the URL users reach the server at; https:// makes cookies Secure and sends HSTS",
    )
    provider_name: str = Field(
        default="",
        max_length=200,
        description="your organisation's name as a party to new agreement drafts (terms' parties.provider); "
        "empty: 'the Provider'",
    )
    stripe_webhook_secret: str = Field(
        default="", description="Stripe endpoint signing secret (whsec_…); unset: Stripe webhooks are refused"
    )
    payment_webhook_secret: str = Field(
        default="", description="HMAC secret of the generic payment webhook; unset: that webhook is refused"
    )
    webhook_tolerance: int = Field(
        default=300, ge=1, le=3600, description="seconds a signed webhook's timestamp may differ from now"
    )
    signature_link_days: int = Field(
        default=14, ge=1, le=365, description="days a signature link lives (never beyond the offer's expiry)"
    )
    smtp_host: str = Field(
        default="",
        description="SMTP server for e-mail notifications; empty: none sent (see SLAFORGE_MAIL_DROP_DIR)",
    )
    smtp_port: int = Field(default=25, ge=1, le=65535, description="SMTP server port")
    smtp_from: str = Field(default="slaforge@localhost", description="sender address of notification e-mails")
    smtp_username: str = Field(default="", description="SMTP user name, if the server needs a login")
    smtp_password: str = Field(default="", description="SMTP password, if the server needs a login")
    smtp_starttls: bool = Field(default=False, description="upgrade the SMTP connection with STARTTLS")
    mail_drop_dir: str = Field(
        default="",
        description="folder that receives e-mails as .eml files instead of sending them, when "
        "SLAFORGE_SMTP_HOST is empty (the demo uses one); empty: off; refused in production",
    )
    notify_webhook_urls: str = Field(
        default="", description="comma-separated URLs that receive agreement events as signed webhooks"
    )
    notify_webhook_secret: str = Field(
        default="", description="HMAC secret that signs outgoing notification webhooks"
    )
    metrics_token: str = Field(
        default="",
        description="bearer token GET /metrics asks for (Prometheus' authorization); empty: /metrics is off",
    )
    notify_provider_email: str = Field(
        default="", description="provider address told of every acceptance, rejection, counter-offer, expiry"
    )
    notify_max_attempts: int = Field(
        default=8, ge=1, le=50, description="delivery attempts before a notification is marked failed"
    )
    notify_backoff_seconds: int = Field(
        default=60, ge=1, description="wait after the first failed delivery; doubles after each further one"
    )
    scheduler_interval: int = Field(
        default=30,
        ge=0,
        le=86_400,
        description="seconds between background passes (lapse expired offers, send due notifications) "
        "in `slaforge serve` and `slaforge worker`; 0 turns the scheduler in `serve` off",
    )

    audit_key: str = Field(
        default="",
        description="the key that seals new audit entries and checkpoints, as ID:SECRET (the id is "
        "recorded with each entry; the secret at least 32 characters); empty: SLAFORGE_AUDIT_KEY_FILE; "
        "required (this or the file) in production",
    )
    audit_retired_keys: str = Field(
        default="",
        description="comma-separated ID:SECRET audit keys used before a rotation: entries and "
        "checkpoints sealed under them still verify; nothing new is sealed with them",
    )
    audit_key_file: str = Field(
        default="",
        description="file of ID:SECRET lines, used when SLAFORGE_AUDIT_KEY is empty: the first line "
        "seals, the others only verify; empty: <data dir>/audit.key, made with a fresh key on first "
        "use outside production",
    )
    audit_checkpoint_file: str = Field(
        default="",
        description="append-only JSON-lines file of signed audit checkpoints, which `slaforge audit "
        "verify` compares the log with; empty: <data dir>/audit-checkpoints.jsonl",
    )
    audit_checkpoint_url: str = Field(
        default="",
        description="URL each signed audit checkpoint is also POSTed to as JSON (a store outside "
        "this server); empty: none",
    )
    audit_checkpoint_interval: int = Field(
        default=3600,
        ge=0,
        le=7 * 86_400,
        description="seconds between audit checkpoints written by the scheduler (serve, worker) "
        "when the log has grown; 0: only `slaforge audit checkpoint` writes them",
    )
    live_import_interval: int = Field(
        default=300,
        ge=0,
        le=86_400,
        description="seconds between the scheduler's runs of live agreements' scheduled imports "
        "(new files of each configured path, then their tickets' clocks); 0: never",
    )

    @field_validator("audit_key")
    @classmethod
    def _audit_key_is_usable(cls, value: str) -> str:
        if value.strip():
            try:
                parse_key(value, where="the value")
            except AuditKeyError as exc:
                raise ValueError(exc.message) from exc
        return value

    @field_validator("audit_retired_keys")
    @classmethod
    def _retired_keys_are_usable(cls, value: str) -> str:
        try:
            parse_keys(value, where="")
        except AuditKeyError as exc:
            raise ValueError(exc.message) from exc
        return value

    def audit_key_path(self) -> Path:
        return Path(self.audit_key_file) if self.audit_key_file.strip() else self.data_dir / "audit.key"

    def audit_checkpoint_path(self) -> Path:
        if self.audit_checkpoint_file.strip():
            return Path(self.audit_checkpoint_file)
        return self.data_dir / "audit-checkpoints.jsonl"

    def check_secret_for_serving(self) -> None:
        """The web server signs sessions with the key: outside development it must be real."""
        if self.environment != "development" and (
            not self.secret_key or self.secret_key == DEFAULT_SECRET or len(self.secret_key) < 32
        ):
            raise ValueError(
                f"SLAFORGE_SECRET_KEY must be set to a random value of at least 32 characters "
                f"when SLAFORGE_ENVIRONMENT is '{self.environment}'"
            )

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment == "production" and (
            not self.secret_key or self.secret_key == DEFAULT_SECRET or len(self.secret_key) < 32
        ):
            raise ValueError(
                "SLAFORGE_SECRET_KEY must be set to a random value of at least 32 characters in production"
            )
        self.check_mail_drop()
        if self.environment == "production" and not (self.audit_key.strip() or self.audit_key_file.strip()):
            raise ValueError(
                "SLAFORGE_AUDIT_KEY (ID:SECRET) or SLAFORGE_AUDIT_KEY_FILE must be set in production: "
                "the audit log is sealed with a key kept outside the database"
            )
        return self

    def check_mail_drop(self) -> None:
        """Refused, not merely warned about, in production: there a mail drop would keep customers'
        e-mails (signature links, which act as credentials) on the server's disk instead of sending
        them, and a warning in a log nobody reads would let that go unnoticed. A pickup folder for
        a real mail server is not what it is for; use SLAFORGE_SMTP_HOST."""
        if self.environment == "production" and self.mail_drop_dir.strip():
            raise ValueError(
                "SLAFORGE_MAIL_DROP_DIR must be empty in production (it keeps e-mails on disk "
                "instead of sending them); set SLAFORGE_SMTP_HOST instead"
            )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

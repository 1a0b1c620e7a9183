"""All of minorguard's settings in one pydantic-settings object.

Environment variables use the prefix ``MINORGUARD_`` and ``__`` between a group and its field, e.g.
``MINORGUARD_STORAGE__URL`` or ``MINORGUARD_HTTP__PORT``. The object is built once, by ``bot.py``, and passed down.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATA_DIR = Path("var")


class StorageSettings(BaseModel):
    """Where incidents, policies and conversation state are kept."""

    url: str = Field(
        default=f"sqlite+aiosqlite:///{DEFAULT_DATA_DIR / 'minorguard.db'}",
        description="SQLAlchemy async URL: sqlite+aiosqlite:///path or postgresql+asyncpg://user@host/db.",
    )
    echo_sql: bool = Field(default=False, description="Log every SQL statement (debugging only).")


class HttpSettings(BaseModel):
    """The HTTP API and the moderator console share one aiohttp server."""

    host: str = Field(default="127.0.0.1", description="Interface to listen on.")
    port: int = Field(default=8080, ge=0, le=65535, description="TCP port; 0 picks a free one.")
    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1024, description="Largest accepted request body, bytes.")
    max_batch: int = Field(default=500, ge=1, description="Most messages in one POST /api/v1/messages/batch.")


class TelegramSettings(BaseModel):
    """The Telegram adapter; it starts only when a token is set."""

    token: SecretStr | None = Field(default=None, description="Bot API token from @BotFather; empty disables Telegram.")
    base_url: str = Field(default="https://api.telegram.org/bot", description="Bot API base URL (self-hosted or test).")
    webhook_url: str | None = Field(default=None, description="Public HTTPS URL for webhooks; empty = long polling.")
    webhook_secret: SecretStr | None = Field(default=None, description="Secret token Telegram echoes in a header.")
    report_cooldown_seconds: int = Field(default=60, ge=0, description="Seconds between two /report by one member.")


class ClassifierSettings(BaseModel):
    """The detector: encoder files, runtime and batching."""

    model_dir: Path = Field(default=DEFAULT_DATA_DIR / "models", description="Folder with the converted encoder.")
    weights_dir: Path | None = Field(default=None, description="Trained heads; empty = those shipped in the package.")
    runtime: str = Field(default="onnx-int8", description="Encoder runtime: onnx-int8, onnx or torch.")
    batch_size: int = Field(default=64, ge=1, description="Messages per encoder batch.")
    threads: int = Field(default=2, ge=1, description="CPU threads for the encoder.")
    use_encoder: bool = Field(default=True, description="False scores with the stage signals alone (no model files).")


class PipelineSettings(BaseModel):
    """How much conversation the pipeline keeps and shows."""

    context_messages: int = Field(default=12, ge=1, description="Messages of the sender/target window kept as context.")
    state_ttl_days: int = Field(default=30, ge=1, description="Days of silence after which pair evidence is dropped.")


class WebSettings(BaseModel):
    """The moderator console."""

    session_secret: SecretStr | None = Field(
        default=None, description="32+ byte secret for session cookies; empty = a random one per start."
    )
    secure_cookies: bool = Field(default=False, description="Mark cookies Secure (set true behind HTTPS).")


class RetentionSettings(BaseModel):
    """The scheduled purge of evidence past each chat's ``retention_days``."""

    interval_hours: float = Field(
        default=24.0, ge=0.0, description="Hours between two purges (the first runs at start); 0 = no scheduled purge."
    )


class CallbackSettings(BaseModel):
    """Signed callbacks to tenants' URLs (appeal answers): attempts and time limits."""

    max_attempts: int = Field(default=6, ge=1, le=20, description="Tries per callback before it is recorded failed.")
    first_delay_seconds: float = Field(
        default=1.0, ge=0.0, description="Longest wait before the second try; it doubles for each later one (jittered)."
    )
    max_delay_seconds: float = Field(default=60.0, ge=0.0, description="Longest wait between two tries, seconds.")
    timeout_seconds: float = Field(default=10.0, gt=0.0, description="Time allowed for one try, seconds.")
    total_seconds: float = Field(
        default=300.0, gt=0.0, description="Time after which no further try starts, seconds from the first."
    )
    allow_local_urls: bool = Field(
        default=False,
        description="Also accept http:// callback URLs and ones that resolve to private, loopback, link-local, "
        "multicast or reserved addresses (tests and closed networks only); false = public https only.",
    )


class AppealSettings(BaseModel):
    """The scheduled escalation of appeals left unanswered past their chat's ``appeal_deadline_hours``."""

    deadline_check_minutes: float = Field(
        default=15.0, ge=0.0, description="Minutes between two checks (the first runs at start); 0 = no checks."
    )


class Settings(BaseSettings):
    """Every setting minorguard reads, grouped; see each field's description for its unit."""

    model_config = SettingsConfigDict(env_prefix="MINORGUARD_", env_nested_delimiter="__", extra="ignore")

    storage: StorageSettings = Field(default_factory=StorageSettings)
    http: HttpSettings = Field(default_factory=HttpSettings)
    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    classifier: ClassifierSettings = Field(default_factory=ClassifierSettings)
    pipeline: PipelineSettings = Field(default_factory=PipelineSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    callbacks: CallbackSettings = Field(default_factory=CallbackSettings)
    appeals: AppealSettings = Field(default_factory=AppealSettings)
    log_level: str = Field(default="INFO", description="Python logging level name.")

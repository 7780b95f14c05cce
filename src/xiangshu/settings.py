"""Every setting of a node, declared once with its type, default and description.

The composition root builds a :class:`Settings` from the environment
(prefix ``XIANGSHU_``); nothing reads the environment at import time.
``docs/settings.md`` is generated from this declaration
(``xiangshu docs``) and a test keeps it in step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "test", "production"]

DEV_SECRET_KEY = "development-only-secret-key-do-not-use-in-production"  # noqa: S105


class Settings(BaseSettings):
    """The node's configuration. Field descriptions become the settings reference."""

    model_config = SettingsConfigDict(
        env_prefix="XIANGSHU_",
        env_file=None,
        extra="forbid",
        frozen=True,
    )

    environment: Environment = Field(
        default="development",
        description=(
            "Where this node runs. Outside `development`, secrets must be set explicitly "
            "and the node refuses to start with their defaults."
        ),
    )
    data_dir: Path = Field(
        default=Path("var"),
        description=(
            "Directory for the embedded metadata store (SQLite), the data lake, quarantine "
            "files and blobs. Created on `xiangshu init`."
        ),
    )
    database_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL of the metadata store, e.g. "
            "`postgresql+psycopg://user@127.0.0.1:5432/xiangshu`. Empty means the embedded "
            "SQLite file `<data_dir>/xiangshu.db`."
        ),
    )
    secret_key: SecretStr = Field(
        default=SecretStr(DEV_SECRET_KEY),
        description=(
            "Key that signs CSRF tokens and derives other node secrets. Required outside "
            "development."
        ),
    )
    host: str = Field(default="127.0.0.1", description="Address `xiangshu serve` listens on.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port `xiangshu serve` listens on.")
    workers: int = Field(
        default=1, ge=1, le=64, description="Web worker processes started by `xiangshu serve`."
    )
    default_language: Literal["zh-CN", "en"] = Field(
        default="zh-CN",
        description="Interface language when the visitor has chosen none (zh-CN first).",
    )
    login_max_failures: int = Field(
        default=5,
        ge=1,
        description="Consecutive wrong passwords after which an account is locked.",
    )
    login_lockout_minutes: int = Field(
        default=15, ge=1, description="How long a locked account stays locked."
    )
    session_hours: int = Field(
        default=8, ge=1, description="Lifetime of a browser login session, in hours."
    )
    api_token_max_days: int = Field(
        default=365,
        ge=1,
        description="Longest validity an API token may be given, in days.",
    )
    password_min_length: int = Field(
        default=10, ge=8, description="Shortest password accepted for a user account."
    )
    lake_dir: Path | None = Field(
        default=None,
        description=(
            "Directory of the data lake: each resource version as immutable Parquet files with "
            "a manifest, its load report and quarantine file. Empty means `<data_dir>/lake`."
        ),
    )
    serving_url: str | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL of the serving store, where the current version of each resource "
            "is an indexed table for pages and key lookups. Empty means the SQLite file "
            "`<lake_dir>/serving.db` beside an embedded metadata store, or the schema "
            "`lake_serving` of the metadata database when that is PostgreSQL."
        ),
    )
    lake_max_upload_mb: int = Field(
        default=4096,
        ge=1,
        description="Largest file a load accepts, in MiB; a bigger upload is refused whole.",
    )
    lake_memory_mb: int = Field(
        default=2048,
        ge=64,
        description="Memory DuckDB may use for one load before it spills to disk, in MiB.",
    )
    lake_ingest_threads: int = Field(
        default=0,
        ge=0,
        description="DuckDB threads for a load; 0 means one per core.",
    )
    lake_query_threads: int = Field(
        default=1,
        ge=1,
        description="DuckDB threads per request when reading older versions (web workers: 1).",
    )
    lake_page_max: int = Field(
        default=1000, ge=1, description="Most records one page of a query returns."
    )
    lake_export_max_rows: int = Field(
        default=5_000_000,
        ge=1,
        description="Most records one export writes (XLSX stops at 1,048,575 regardless).",
    )
    plan_ahead_margin: float = Field(
        default=0.1,
        ge=0,
        le=1,
        description=(
            "ε of the plan status rule: an indicator is 快于预期 (ahead) when its task progress p "
            "is at least τ + ε (docs/plan.md)."
        ),
    )
    plan_on_track_tolerance: float = Field(
        default=0.05,
        ge=0,
        le=1,
        description=(
            "Tolerance of the plan status rule: an expected (预期性) indicator is 基本符合预期 "
            "from p ≥ (1 − tolerance)·τ; binding (约束性) indicators get none."
        ),
    )
    plan_growth_tolerance_pp: float = Field(
        default=1.0,
        ge=0,
        description=(
            "Percentage points by which a plan's stated 年均增速 may differ from the rate its "
            "baseline and target imply before the consistency check calls it a disagreement "
            "(smaller gaps are reported as loose rounding)."
        ),
    )
    plan_damped_min_points: int = Field(
        default=7,
        ge=4,
        description="Annual values needed before forecasts add a damped trend (ETS A,Ad,N).",
    )
    plan_public: bool = Field(
        default=True,
        description=(
            "Plans, their indicators, observations and evaluations are public documents that "
            "anyone may read; false limits them to signed-in government users. Progress "
            "reports of units are never public."
        ),
    )
    plan_report_due_working_days: int = Field(
        default=10,
        ge=1,
        description=(
            "Working days (official calendar, chinese-calendar) after the end of a reporting "
            "period by which responsible units submit their progress reports."
        ),
    )
    plan_reminder_days: int = Field(
        default=5,
        ge=0,
        description="Days before a progress report's deadline when units are reminded.",
    )
    key_dir: Path | None = Field(
        default=None,
        description=(
            "Directory of the node's key files: SM4 sealing keys `sm4-<version>.key` and SM2 "
            "signing keys `sm2-<version>.pem` (mode 0600). Empty means `<data_dir>/keys`."
        ),
    )
    sealing_keys: SecretStr | None = Field(
        default=None,
        description=(
            "Extra SM4 sealing keys as `version:hex` pairs separated by commas, for keys kept "
            "in a secrets manager rather than files. Version 1 is derived from the secret key."
        ),
    )
    sealing_key_version: int | None = Field(
        default=None,
        ge=1,
        le=255,
        description=(
            "Sealing key version that seals new values; empty means the highest present. Pin "
            "it while a new key is rolled out to every process (docs/sharing.md)."
        ),
    )
    holiday_file: Path | None = Field(
        default=None,
        description=(
            "CSV of official holidays and make-up working days (`date,kind,name`, kind "
            "`holiday` or `workday`) for years the shipped calendar does not know yet; a year "
            "listed here is treated as known."
        ),
    )
    unknown_calendar_years: Literal["weekends", "refuse"] = Field(
        default="weekends",
        description=(
            "Deadlines in a year neither the shipped calendar nor the holiday file knows: "
            "`weekends` counts Monday to Friday and marks the deadline provisional (shown, and "
            "recomputed once the year is known); `refuse` refuses to set such a deadline."
        ),
    )
    sharing_answer_working_days: int = Field(
        default=10,
        ge=1,
        description=(
            "Working days a provider has to answer a request for a conditionally shared "
            "resource (standards.md §2; some provinces use 5)."
        ),
    )
    sharing_reminder_working_days: int = Field(
        default=2,
        ge=0,
        description="Working days before a request's deadline when the provider is reminded.",
    )
    error_report_answer_working_days: int = Field(
        default=5,
        ge=1,
        description="Working days a provider has to answer an error report (纠错); no national "
        "limit was found.",
    )
    sharing_auto_grant_days: int = Field(
        default=365,
        ge=1,
        description="Validity of the grant a unit receives on first use of an unconditionally "
        "shared resource.",
    )
    sharing_default_calls_per_minute: int = Field(
        default=600, ge=1, description="Calls per minute of a grant that states no limit."
    )
    sharing_default_rows_per_day: int = Field(
        default=10_000_000, ge=1, description="Rows per day of a grant that states no limit."
    )
    sharing_file_link_minutes: int = Field(
        default=60, ge=1, description="How long a signed file download (文件 exchange) stays valid."
    )
    webhook_timeout_seconds: float = Field(
        default=10.0,
        gt=0,
        le=120,
        description="Longest wait for a subscriber's webhook endpoint to answer one delivery.",
    )
    webhook_retry_minutes: str = Field(
        default="1,5,30,120,720",
        pattern=r"^\d+(,\d+)*$",
        description=(
            "Waits before each retry of a failed webhook delivery, in minutes; after the last "
            "one the notification goes to the dead-letter list."
        ),
    )
    webhook_concurrency: int = Field(
        default=4, ge=1, le=64, description="Webhook deliveries made at the same time."
    )
    worker_interval_seconds: float = Field(
        default=30.0,
        gt=0,
        description="Pause between rounds of the background worker (reminders, escalation, "
        "notifications, deliveries).",
    )
    worker_in_serve: bool = Field(
        default=True,
        description="Run the background worker inside `xiangshu serve` (one thread); turn off "
        "when a separate `xiangshu worker` process runs.",
    )
    portal_anonymous_per_minute: int = Field(
        default=120,
        ge=0,
        description=(
            "Requests per minute one anonymous client address may make to the open-data APIs, "
            "downloads and previews (0: no limit). Counted in the metadata store, so the limit "
            "holds across web workers."
        ),
    )
    portal_user_per_minute: int = Field(
        default=600,
        ge=0,
        description="Requests per minute of one signed-in user (session or API token).",
    )
    portal_app_per_minute: int = Field(
        default=1200,
        ge=0,
        description=(
            "Requests per minute of one registered application (signed with its AppKey) unless "
            "a platform administrator sets its own limit."
        ),
    )
    portal_usage_flush_seconds: float = Field(
        default=5.0,
        gt=0,
        description=(
            "How often a web worker adds its counted views, downloads and API calls to the "
            "metadata store (counts of the last interval are lost if the worker is killed)."
        ),
    )
    portal_sql_timeout_ms: int = Field(
        default=3000,
        ge=100,
        description="Time limit of one `datastore_search_sql` statement, in milliseconds.",
    )
    portal_sql_role: str = Field(
        default="xiangshu_reader",
        pattern=r"^[a-z][a-z0-9_]{0,62}$",
        description=(
            "PostgreSQL role `datastore_search_sql` runs as (`SET LOCAL ROLE`) when it exists "
            "and may use the serving schema — create it with `xiangshu lake reader-role`; "
            "without it, statements still run read-only with the time limit."
        ),
    )
    portal_sql_max_length: int = Field(
        default=4000, ge=100, description="Longest SQL text `datastore_search_sql` accepts."
    )
    portal_application_days: int = Field(
        default=365,
        ge=1,
        description="How long an approved application for conditional open data is valid.",
    )
    portal_agreement_version: str = Field(
        default="2026-1",
        description="Version of the data use agreement (数据利用协议) applicants accept.",
    )
    log_level: Literal["debug", "info", "warning", "error"] = Field(
        default="info", description="Verbosity of the server log."
    )

    @model_validator(mode="after")
    def _refuse_default_secrets(self) -> Settings:
        if self.environment == "development":
            return self
        for name, field in type(self).model_fields.items():
            value = getattr(self, name)
            default = field.default
            if (
                isinstance(value, SecretStr)
                and isinstance(default, SecretStr)
                and value.get_secret_value() == default.get_secret_value()
            ):
                raise ValueError(
                    f"XIANGSHU_{name.upper()} must be set when environment is "
                    f"'{self.environment}' (its development default is refused)"
                )
        return self

    @property
    def metadata_url(self) -> str:
        """The metadata store's URL, defaulting to the embedded SQLite file."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'xiangshu.db').resolve()}"

    @property
    def key_path(self) -> Path:
        """The key directory, defaulting to `<data_dir>/keys`."""
        return self.key_dir if self.key_dir is not None else self.data_dir / "keys"

    @property
    def webhook_retries(self) -> tuple[int, ...]:
        return tuple(int(m) for m in self.webhook_retry_minutes.split(","))

    @property
    def lake_path(self) -> Path:
        """The data lake's directory, defaulting to `<data_dir>/lake`."""
        return self.lake_dir if self.lake_dir is not None else self.data_dir / "lake"


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment, with explicit overrides winning."""
    return Settings(**overrides)  # type: ignore[arg-type]


def settings_reference() -> str:
    """Markdown reference of every setting, generated from the declaration."""
    lines = [
        "# Settings reference",
        "",
        "Generated from `src/xiangshu/settings.py` by `xiangshu docs`; a test checks",
        "that this file is current. Every setting is read from the environment variable",
        "shown, with the prefix `XIANGSHU_`.",
        "",
        "| variable | type | default | description |",
        "|---|---|---|---|",
    ]
    for name, field in Settings.model_fields.items():
        default = field.default
        if isinstance(default, SecretStr):
            shown = "*(development value; must be set elsewhere)*"
        elif default is None:
            shown = "*(empty)*"
        else:
            shown = f"`{default}`"
        annotation = str(field.annotation).replace("typing.", "").replace("pathlib.", "")
        annotation = annotation.replace("<class '", "").replace("'>", "").replace("|", "or")
        description = (field.description or "").replace("|", "\\|")
        lines.append(f"| `XIANGSHU_{name.upper()}` | {annotation} | {shown} | {description} |")
    return "\n".join(lines) + "\n"

"""Settings: declared once, documented, secrets refused outside development."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from xiangshu.actions import ACTIONS
from xiangshu.generated_docs import audit_events_reference, stale
from xiangshu.settings import Settings, load_settings, settings_reference

ROOT = Path(__file__).resolve().parents[1]


def test_generated_documents_are_current() -> None:
    assert stale(ROOT / "docs") == [], "run `xiangshu docs` to regenerate them"


def test_every_audited_action_says_what_it_records() -> None:
    for name, spec in ACTIONS.items():
        assert inspect.getdoc(spec.fn), f"action {name} has no docstring for docs/audit-events.md"
        if spec.event:
            assert f"`{spec.event}`" in audit_events_reference()


def test_every_setting_is_described() -> None:
    for name, field in Settings.model_fields.items():
        assert field.description, f"setting {name} has no description"
        assert f"XIANGSHU_{name.upper()}" in settings_reference()


def test_secrets_refuse_their_defaults_outside_development() -> None:
    assert Settings(environment="development").secret_key.get_secret_value()
    for environment in ("test", "production"):
        with pytest.raises(ValidationError, match="XIANGSHU_SECRET_KEY must be set"):
            Settings(environment=environment)  # type: ignore[arg-type]
    ok = Settings(environment="production", secret_key=SecretStr("a-real-secret-from-the-vault"))
    assert ok.environment == "production"


def test_environment_prefix_and_embedded_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XIANGSHU_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("XIANGSHU_PORT", "8123")
    settings = load_settings()
    assert settings.port == 8123
    assert settings.metadata_url == f"sqlite:///{tmp_path.resolve() / 'xiangshu.db'}"
    assert (
        load_settings(database_url="postgresql+psycopg://x/y").metadata_url
        == "postgresql+psycopg://x/y"
    )
    monkeypatch.setenv("XIANGSHU_PORT", "99999")
    with pytest.raises(ValidationError):
        load_settings()

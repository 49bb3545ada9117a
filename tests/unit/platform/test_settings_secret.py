"""The secret key outside development: a default or short key refuses serving, a real one passes."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from slaforge.config import DEFAULT_SECRET, Settings
from slaforge.entrypoints.cli.main import settings_problem

REAL_KEY = "k" * 40


@pytest.fixture(autouse=True)
def _no_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SLAFORGE_SECRET_KEY", raising=False)
    monkeypatch.delenv("SLAFORGE_ENVIRONMENT", raising=False)


def test_the_test_environment_with_the_default_key_refuses_to_serve() -> None:
    settings = Settings(environment="test")
    assert settings.secret_key == DEFAULT_SECRET
    with pytest.raises(ValueError, match="SLAFORGE_SECRET_KEY"):
        settings.check_secret_for_serving()


def test_production_with_the_default_key_refuses_to_build_its_settings() -> None:
    with pytest.raises(ValidationError, match="SLAFORGE_SECRET_KEY") as caught:
        Settings(environment="production")
    assert settings_problem(caught.value) == (
        "SLAFORGE_SECRET_KEY must be set to a random value of at least 32 characters in production"
    )


@pytest.mark.parametrize("key", ["", "short-but-not-default", DEFAULT_SECRET])
def test_production_refuses_a_missing_short_or_default_key(key: str) -> None:
    with pytest.raises(ValidationError, match="SLAFORGE_SECRET_KEY"):
        Settings(environment="production", secret_key=key)


@pytest.mark.parametrize("environment", ["test", "production"])
def test_a_forty_character_key_serves_in_every_environment(environment: str) -> None:
    settings = Settings(environment=environment, secret_key=REAL_KEY)  # type: ignore[arg-type]
    settings.check_secret_for_serving()


def test_development_serves_with_the_default_key() -> None:
    Settings(environment="development").check_secret_for_serving()


def test_a_bad_setting_is_named_by_its_environment_variable() -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(max_body_bytes=5)
    assert settings_problem(caught.value).startswith("SLAFORGE_MAX_BODY_BYTES: ")

"""The one settings class: environment variables with the SLAFORGE_ prefix, validated at start-up."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "change-me-development-only"


class Settings(BaseSettings):
    """Every setting slaforge reads; each is documented in the README's configuration table."""

    model_config = SettingsConfigDict(env_prefix="SLAFORGE_", extra="ignore")

    environment: Literal["development", "test", "production"] = Field(
        "development", description="development, test or production; production refuses unsafe values"
    )
    database_url: str = Field(
        "sqlite:///var/slaforge.sqlite3",
        description="SQLAlchemy URL; a SQLite file by default, any postgresql+psycopg:// URL works the same",
    )
    data_dir: Path = Field(Path("var"), description="where reports, uploads and the demo database live")
    shared_data_dir: Path = Field(
        Path("../shared/data"), description="folder of the public service histories used by the demo"
    )
    secret_key: str = Field(DEFAULT_SECRET, description="signs sessions, links and tokens; required outside development")
    log_level: str = Field("INFO", description="Python logging level")

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment == "production" and (
            not self.secret_key or self.secret_key == DEFAULT_SECRET or len(self.secret_key) < 32
        ):
            raise ValueError(
                "SLAFORGE_SECRET_KEY must be set to a random value of at least 32 characters in production"
            )
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

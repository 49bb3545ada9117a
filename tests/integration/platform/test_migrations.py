"""Migrations build the schema the models describe, on SQLite and (with --database) PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, insert, inspect, select
from sqlalchemy.exc import StatementError

from slaforge.adapters.db.engine import make_engine
from slaforge.adapters.db.migrate import current_revision, head_revision, upgrade
from slaforge.adapters.db.models import Base, Calendar, ImportBatch


def test_upgrade_from_empty_reaches_head_and_creates_the_core_tables(database_url: str) -> None:
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        assert current_revision(engine) == head_revision(database_url)
        tables = set(inspect(engine).get_table_names())
        assert {"calendars", "customers", "services", "tickets", "ticket_events", "outages"} <= tables
        assert {"import_batches", "import_rejections"} <= tables
    finally:
        engine.dispose()


def test_the_first_revision_is_0001_core(database_url: str) -> None:
    upgrade(database_url, "0001_core")
    engine = make_engine(database_url)
    try:
        assert current_revision(engine) == "0001_core"
    finally:
        engine.dispose()


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert diff == []
    finally:
        engine.dispose()


def test_upgrade_twice_is_harmless(database_url: str) -> None:
    upgrade(database_url)
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        assert current_revision(engine) == head_revision(database_url)
    finally:
        engine.dispose()


def test_instants_read_back_as_aware_utc(engine: Engine) -> None:
    paris_summer = timezone(timedelta(hours=2))
    moment = datetime(2026, 7, 1, 10, 30, tzinfo=paris_summer)
    with engine.begin() as conn:
        conn.execute(
            insert(ImportBatch),
            [
                {
                    "source": "test",
                    "file_name": "f.csv",
                    "file_sha256": "0" * 64,
                    "mapping": "m",
                    "rows_read": 0,
                    "rows_accepted": 0,
                    "rows_rejected": 0,
                    "started_at": moment,
                    "status": "completed",
                }
            ],
        )
        stored = conn.execute(select(ImportBatch.started_at)).scalar_one()
    assert stored == moment
    assert stored.tzinfo is UTC
    assert stored.hour == 8


def test_a_naive_instant_is_refused(engine: Engine) -> None:
    with engine.begin() as conn, pytest.raises(StatementError, match="naive datetime"):
        conn.execute(
            insert(Calendar),
            [{"name": "x", "definition": {}, "created_at": datetime(2026, 1, 1), "updated_at": None}],
        )

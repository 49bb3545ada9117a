"""Migration 0011: the one-batch-per-file key on a database that already holds repeated files
(imported again on request, or by the parallel uploads the key now stops)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import column, insert, select, table
from sqlalchemy.exc import IntegrityError

from slaforge.adapters.db.engine import make_engine
from slaforge.adapters.db.migrate import upgrade

BATCHES = table(
    "import_batches",
    column("id"),
    column("source"),
    column("file_name"),
    column("file_sha256"),
    column("mapping"),
    column("started_at"),
    column("status"),
    column("rows_read"),
    column("rows_accepted"),
    column("rows_rejected"),
)
AGAIN = column("again")


def _batch(sha: str) -> dict[str, object]:
    at = datetime(2026, 3, 1, 9, 0, tzinfo=UTC).replace(tzinfo=None)
    return {"source": "jira", "file_name": "x.csv", "file_sha256": sha, "mapping": "m",
            "started_at": at, "status": "completed", "rows_read": 1, "rows_accepted": 1,
            "rows_rejected": 0}  # fmt: skip


def test_existing_repeats_are_marked_again_and_a_new_one_is_refused(database_url: str) -> None:
    upgrade(database_url, "0009_audit_head")
    engine = make_engine(database_url)
    try:
        with engine.begin() as conn:
            for sha in ("a" * 64, "a" * 64, "b" * 64, "a" * 64):
                conn.execute(insert(BATCHES).values(**_batch(sha)))
        upgrade(database_url, "0011_import_batch_unique")
        with engine.connect() as conn:
            rows = conn.execute(
                select(BATCHES.c.file_sha256, AGAIN).select_from(BATCHES).order_by(BATCHES.c.id)
            ).all()
        assert [(sha[0], bool(again)) for sha, again in rows] == [
            ("a", False), ("a", True), ("b", False), ("a", True)
        ]  # fmt: skip
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(insert(BATCHES).values(**_batch("b" * 64)))
        with engine.begin() as conn:  # imported again on request: outside the key
            again = table("import_batches", *(column(c.name) for c in BATCHES.c), column("again"))
            conn.execute(insert(again).values(**_batch("b" * 64), again=True))
    finally:
        engine.dispose()

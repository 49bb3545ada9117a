"""Multi-row INSERTs handed straight to the driver, for the hundreds of thousands of rows an
import writes.

The ORM, and even Core's parameter processing, spend some 15 µs a row converting values; here
Polars formats whole columns at once and the driver gets plain tuples. Instants go as text:
SQLite keeps `UtcDateTime` as naive UTC text in SQLAlchemy's own format (so reading them back
through the models is unchanged), and PostgreSQL casts the text, offset included, to timestamptz.
psycopg sends text parameters untyped, so PostgreSQL casts JSON text to json the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

TIME_TEXT = {"sqlite": "%Y-%m-%d %H:%M:%S.%6f", "postgresql": "%Y-%m-%d %H:%M:%S.%6f+00:00"}
EXECUTEMANY_ROWS = 5_000


def dialect(session: Session) -> str:
    name = session.get_bind().dialect.name
    if name not in TIME_TEXT:
        raise NotImplementedError(f"bulk import is not written for {name}")
    return name


@contextmanager
def roomy_cache(session: Session, kib: int = 256 * 1024) -> Iterator[None]:
    """SQLite: a page cache big enough for the indexes an import grows (default 2 MB makes every
    index insert past the first few thousand rows a read); restored afterwards."""
    if dialect(session) != "sqlite":
        yield
        return
    conn = session.connection()
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {int(before or -2000)}")


def times_as_text(frame: pl.DataFrame, columns: Sequence[str], name: str) -> pl.DataFrame:
    return frame.with_columns(
        pl.col(c).dt.convert_time_zone("UTC").dt.strftime(TIME_TEXT[name]) for c in columns
    )


def _marker(name: str) -> str:
    return "?" if name == "sqlite" else "%s"


def _execute_many(session: Session, sql: str, frame: pl.DataFrame) -> None:
    # Tuples are made a slice at a time: a whole chunk of them would take several times the
    # memory of the frame.
    conn = session.connection()
    for i in range(0, frame.height, EXECUTEMANY_ROWS):
        conn.exec_driver_sql(sql, frame.slice(i, EXECUTEMANY_ROWS).rows())


def upsert(
    session: Session,
    table: str,
    columns: Sequence[str],
    frame: pl.DataFrame,
    *,
    conflict: Sequence[str],
    update: Sequence[str],
) -> None:
    """INSERT … ON CONFLICT DO UPDATE through the driver's executemany (one prepared statement:
    SQLite compiles a huge multi-row statement slower than it runs many small ones)."""
    name = dialect(session)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ("
        + ", ".join([_marker(name)] * len(columns))
        + f") ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in update)
    )
    _execute_many(session, sql, frame.select(columns))


def ids_of(session: Session, table: str, source: str, external_ids: list[str]) -> list[tuple[str, int]]:
    """(external_id, id) of these rows of a source, in one statement whatever their number."""
    name = dialect(session)
    if name == "sqlite":
        chosen = "external_id IN (SELECT value FROM json_each(?))"  # one parameter, any number of ids
        sql = f"SELECT external_id, id FROM {table} WHERE source = ? AND {chosen}"
        params: tuple[Any, ...] = (source, json.dumps(external_ids))
    else:
        sql = f"SELECT external_id, id FROM {table} WHERE source = %s AND external_id = ANY(%s)"
        params = (source, external_ids)
    return [(str(e), int(i)) for e, i in session.connection().exec_driver_sql(sql, params).fetchall()]


def insert_ignoring(
    session: Session,
    table: str,
    columns: Sequence[str],
    frame: pl.DataFrame,
    *,
    conflict: Sequence[str],
) -> None:
    """INSERT … ON CONFLICT DO NOTHING through the driver's executemany (rows already stored stay)."""
    name = dialect(session)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ("
        + ", ".join([_marker(name)] * len(columns))
        + f") ON CONFLICT ({', '.join(conflict)}) DO NOTHING"
    )
    _execute_many(session, sql, frame.select(columns))

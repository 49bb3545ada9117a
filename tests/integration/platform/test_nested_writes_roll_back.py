"""Attack test: a row written inside a savepoint (`begin_nested`, how every insert-once writer
meets a concurrent one) must go when the session rolls back. On SQLite it did not: Python's sqlite3
opened no transaction before a SAVEPOINT, so the savepoint's RELEASE committed the row, so a
use case failing after an insert-once (a waiver, a proof, an acknowledgement as its first write)
kept its half. Runs on both databases."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from slaforge.adapters.db.models import Customer


def _count(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return int(session.scalar(select(func.count()).select_from(Customer)) or 0)


def test_a_row_written_in_a_savepoint_goes_with_the_rollback(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as session:
        session.scalar(select(func.count()).select_from(Customer))  # a read first, as use cases do
        with session.begin_nested():
            session.add(Customer(name="Nested Ltd", slug="nested-ltd"))
        session.rollback()
    assert _count(session_factory) == 0


def test_a_row_written_in_a_savepoint_stays_with_the_commit(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as session:
        with session.begin_nested():
            session.add(Customer(name="Nested Ltd", slug="nested-ltd"))
        session.commit()
    assert _count(session_factory) == 1

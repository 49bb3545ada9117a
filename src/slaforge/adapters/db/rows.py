"""What every step's repository offers besides its queries: adding, deleting and flushing rows."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_for(session: Session, model: Any) -> Any:
    """An INSERT of `model` in the session's dialect, so that ON CONFLICT DO NOTHING / UPDATE
    (PostgreSQL's and SQLite's alike) keeps uniqueness in the database, not in a lookup first."""
    dialect = session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(model)


class RowStore:
    """The base of the step repositories (uow.background, uow.agreement, uow.platform): one session,
    shared with the queries their mixins run."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, row: object) -> None:
        """A new row (an ORM model instance), written at the next flush or commit."""
        self._session.add(row)

    def delete(self, row: object) -> None:
        self._session.delete(row)

    def flush(self) -> None:
        self._session.flush()

"""The background step's queries and writes, reached by the services as `uow.background`."""

from __future__ import annotations

from sqlalchemy.orm import Session


class BackgroundRepository:
    """Every query of the background step's use cases; the services build no SQL themselves."""

    def __init__(self, session: Session) -> None:
        self._session = session

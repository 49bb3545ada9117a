"""The platform step's queries and writes, reached by the services as `uow.platform`."""

from __future__ import annotations

from sqlalchemy.orm import Session


class PlatformRepository:
    """Every query of the platform step's use cases; the services build no SQL themselves."""

    def __init__(self, session: Session) -> None:
        self._session = session

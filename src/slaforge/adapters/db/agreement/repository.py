"""The agreement step's queries and writes, reached by the services as `uow.agreement`."""

from __future__ import annotations

from sqlalchemy.orm import Session


class AgreementRepository:
    """Every query of the agreement step's use cases; the services build no SQL themselves."""

    def __init__(self, session: Session) -> None:
        self._session = session

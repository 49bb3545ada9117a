"""In-memory stand-ins for `AgreementRepository` and for the audit chain's part of the platform
repository, so the agreement use cases run without a database (with `tests.fakes.FakeUnitOfWork`).

Rows are the ORM model instances the services construct, kept in lists per model; `add` gives a
row its id at once (and a version its agreement's id), as the real unit of work does at the flush
that follows; relationships (an agreement's versions, a version's acceptances) are kept in memory
by SQLAlchemy's own instrumentation. Only the queries the unit tests reach are here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slaforge.adapters.db.models import (
    Agreement,
    AgreementVersion,
    Customer,
    Order,
    SignatureLink,
)
from slaforge.adapters.db.models import ClauseTemplate as ClauseRow
from slaforge.domain.agreement.lifecycle import VersionState
from tests.fakes import FakeAuditQueries, FakeRows


class _Rows(FakeRows):
    def add(self, row: Any) -> None:
        super().add(row)
        if isinstance(row, AgreementVersion) and row.agreement is not None:
            row.agreement_id = row.agreement.id

    def flush(self) -> None:
        # Rows made through relationships (an acceptance made with its version) get their ids here.
        for version in list(self.rows[AgreementVersion]):
            for acceptance in version.acceptances:
                if acceptance not in self.rows[type(acceptance)]:
                    self.add(acceptance)

    def _by_id(self, model: type, row_id: int | None) -> Any:
        return self.get(model, row_id)


class FakeAgreementRepository(_Rows):
    # ------------------------------------------------------------------ agreements and versions
    def version(self, version_id: int) -> AgreementVersion | None:
        found: AgreementVersion | None = self._by_id(AgreementVersion, version_id)
        return found

    def agreement(self, agreement_id: int) -> Agreement | None:
        found: Agreement | None = self._by_id(Agreement, agreement_id)
        return found

    def customer(self, customer_id: int) -> Customer | None:
        found: Customer | None = self._by_id(Customer, customer_id)
        return found

    def next_version_number(self, agreement_id: int | None) -> int:
        numbers = [v.number for v in self.rows[AgreementVersion] if v.agreement_id == agreement_id]
        return max(numbers, default=0) + 1

    def offers_expired_by(self, now: datetime) -> list[AgreementVersion]:
        return [
            v
            for v in self.rows[AgreementVersion]
            if v.state == VersionState.OFFERED.value and v.expires_at is not None and v.expires_at <= now
        ]

    # ------------------------------------------------------------------ clauses, links, orders
    def clause_rows(self) -> list[ClauseRow]:
        return list(self.rows[ClauseRow])

    def clause_row(self, key: str) -> ClauseRow | None:
        return next((r for r in self.rows[ClauseRow] if r.key == key), None)

    def clause_edited(self, key: str) -> bool:
        return self.clause_row(key) is not None

    def link_emails(self, version_id: int) -> list[str]:
        return [link.email for link in self.rows[SignatureLink] if link.version_id == version_id]

    def order(self, order_id: int) -> Order | None:
        found: Order | None = self._by_id(Order, order_id)
        return found


class FakeAuditLog(_Rows, FakeAuditQueries):
    """The audit chain's queries, with the agreement rows' flush."""

"""In-memory stand-ins for the platform repository's mixins (accounts, tokens, catalog), so the
platform's use cases run without a database (with `tests.fakes.FakeUnitOfWork`).

Rows are the ORM model instances the services construct, kept in lists per model; `add` gives a
row with an integer id column its id at once, as the real unit of work does at the flush that
follows. Paged lists go through the domain's `page_of`, which gives the same filters, search, sort
refusals and count as the database lists. The tenancy scope is not applied here (the integration
tests cover it); only the queries the unit tests reach are here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal, TypeVar

from slaforge.adapters.db.models import (
    ApiToken,
    Calendar,
    Customer,
    Service,
    SignInThrottle,
    Ticket,
    User,
    WebSession,
)
from slaforge.domain.errors import Conflict
from slaforge.domain.platform.accounts import ThrottleState
from slaforge.domain.platform.listing import ListQuery, Page, page_of
from tests.fakes import FakeAuditQueries, FakeRows

T = TypeVar("T")


class FakeAccountQueries(FakeRows):
    def user(self, user_id: int) -> User | None:
        return self.get(User, user_id)

    def user_by_email(self, address: str) -> User | None:
        return next((u for u in self.rows[User] if u.email == address), None)

    def email_taken(self, address: str) -> bool:
        return self.user_by_email(address) is not None

    def role_exists(self, role: str) -> bool:
        return any(u.role == role for u in self.rows[User])

    def users_page(self, query: ListQuery) -> Page[User]:
        return page_of(
            self.rows[User],
            query,
            sortable={
                "id": lambda u: u.id,
                "email": lambda u: u.email,
                "display_name": lambda u: u.display_name,
                "role": lambda u: u.role,
                "created_at": lambda u: u.created_at,
            },
            filterable={
                "role": lambda u: u.role,
                "customer_id": lambda u: u.customer_id,
                "is_active": lambda u: u.is_active,
            },
            searchable=(lambda u: u.email, lambda u: u.display_name),
            default_sort="email",
        )

    def users_of_customer(self, customer_id: int) -> list[User]:
        return sorted((u for u in self.rows[User] if u.customer_id == customer_id), key=lambda u: u.email)

    def _throttle(self, address: str) -> SignInThrottle | None:
        return next((t for t in self.rows[SignInThrottle] if t.email == address), None)

    def sign_in_throttle(self, address: str) -> ThrottleState | None:
        row = self._throttle(address)
        return None if row is None else ThrottleState(row.failures, row.next_allowed_at, row.locked_until)

    def count_sign_in_failure(
        self, address: str, now: datetime, schedule: Sequence[ThrottleState]
    ) -> int | None:
        # What the repository's one upsert does, on the in-memory row.
        row = self._throttle(address)
        if row is None:
            row = SignInThrottle(email=address, failures=0)
            self.rows[SignInThrottle].append(row)
        elif (row.locked_until is not None and now < row.locked_until) or (
            row.next_allowed_at is not None and now < row.next_allowed_at
        ):
            return None
        expired = row.locked_until is not None and row.locked_until <= now
        count = 1 if expired else row.failures + 1
        after = schedule[min(count, len(schedule)) - 1]
        row.failures, row.next_allowed_at, row.locked_until = count, after.next_allowed_at, after.locked_until
        return count

    def clear_sign_in_throttle(self, address: str) -> None:
        self.rows[SignInThrottle] = [t for t in self.rows[SignInThrottle] if t.email != address]


class FakeTokenQueries(FakeRows):
    def _tokens_of(self, user_id: int | None) -> list[ApiToken]:
        return [t for t in self.rows[ApiToken] if user_id is None or t.user_id == user_id]

    def token(self, token_id: int, *, user_id: int | None) -> ApiToken | None:
        return next((t for t in self._tokens_of(user_id) if t.id == token_id), None)

    def token_by_digest(self, secret_hash: str) -> ApiToken | None:
        return next((t for t in self.rows[ApiToken] if t.secret_hash == secret_hash), None)

    def tokens_page(self, query: ListQuery, *, user_id: int | None) -> Page[ApiToken]:
        return page_of(
            self._tokens_of(user_id),
            query,
            sortable={
                "id": lambda t: t.id,
                "name": lambda t: t.name,
                "created_at": lambda t: t.created_at,
                "expires_at": lambda t: t.expires_at,
            },
            filterable={"user_id": lambda t: t.user_id},
            searchable=(lambda t: t.name,),
            default_sort="-created_at",
        )


class FakeSessionQueries(FakeRows):
    def web_session_by_digest(self, id_hash: str) -> WebSession | None:
        return next((s for s in self.rows[WebSession] if s.id_hash == id_hash), None)

    def end_web_sessions(self, user_id: int, *, expired_at: datetime | None = None) -> int:
        gone = [
            s
            for s in self.rows[WebSession]
            if s.user_id == user_id and (expired_at is None or s.expires_at <= expired_at)
        ]
        for row in gone:
            self.delete(row)
        return len(gone)

    def touch_web_session(self, session_pk: int, now: datetime) -> bool:
        row = self.get(WebSession, session_pk)
        if row is not None:
            row.last_seen_at = now
        return row is not None


class FakeCatalogQueries(FakeRows):
    def conflict_from(self, error: Exception) -> Conflict | None:
        return None  # nothing here is a database constraint error: in memory, commits never fail

    def taken(
        self,
        model: type[Customer | Service | Calendar],
        attribute: Literal["name", "slug"],
        value: str,
        ignore_id: int | None = None,
    ) -> bool:
        return any(getattr(r, attribute) == value and r.id != ignore_id for r in self.rows[model])

    def _page(self, model: type[T], query: ListQuery, **lists: Any) -> Page[T]:
        # Customers, services and calendars all list by name and search their text columns.
        return page_of(self.rows[model], query, default_sort="name", **lists)

    def customers_page(self, query: ListQuery) -> Page[Customer]:
        return self._page(
            Customer,
            query,
            sortable={"id": lambda c: c.id, "name": lambda c: c.name, "slug": lambda c: c.slug},
            filterable={"slug": lambda c: c.slug},
            searchable=(lambda c: c.name, lambda c: c.slug),
        )

    def first_customers(self, limit: int) -> list[Customer]:
        return sorted(self.rows[Customer], key=lambda c: c.id)[:limit]

    def customer_by_ref(self, ref: int | str) -> Customer | None:
        def key(c: Customer) -> int | str:
            return c.id if isinstance(ref, int) else c.slug

        return next((c for c in self.rows[Customer] if key(c) == ref), None)

    def table_using_customer(self, customer_id: int) -> str | None:
        for model in (User, Ticket):
            if any(r.customer_id == customer_id for r in self.rows[model]):
                return model.__tablename__
        return None

    def services_used_by(self, customer_id: int) -> list[Service]:
        used = {t.service_id for t in self.rows[Ticket] if t.customer_id == customer_id}
        return sorted((s for s in self.rows[Service] if s.id in used), key=lambda s: s.name)

    def ticket_counts(self, customer_id: int) -> tuple[int, int]:
        tickets = [t for t in self.rows[Ticket] if t.customer_id == customer_id]
        return len(tickets), sum(t.resolved_at is None for t in tickets)

    def counts(self) -> dict[str, int]:
        models = (Customer, Service, Calendar, User, Ticket)
        return {model.__tablename__: len(self.rows[model]) for model in models}

    def services_page(self, query: ListQuery) -> Page[Service]:
        return self._page(
            Service,
            query,
            sortable={"id": lambda s: s.id, "name": lambda s: s.name},
            filterable={"calendar_id": lambda s: s.calendar_id},
            searchable=(lambda s: s.name,),
        )

    def service_has_tickets(self, service_id: int) -> bool:
        return any(t.service_id == service_id for t in self.rows[Ticket])

    def calendars_page(self, query: ListQuery) -> Page[Calendar]:
        return self._page(
            Calendar,
            query,
            sortable={"id": lambda c: c.id, "name": lambda c: c.name},
            filterable={},
            searchable=(lambda c: c.name,),
        )


class FakePlatformRepository(
    FakeAccountQueries, FakeTokenQueries, FakeSessionQueries, FakeCatalogQueries, FakeAuditQueries
):
    """What `uow.platform` offers the accounts, tokens, web session and catalog use cases, in memory."""

"""The demo's people: a provider admin, a manager, and a viewer for each of two customers.

Passwords are fixed and printed by `slaforge demo`, because the demo is for trying
things out on one's own machine; running it again resets them, so they always work.
"""

from __future__ import annotations

from dataclasses import dataclass

from slaforge.adapters.db.models import Customer, User
from slaforge.domain.platform.accounts import Role
from slaforge.services.platform import audit
from slaforge.services.platform.accounts import hash_password
from slaforge.services.platform.catalog import slugify
from slaforge.services.unit_of_work import UnitOfWork

DEFAULT_CUSTOMERS = ("Acme Logistics", "Globex Retail")


@dataclass(frozen=True, slots=True)
class DemoAccount:
    email: str
    password: str
    role: Role
    customer: str | None = None  # the customer's name, for customer roles

    def line(self) -> str:
        who = f"{self.role.label}" + (f" of {self.customer}" if self.customer else "")
        return f"{who:<32} {self.email:<34} password: {self.password}"


def create_demo_accounts(*, uow: UnitOfWork, domain: str = "demo.slaforge.test") -> list[DemoAccount]:
    """Create (or reset) the demo accounts; uses the first two customers, creating them if needed."""
    with uow:
        customers = uow.platform.first_customers(2)
        for name in DEFAULT_CUSTOMERS[len(customers) :]:
            customer = Customer(name=name, slug=slugify(name))
            uow.platform.add(customer)
            customers.append(customer)
        uow.flush()
        accounts = [
            DemoAccount(f"admin@{domain}", "admin-demo-password", Role.ADMIN),
            DemoAccount(f"manager@{domain}", "manager-demo-password", Role.MANAGER),
        ]
        for customer in customers:
            accounts.append(
                DemoAccount(
                    f"viewer@{customer.slug}.{domain}", "viewer-demo-password", Role.VIEWER, customer.name
                )
            )
        ids = {c.name: c.id for c in customers}
        for account in accounts:
            user = uow.platform.user_by_email(account.email)
            new = user is None
            if user is None:
                user = User(email=account.email, display_name=account.email.split("@")[0].capitalize())
                uow.platform.add(user)
            user.password_hash = hash_password(account.password)
            user.role = account.role.value
            user.customer_id = ids[account.customer] if account.customer else None
            user.is_active = True
            uow.flush()
            audit.record(
                uow, actor="demo", action="user.created" if new else "user.reset_by_demo",
                subject_type="user", subject_id=user.id,
                data={"email": user.email, "role": user.role, "customer_id": user.customer_id},
            )  # fmt: skip
        uow.commit()
        return accounts

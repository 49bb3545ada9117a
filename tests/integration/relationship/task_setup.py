"""An agreement with the onboarding checklist, a customer admin and a viewer, made through the use cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.domain.platform.accounts import Principal, Role
from slaforge.domain.platform.tenancy import Scope
from slaforge.services.platform import accounts
from slaforge.services.relationship.task_templates import instantiate_template
from tests.agreement_setup import MANAGER, NOW, draft

START = date(2026, 11, 2)  # a Monday


@dataclass(frozen=True)
class Setup:
    customer_id: int
    agreement_id: int
    task_ids: list[int]
    customer_admin: Principal


def customer_uow(uow: SqlAlchemyUnitOfWork, customer_id: int) -> SqlAlchemyUnitOfWork:
    return SqlAlchemyUnitOfWork(uow._factory, Scope(customer_id), audit_keys=uow._audit_keys)


def onboarding(uow: SqlAlchemyUnitOfWork, name: str = "Acme Ltd") -> Setup:
    d = draft(uow, name)
    slug = name.split()[0].lower()
    user = accounts.create_user(
        uow=uow, actor=MANAGER, email=f"admin@{slug}.test", password="correct horse battery",
        role=Role.CUSTOMER_ADMIN, customer_id=d.customer_id,
    )  # fmt: skip
    ids = instantiate_template(
        uow, d.agreement_id, template="onboarding", start=START, actor=MANAGER, now=NOW
    )
    principal = Principal(
        user_id=user.id, email=user.email, role=Role.CUSTOMER_ADMIN, customer_id=d.customer_id
    )
    return Setup(d.customer_id, d.agreement_id, ids, principal)

"""Tenancy as a value: which customer's data a piece of work may see.

The rule is enforced once, in the query layer (adapters/db/scoping.py), from the
`Scope` a unit of work carries. Provider users and system jobs see everything;
a customer user sees its own organisation only, and anything that is not about
one customer is invisible to it unless its model declares otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from slaforge.domain.platform.accounts import Principal


@dataclass(frozen=True, slots=True)
class Scope:
    customer_id: int | None = None  # None: not limited to one customer

    @property
    def is_limited(self) -> bool:
        return self.customer_id is not None

    @classmethod
    def everything(cls) -> Scope:
        return cls(None)

    @classmethod
    def of(cls, principal: Principal | None) -> Scope:
        """The scope of a principal; `None` (a system job or the CLI) sees everything."""
        if principal is None or principal.is_provider:
            return cls(None)
        # A customer role without a customer would see everything: refuse rather than leak.
        if principal.customer_id is None:
            raise ValueError(f"customer user {principal.user_id} has no customer")
        return cls(principal.customer_id)

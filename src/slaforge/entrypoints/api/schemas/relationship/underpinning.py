"""Underpinning contracts (OLAs and UCs) and the objectives resting on them, as the API reads and
writes them. Provider-only: a customer user is answered 404."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from slaforge.entrypoints.api.schemas.common import Id, Input, Name, Output

Kind = Literal["ola", "uc"]
Seconds = Annotated[
    float, Field(gt=0, le=366 * 86400, description="business seconds in the contract's hours")
]


class ContractCreate(Input):
    kind: Kind
    name: Name
    counterparty: Annotated[str, Field(max_length=200, pattern=r"^[^\x00]*$")] = ""
    calendar: dict[str, Any] = Field(
        description="a calendar definition: timezone, hours, holidays, overrides"
    )
    targets: dict[
        Literal["first_response", "resolution"], dict[Annotated[str, Field(max_length=50)], Seconds]
    ] = Field(description="metric → priority ('*' any) → business seconds")


class ContractPublic(Output):
    id: int
    kind: str
    name: str
    counterparty: str
    calendar: dict[str, Any]
    targets: dict[str, dict[str, float]]


class ContractsPublic(Output):
    data: list[ContractPublic]
    count: int


class LinkCreate(Input):
    objective: Annotated[int, Field(ge=0, le=1000, description="the objective's index in the terms")]
    contract_id: Id


class LinkPublic(Output):
    objective: int
    contract_id: int
    added: bool


class WarningPublic(Output):
    objective: int
    contract: str
    kind: str = Field(description="late | closed | no_target")
    text: str


class ObjectiveCheckPublic(Output):
    index: int
    objective: dict[str, Any]
    contracts: list[ContractPublic]
    warnings: list[WarningPublic]


class UnderpinningPublic(Output):
    agreement_id: int
    version_id: int
    number: int
    state: str
    inherited_from: int | None
    objectives: list[ObjectiveCheckPublic]
    warnings: list[WarningPublic]

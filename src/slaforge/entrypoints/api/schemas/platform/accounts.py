"""Users and API tokens as the API reads and writes them; password hashes never leave."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StringConstraints

from slaforge.domain.platform.accounts import Role
from slaforge.entrypoints.api.schemas.common import Changes, Id, Input, Instant, Name, Output

Email = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=254)]
Password = Annotated[str, StringConstraints(min_length=10, max_length=1000)]


class UserCreate(Input):
    email: Email
    password: Password
    role: Annotated[Role, Field(strict=False)]
    customer_id: Id | None = Field(None, description="required for customer roles, absent for provider roles")
    display_name: Name | None = None


class UserUpdate(Changes):
    display_name: Name | None = None
    role: Annotated[Role, Field(strict=False)] | None = None
    is_active: bool | None = None
    password: Password | None = None


class UserPublic(Output):
    id: int
    email: str
    display_name: str
    role: Annotated[Role, Field(strict=False)]
    customer_id: int | None
    is_active: bool
    created_at: datetime


class UsersPublic(Output):
    data: list[UserPublic]
    count: int


class TokenCreate(Input):
    name: Name
    expires_at: Instant | None = Field(None, description="default: the server's token_default_days from now")


class TokenPublic(Output):
    id: int
    user_id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class TokenCreated(TokenPublic):
    secret: str = Field(description="the bearer token; shown this once and never again")


class TokensPublic(Output):
    data: list[TokenPublic]
    count: int

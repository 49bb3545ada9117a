"""Whom this command line invocation acts as (`slaforge --as EMAIL`), kept apart from the
container so that the top-level command can note it without loading the application."""

from __future__ import annotations

from contextvars import ContextVar

# Set by `slaforge --as EMAIL` for the rest of this invocation.
_ACTING_AS: ContextVar[str | None] = ContextVar("slaforge_cli_acting_as", default=None)


def act_as(email: str | None) -> None:
    _ACTING_AS.set(email or None)


def acting_email() -> str | None:
    return _ACTING_AS.get()

"""Small pieces the page handlers share: run a form action and report its outcome as a flash."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import Request
from fastapi.responses import RedirectResponse

from slaforge.domain.errors import Conflict, InvalidInput
from slaforge.entrypoints.web.pages import redirect
from slaforge.entrypoints.web.session import flash, flash_error

T = TypeVar("T")


def form_action(request: Request, action: Callable[[], T], *, success: str, back: str) -> RedirectResponse:
    """Run `action`; a mistake in the form comes back as an error message on the same page.

    Anything else (not found, forbidden) goes to the one error mapping like any other request.
    """
    try:
        action()
    except (InvalidInput, Conflict) as exc:
        flash_error(request, exc)
    else:
        flash(request, success, "success")
    return redirect(back)


def page_number(offset: int, limit: int) -> int:
    return offset // limit + 1

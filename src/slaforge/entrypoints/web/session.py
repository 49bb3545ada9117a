"""Web sign-in state kept in the signed session cookie: which session is signed in, the CSRF token, flashes.

The cookie holds the id of a server-side session (services/platform/sessions.py), a CSRF token
and pending messages. The session and its user are looked up on every request, so sign-out, a
password change or a deactivation ends it at once, even for a copy of the cookie.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, Request

from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.domain.errors import InvalidInput, NotFound, SlaforgeError
from slaforge.domain.platform.accounts import NotAuthenticated, PermissionDenied, Principal
from slaforge.entrypoints.deps import ContainerDep
from slaforge.services.platform import sessions

CSRF_FIELD = "csrf_token"
_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def verify_csrf(request: Request) -> None:
    """Every form that changes something carries the session's CSRF token; without it: 403."""
    if request.method not in _UNSAFE:
        return
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    expected = request.session.get("csrf")
    if not (isinstance(sent, str) and isinstance(expected, str) and hmac.compare_digest(sent, expected)):
        raise PermissionDenied("the form has expired or did not come from this site; reload it and try again")


_SID = "sid"


def start_session(request: Request, container: ContainerDep, principal: Principal) -> None:
    # A fresh session (and CSRF token) at sign-in, so nothing from before carries over; a sign-in
    # this browser still held (signing in again as someone else) ends rather than lingering.
    end_session(request, container)
    request.session[_SID] = sessions.open_session(
        uow=container.system_uow(),
        principal=principal,
        now=container.clock(),
        lifetime=timedelta(seconds=container.settings.session_max_age),
    )
    request.session["csrf"] = secrets.token_urlsafe(32)


def end_session(request: Request, container: ContainerDep | None = None) -> None:
    """Forget the cookie's state and, given the container, end its server-side session too."""
    sid = request.session.get(_SID)
    if container is not None and isinstance(sid, str):
        sessions.end_session(uow=container.system_uow(), session_id=sid)
    request.session.clear()


def flash(request: Request, message: str, kind: str = "info", field: str | None = None) -> None:
    entry = {"kind": kind, "message": message}
    if field:
        entry["field"] = field[:200]
    request.session.setdefault("flash", []).append(entry)


def flash_error(request: Request, exc: SlaforgeError) -> None:
    """A refused form's error, naming the field it is about when it is bad input: the page it
    goes back to marks that field and puts back what was typed (static/app.js)."""
    flash(request, exc.message, "error", exc.field if isinstance(exc, InvalidInput) else None)


def pop_flashes(request: Request) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = request.session.pop("flash", [])
    return messages


def optional_principal(request: Request, container: ContainerDep) -> Principal | None:
    sid = request.session.get(_SID)
    if not isinstance(sid, str):
        return None
    principal = sessions.principal_for_session(
        uow=container.system_uow(), session_id=sid, now=container.clock()
    )
    if principal is None:
        end_session(request)
    return principal


MaybePrincipal = Annotated[Principal | None, Depends(optional_principal)]


def signed_in(principal: MaybePrincipal) -> Principal:
    if principal is None:
        raise NotAuthenticated("please sign in")
    return principal


def provider(principal: Annotated[Principal, Depends(signed_in)]) -> Principal:
    # The console does not exist for customer users: 404 like anything else they may not see.
    if not principal.is_provider:
        raise NotFound("no such page")
    return principal


WebUser = Annotated[Principal, Depends(signed_in)]
ProviderUser = Annotated[Principal, Depends(provider)]


def web_uow(container: ContainerDep, principal: WebUser) -> SqlAlchemyUnitOfWork:
    return container.uow(principal)


WebUow = Annotated[SqlAlchemyUnitOfWork, Depends(web_uow)]

"""Sign-in, sign-out and the front door that sends each role to its home."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from slaforge.domain.platform.accounts import NotAuthenticated, Principal, TooManyAttempts
from slaforge.entrypoints.deps import ContainerDep
from slaforge.entrypoints.web.pages import redirect, render
from slaforge.entrypoints.web.session import MaybePrincipal, WebUser, end_session, flash, start_session
from slaforge.services.platform import accounts, sessions

router = APIRouter()


def _home(principal: Principal) -> str:
    return "/console" if principal.is_provider else "/portal"


def _safe_next(target: str | None) -> str | None:
    # Only paths on this site: "//evil.example" or "https://…" would be an open redirect.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@router.get("/")
def front(principal: MaybePrincipal) -> Response:
    return redirect(_home(principal) if principal else "/sign-in")


@router.get("/sign-in")
def sign_in_form(request: Request, principal: MaybePrincipal, next: str | None = None) -> Response:
    if principal is not None:
        return redirect(_safe_next(next) or _home(principal))
    return render(request, "platform/sign_in.html", None, next=_safe_next(next) or "")


@router.post("/sign-in")
def sign_in(
    request: Request,
    container: ContainerDep,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    try:
        principal = accounts.sign_in(
            uow=container.system_uow(), email=email, password=password, now=container.clock()
        )
    except (NotAuthenticated, TooManyAttempts) as exc:
        status = 429 if isinstance(exc, TooManyAttempts) else 401
        response = render(
            request,
            "platform/sign_in.html",
            None,
            status_code=status,
            error=exc.message,
            email=email,
            next=_safe_next(next) or "",
        )
        if isinstance(exc, TooManyAttempts):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response
    start_session(request, container, principal)
    flash(request, f"Signed in as {principal.email}.", "success")
    return redirect(_safe_next(next) or _home(principal))


@router.post("/sign-out")
def sign_out(request: Request, container: ContainerDep) -> Response:
    end_session(request, container)
    flash(request, "You are signed out.", "info")
    return redirect("/sign-in")


@router.post("/sign-out-everywhere")
def sign_out_everywhere(request: Request, container: ContainerDep, principal: WebUser) -> Response:
    """Every browser signed in as this user is signed out (e.g. after using a shared computer)."""
    ended = sessions.end_all_sessions(uow=container.system_uow(), user_id=principal.user_id)
    end_session(request)
    plural = "" if ended == 1 else "s"
    flash(request, f"You are signed out everywhere ({ended} sign-in{plural} ended).", "info")
    return redirect("/sign-in")

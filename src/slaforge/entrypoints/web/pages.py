"""Rendering pages: one Jinja2 environment, the shared page context, and the error pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from slaforge.adapters.live.report_render import trend_svg
from slaforge.domain.platform.accounts import Principal
from slaforge.entrypoints.api.schemas.common import Problem
from slaforge.entrypoints.web import TEMPLATES_DIR
from slaforge.entrypoints.web.session import CSRF_FIELD, csrf_token, optional_principal, pop_flashes

templates = Jinja2Templates(directory=TEMPLATES_DIR)


def _when(value: datetime | None, zone: str | None = None) -> str:
    if value is None:
        return "—"
    local = value.astimezone(ZoneInfo(zone)) if zone else value
    return local.strftime("%a %Y-%m-%d %H:%M %Z")


def _number(value: int | float | None) -> str:
    """12345 → '12,345': figures for people, with thousands separators."""
    return "—" if value is None else f"{value:,}"


templates.env.filters["when"] = _when
templates.env.filters["number"] = _number
templates.env.globals["csrf_field"] = CSRF_FIELD


def _trend(labels: list[str], shares: list[float | None], level: float, description: str) -> Markup:
    # The SVG is built by the report renderer's own autoescaping environment (labels escaped there).
    return Markup(trend_svg(labels, shares, level, description))


templates.env.globals["trend_chart"] = _trend


def render(
    request: Request, name: str, principal: Principal | None, status_code: int = 200, **context: Any
) -> Response:
    return templates.TemplateResponse(
        request,
        name,
        {
            "principal": principal,
            "csrf": csrf_token(request),
            "flashes": pop_flashes(request),
            # The Content-Security-Policy allows a page's own <style> blocks by this per-response nonce.
            "csp_nonce": getattr(request.state, "csp_nonce", ""),
            **context,
        },
        status_code=status_code,
    )


def redirect(url: str) -> RedirectResponse:
    # 303 so the browser follows a POST with a GET (post/redirect/get).
    return RedirectResponse(url, status_code=303)


def render_problem(request: Request, problem: Problem) -> Response:
    """The HTML side of the one error mapping (see entrypoints/api/problems.py)."""
    if problem.status == 401:
        return redirect(f"/sign-in?next={quote(request.url.path)}")
    name = "not_found.html" if problem.status == 404 else "error.html"
    return render(request, name, _signed_in(request), status_code=problem.status, problem=problem)


def _signed_in(request: Request) -> Principal | None:
    """Who is signed in, so an error page keeps the site's menu; None when that cannot be told
    (the error may be the database itself failing)."""
    try:
        return optional_principal(request, request.app.state.container)
    except Exception:  # an error page must render whatever broke
        return None

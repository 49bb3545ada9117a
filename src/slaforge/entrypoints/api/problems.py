"""Every error becomes one response here: problem+json for the API, an HTML page for the web UI.

The status comes from the error itself (`SlaforgeError.status`, see domain/errors.py);
this module only decides how to show it. Unexpected exceptions are logged and shown
as a plain 500 without internals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from slaforge.domain.errors import InvalidInput, SlaforgeError
from slaforge.domain.platform.accounts import NotAuthenticated, TooManyAttempts
from slaforge.entrypoints.api.routing import allowed_methods
from slaforge.entrypoints.api.schemas.common import FieldError, Problem

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"
HtmlRenderer = Callable[[Request, Problem], Response]

# Documented on every API route so clients (and the fuzzer) know the error shape.
_PROBLEM_CONTENT = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "description": HTTPStatus(status).phrase, "content": _PROBLEM_CONTENT}
    for status in (400, 401, 403, 404, 409, 413, 422)
}


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _field_of(loc: tuple[Any, ...]) -> str:
    # ("body", "definition", "hours", "mon", 0) -> "definition.hours.mon[0]"; the location kind is dropped.
    parts = (
        [p for p in loc[1:] if p not in ("function-after", "function-wrap")] if len(loc) > 1 else list(loc)
    )
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or str(loc[0] if loc else "body")


def problem_for(exc: Exception, instance: str) -> Problem:
    """The one mapping from an exception to a problem (status, title, detail, field)."""
    if isinstance(exc, RequestValidationError):
        errors = [FieldError(field=_field_of(tuple(e["loc"])), message=e["msg"]) for e in exc.errors()]
        first = errors[0] if errors else None
        detail = f"field '{first.field}': {first.message}" if first else "the request is invalid"
        return Problem(
            title=_title(422),
            status=422,
            detail=detail,
            instance=instance,
            field=first.field if first else None,
            errors=errors,
        )
    if isinstance(exc, SlaforgeError):
        field = exc.field if isinstance(exc, InvalidInput) else None
        errors = [FieldError(field=field, message=exc.message)] if field else []
        return Problem(
            title=_title(exc.status),
            status=exc.status,
            detail=exc.message,
            instance=instance,
            field=field,
            errors=errors,
        )
    if isinstance(exc, StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else _title(exc.status_code)
        return Problem(
            title=_title(exc.status_code), status=exc.status_code, detail=detail, instance=instance
        )
    return Problem(
        title=_title(500),
        status=500,
        detail="an unexpected error occurred; it has been logged",
        instance=instance,
    )


def _headers(exc: Exception, request: Request) -> dict[str, str]:
    headers: dict[str, str] = {}
    if isinstance(exc, TooManyAttempts):
        headers["Retry-After"] = str(exc.retry_after)
    if isinstance(exc, NotAuthenticated):
        headers["WWW-Authenticate"] = "Bearer"
    if isinstance(exc, StarletteHTTPException) and exc.headers:
        headers.update(exc.headers)
    if isinstance(exc, StarletteHTTPException) and exc.status_code == 405:
        # The framework names only the first matching route's methods; a path may have several.
        headers["Allow"] = ", ".join(allowed_methods(request.app.router.routes, request.url.path))
    return headers


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def install_error_handlers(app: FastAPI, render_html: HtmlRenderer) -> None:
    async def handle(request: Request, exc: Exception) -> Response:
        problem = problem_for(exc, request.url.path)
        if problem.status >= 500:
            log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        if not is_api(request):
            response = render_html(request, problem)
        else:
            response = JSONResponse(
                problem.model_dump(exclude_none=True), status_code=problem.status, media_type=PROBLEM_JSON
            )
        response.headers.update(_headers(exc, request))
        return response

    for kind in (RequestValidationError, SlaforgeError, StarletteHTTPException, Exception):
        app.add_exception_handler(kind, handle)

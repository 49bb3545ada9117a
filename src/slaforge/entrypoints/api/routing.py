"""Routing rules for every API route, in one place: integer path parameters match digits only,
and a 405 names every method its path supports.

Without the first, `GET /api/v1/imports/tickets` (a POST-only path) is taken by
`GET /api/v1/imports/{batch_id}` and refused as a bad id (422) instead of 405 — the path exists,
the method does not. Without the second, the framework's 405 lists only the methods of the first
route that matched the path, so a path served by several routes (GET by one, PATCH and DELETE by
others) advertises too few.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import APIRouter
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Match, compile_path


class TypedPathRoute(APIRoute):
    """An API route whose integer path parameters carry the `int` convertor, so a path whose
    segment is not a number is not this route's at all (the OpenAPI path stays `{name}`)."""

    def __init__(self, path: str, endpoint: Any, **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        typed = self.path
        for param in self.dependant.path_params:
            if param.field_info.annotation is int:
                typed = typed.replace("{" + param.name + "}", "{" + param.name + ":int}")
        if typed != self.path:
            self.path = typed
            self.path_regex, self.path_format, self.param_convertors = compile_path(typed)


def api_router(**kwargs: Any) -> APIRouter:
    """The router every API resource module uses, so each of its routes follows the rules above."""
    return APIRouter(route_class=TypedPathRoute, **kwargs)


# The methods a 405 may name; OPTIONS is served by no route, so it is never among them.
_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(routes: Iterable[BaseRoute], path: str) -> list[str]:
    """Every method that some route serves at `path` (a full request path), asked of the routes
    themselves, so included routers and path convertors count exactly as they do when serving."""
    allowed = []
    for method in _METHODS:
        scope: dict[str, Any] = {"type": "http", "method": method, "path": path, "root_path": ""}
        if any(route.matches(dict(scope))[0] == Match.FULL for route in routes):
            allowed.append(method)
    return allowed

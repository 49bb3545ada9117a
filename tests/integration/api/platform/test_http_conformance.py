"""The API's HTTP behaviour agrees with its OpenAPI document, for every path the document lists:
a method a path does not serve is 405 (never 422 or 404) with `Allow` naming exactly the methods
the document gives that path; every list's `sort` is an enumeration that the server accepts in
full and beyond which it accepts nothing; date-time parameters refuse bare numbers."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from slaforge.entrypoints.api import v1
from slaforge.entrypoints.api.routing import TypedPathRoute

METHODS = ("get", "post", "put", "patch", "delete")
_PARAM = re.compile(r"\{([^}]+)\}")


def _concrete(path: str) -> str:
    # Ids that exist or not (a 405 comes before any lookup); a template key is text.
    return _PARAM.sub(lambda m: "builtin-key" if m.group(1) == "template_key" else "1", path)


def test_every_unserved_method_is_405_naming_the_served_ones(admin: httpx.Client) -> None:
    spec = admin.get("/api/v1/openapi.json").json()
    wrong: list[str] = []
    checked = 0
    for path, item in spec["paths"].items():
        served = sorted(m.upper() for m in item if m in METHODS)
        for method in [m.upper() for m in METHODS if m not in item] + ["OPTIONS"]:
            answer = admin.request(method, _concrete(path))
            checked += 1
            allow = sorted(m.strip() for m in answer.headers.get("allow", "").split(",") if m.strip())
            if answer.status_code != 405 or allow != served:
                wrong.append(f"{method} {path}: {answer.status_code}, Allow {allow}, documented {served}")
    assert checked > 100
    assert not wrong, "\n".join(wrong)


def test_every_api_route_is_made_by_the_api_router() -> None:
    # A resource module that made its own APIRouter would let `/things/abc` reach `/things/{id}`.
    routes = [route for included in v1.router.routes for route in included.original_router.routes]
    assert len(routes) > 80
    assert all(isinstance(route, TypedPathRoute) for route in routes)


def test_a_post_only_path_beside_an_id_route_is_405_not_a_bad_id(admin: httpx.Client) -> None:
    # `/imports/tickets` (POST) sits beside `/imports/{batch_id}` (GET): a GET is the wrong method,
    # not a malformed id; and a non-numeric id on an id route names no resource at all.
    answer = admin.get("/api/v1/imports/tickets")
    assert answer.status_code == 405, answer.text
    assert answer.headers["allow"] == "POST"
    assert admin.patch("/api/v1/users/me", json={}).status_code == 405
    assert admin.get("/api/v1/imports/not-a-number").status_code == 404


def _list_operations(spec: dict[str, Any]) -> list[tuple[str, list[str]]]:
    out = []
    for path, item in spec["paths"].items():
        for param in item.get("get", {}).get("parameters", []):
            if param["name"] == "sort":
                schema = param["schema"]
                choices = next(s["enum"] for s in schema.get("anyOf", [schema]) if "enum" in s)
                out.append((path, choices))
    return out


def test_every_documented_sort_is_accepted_and_nothing_else(admin: httpx.Client) -> None:
    spec = admin.get("/api/v1/openapi.json").json()
    lists = _list_operations(spec)
    assert len(lists) >= 16, [path for path, _ in lists]
    for path, choices in lists:
        # A stable order: by id, name or position, or by start for a calendar's computed
        # occurrences, which have no id.
        assert {"id", "name", "position", "start"} & set(choices), (path, choices)
        assert {c.lstrip("-") for c in choices} == {c for c in choices if not c.startswith("-")}
        for choice in choices:
            answer = admin.get(_concrete(path), params={"sort": choice, "limit": 1})
            assert answer.status_code in (200, 404), (path, choice, answer.text)
            if answer.status_code == 404:  # a list under a resource that does not exist
                assert "{" in path
        refused = admin.get(_concrete(path), params={"sort": "zzz"})  # refused before any lookup
        assert refused.status_code == 422, (path, refused.text)
        assert refused.json()["field"] == "sort"


@pytest.mark.parametrize(
    "written",
    [
        "0",
        "0.5",
        "1700000000",
        "-1",
        "1e9",
        "2026-03-02 09:00:00Z",
        "2026-03-02T09:00Z",
        "2026-03-02T09:00:00+0000",
    ],
)
def test_a_date_time_is_refused_unless_rfc_3339_as_documented(admin: httpx.Client, written: str) -> None:
    # The document says `format: date-time`; the parser underneath read numbers as seconds since
    # 1970 and took a space for the 'T', no seconds, or '+0000'.
    spec = admin.get("/api/v1/openapi.json").json()
    after = next(
        p
        for p in spec["paths"]["/api/v1/calendars/{calendar_id}/preview"]["get"]["parameters"]
        if p["name"] == "after"
    )
    assert {"type": "string", "format": "date-time"} in after["schema"]["anyOf"]
    cal = admin.post("/api/v1/calendars", json={"name": "Office", "definition": {"timezone": "UTC"}}).json()[
        "id"
    ]
    preview = admin.get(f"/api/v1/calendars/{cal}/preview", params={"after": written})
    assert preview.status_code == 422, preview.text
    assert preview.json()["field"] == "after"
    assert ("not a number" in preview.json()["detail"]) == (":" not in written)
    assert admin.get("/api/v1/studies", params={"created_from": written}).status_code == 422
    service = admin.post("/api/v1/services", json={"name": "Mail", "calendar_id": cal}).json()["id"]
    outage = admin.post("/api/v1/outages", json={"service_id": service, "started_at": written})
    assert outage.status_code == 422, outage.text
    assert outage.json()["field"] == "started_at"
    # What RFC 3339 allows still passes.
    assert (
        admin.get("/api/v1/studies", params={"created_from": "2026-03-02T09:00:00+02:00"}).status_code == 200
    )
    good = admin.post("/api/v1/outages", json={"service_id": service, "started_at": "2026-03-02t09:00:00.5z"})
    assert good.status_code == 201, good.text


@pytest.mark.parametrize("written", ["1", 1.0, True])
def test_a_body_integer_is_a_json_integer(admin: httpx.Client, written: object) -> None:
    # The schema says `type: integer`; the parser underneath converted "1", 1.0 and true.
    cal = admin.post("/api/v1/calendars", json={"name": "Office", "definition": {"timezone": "UTC"}}).json()[
        "id"
    ]
    assert cal == 1
    refused = admin.post("/api/v1/services", json={"name": "Mail", "calendar_id": written})
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == "calendar_id"
    assert admin.post("/api/v1/services", json={"name": "Mail", "calendar_id": 1}).status_code == 201

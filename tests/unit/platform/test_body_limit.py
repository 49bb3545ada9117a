"""Request bodies: small everywhere, larger only on the upload routes."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from slaforge.entrypoints.api.limits import BodySizeLimit


async def echo_length(scope, receive, send) -> None:
    size = 0
    while True:
        message = await receive()
        size += len(message.get("body", b""))
        if not message.get("more_body"):
            break
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": str(size).encode()})


APP = BodySizeLimit(
    echo_length, max_bytes=1000, upload_max_bytes=50_000, upload_prefixes=("/api/v1/imports/",)
)


def post(path: str, size: int) -> httpx.Response:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=APP), base_url="http://t") as client:
            return await client.post(path, content=b"x" * size)

    return asyncio.run(go())


@pytest.mark.parametrize(
    ("path", "size", "status"),
    [
        ("/api/v1/customers", 1000, 200),
        ("/api/v1/customers", 1001, 413),
        ("/api/v1/imports/tickets", 40_000, 200),
        ("/api/v1/imports/tickets", 50_001, 413),
    ],
)
def test_only_upload_routes_take_large_bodies(path, size, status):
    response = post(path, size)
    assert response.status_code == status
    if status == 413:
        assert response.headers["content-type"] == "application/problem+json"
        assert str(50_000 if "imports" in path else 1000) in response.json()["detail"]
    else:
        assert response.text == str(size)

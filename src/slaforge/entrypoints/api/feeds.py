"""/feeds/{token}.ics: a user's calendar feed, opened by the secret in its URL alone (calendar
clients send no cookie and no API token). An unknown or replaced token answers 404, the same as
a path that does not exist, so the answer says nothing about which tokens were ever valid."""

from __future__ import annotations

from fastapi import APIRouter, Response

from slaforge.domain.errors import NotFound
from slaforge.entrypoints.deps import ContainerDep
from slaforge.services.relationship import feeds

router = APIRouter(tags=["meetings"])


@router.get(
    "/feeds/{token}.ics",
    response_class=Response,
    responses={
        200: {"content": {"text/calendar": {}}},
        404: {"description": "no feed has this token (never made, or reset since)"},
    },
)
def feed(token: str, container: ContainerDep) -> Response:
    """Every meeting series in force of every agreement the feed's owner may see (RFC 5545)."""
    owner = feeds.feed_owner(uow=container.system_uow(), token=token)
    if owner is None:
        raise NotFound("no such feed")
    body = feeds.user_feed(uow=container.uow(owner), name=f"slaforge meetings — {owner.email}")
    return Response(
        content=body,
        media_type="text/calendar; charset=utf-8",
        # The URL is the credential: keep it out of shared caches.
        headers={"Cache-Control": "private, no-store"},
    )

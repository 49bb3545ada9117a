"""The forms of a meeting page's topics: raise one for a coming occurrence, withdraw one. Both the
console (/console/…) and the customer's portal (/portal/…) post here; the page is meeting_records.py.
Who may is the service's rule (a customer's administrator, a provider writer; the raiser withdraws)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from slaforge.entrypoints.deps import ContainerDep, ResourceId
from slaforge.entrypoints.web.routes.agreement.console import run_form
from slaforge.entrypoints.web.routes.relationship.meeting_records import PAGE, LocalStart, SeriesKey
from slaforge.entrypoints.web.session import ProviderUser, WebUow, WebUser
from slaforge.services.relationship import topics

router = APIRouter()
TopicText = Annotated[str, Form(max_length=500)]


def _back(root: str, agreement_id: int, series_key: str, original_start: str) -> str:
    page = PAGE.format(agreement_id=agreement_id, series_key=series_key, original_start=original_start)
    return f"{root}{page}#topics"


def _raise(
    request: Request,
    root: str,
    agreement_id: int,
    series_key: str,
    original_start: str,
    uow: WebUow,
    actor: WebUser,
    container: ContainerDep,
    text: str,
) -> Response:
    run = lambda: topics.raise_topic(  # noqa: E731
        uow=uow,
        agreement_id=agreement_id,
        series_key=series_key,
        original_start=original_start,
        text=text,
        actor=actor,
        now=container.clock(),
    )
    back = _back(root, agreement_id, series_key, original_start)
    return run_form(request, run, success="Topic raised.", back=back)


def _withdraw(
    request: Request,
    root: str,
    agreement_id: int,
    series_key: str,
    original_start: str,
    topic_id: int,
    uow: WebUow,
    actor: WebUser,
    container: ContainerDep,
) -> Response:
    run = lambda: topics.withdraw_topic(  # noqa: E731
        uow=uow,
        agreement_id=agreement_id,
        series_key=series_key,
        original_start=original_start,
        topic_id=topic_id,
        actor=actor,
        now=container.clock(),
    )
    back = _back(root, agreement_id, series_key, original_start)
    return run_form(request, run, success="Topic withdrawn.", back=back)


@router.post("/portal" + PAGE + "/topics")
def portal_raise(
    request: Request,
    agreement_id: ResourceId,
    series_key: SeriesKey,
    original_start: LocalStart,
    uow: WebUow,
    actor: WebUser,
    container: ContainerDep,
    text: TopicText = "",
) -> Response:
    return _raise(request, "/portal", agreement_id, series_key, original_start, uow, actor, container, text)


@router.post("/portal" + PAGE + "/topics/{topic_id}/withdraw")
def portal_withdraw(
    request: Request,
    agreement_id: ResourceId,
    series_key: SeriesKey,
    original_start: LocalStart,
    topic_id: ResourceId,
    uow: WebUow,
    actor: WebUser,
    container: ContainerDep,
) -> Response:
    return _withdraw(
        request, "/portal", agreement_id, series_key, original_start, topic_id, uow, actor, container
    )


@router.post("/console" + PAGE + "/topics")
def console_raise(
    request: Request,
    agreement_id: ResourceId,
    series_key: SeriesKey,
    original_start: LocalStart,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
    text: TopicText = "",
) -> Response:
    return _raise(request, "/console", agreement_id, series_key, original_start, uow, actor, container, text)


@router.post("/console" + PAGE + "/topics/{topic_id}/withdraw")
def console_withdraw(
    request: Request,
    agreement_id: ResourceId,
    series_key: SeriesKey,
    original_start: LocalStart,
    topic_id: ResourceId,
    uow: WebUow,
    actor: ProviderUser,
    container: ContainerDep,
) -> Response:
    return _withdraw(
        request, "/console", agreement_id, series_key, original_start, topic_id, uow, actor, container
    )

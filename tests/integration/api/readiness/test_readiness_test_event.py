"""`slaforge readiness test-event` against a real server: the test ticket goes through the event API
with the token given, and the objective's tracking item passes; a bad token is refused naming it."""

from __future__ import annotations

import os
import subprocess

from slaforge.bootstrap import Container
from slaforge.services.readiness import configuration, ingestion
from tests.agreement_setup import MANAGER, NOW
from tests.cli_in_process import run_cli
from tests.integration.api.conftest import ClientFor
from tests.integration.api.live_server import LiveServer
from tests.readiness_setup import accepted, config


def _cli(database_url: str, *args: str, token: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SLAFORGE_DATABASE_URL": database_url, "SLAFORGE_INGESTION_TOKEN": token}
    return run_cli("readiness", *args, env=env)


def test_a_test_event_through_the_api_proves_the_tracking_source(
    container: Container, server: LiveServer, client_for: ClientFor, database_url: str
) -> None:
    a = accepted(container.system_uow())
    configuration.configure(
        uow=container.system_uow(), agreement_id=a.agreement_id, raw=config(), actor=MANAGER, now=NOW
    )
    _, token = ingestion.create_token(uow=container.system_uow(), agreement_id=a.agreement_id, label="desk",
                                      actor=MANAGER, now=NOW)  # fmt: skip
    api_token = client_for("agent").headers["Authorization"].removeprefix("Bearer ")
    aid = str(a.agreement_id)
    refused = _cli(database_url, "test-event", aid, "--api-url", server.url, token="not-a-token")
    assert refused.returncode == 2
    assert "field 'token': the event API answered 401" in refused.stderr
    user_token = _cli(database_url, "test-event", aid, "--api-url", server.url, token=api_token)
    assert user_token.returncode == 2  # a user's API token is not an ingestion token
    sent = _cli(database_url, "test-event", aid, "--objective", "1", "--api-url", server.url, token=token)
    assert sent.returncode == 0, sent.stderr
    assert f"sent ticket readiness-test-{a.version_id}-1-" in sent.stdout
    assert (
        "ok       objectives[1].tracking Resolution (P1): data arrived through the event API" in sent.stdout
    )
    not_api = _cli(database_url, "test-event", aid, "--objective", "2", "--api-url", server.url, token=token)
    assert not_api.returncode == 2
    assert "objectives[2] is not tracked through the event API" in not_api.stderr

"""`slaforge init`, `slaforge user create` and `slaforge token create`, run in process through the
console entry point (`run`), so errors are seen exactly as a user sees them: one line, exit 2."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import httpx
import pytest

from slaforge.bootstrap import bootstrap
from slaforge.config import Settings, get_settings
from slaforge.entrypoints.asgi import build_app
from slaforge.entrypoints.cli.main import run
from tests.integration.api.live_server import LiveServer

PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def environment(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The CLI reads its settings from the environment, once per process: point it at a fresh database."""
    for name in ("SLAFORGE_ENVIRONMENT", "SLAFORGE_SECRET_KEY", "SLAFORGE_NEW_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLAFORGE_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()


def cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    """Run `slaforge ARGS`: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["slaforge", *args])
    code = 0
    try:
        run()
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_init_creates_the_first_admin_and_refuses_a_second(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(monkeypatch, capsys, "init", "--email", "boss@provider.test", "--password", PASSWORD)
    assert code == 0
    assert out.strip() == "created admin boss@provider.test; sign in at /sign-in after `slaforge serve`"
    code, out, err = cli(
        monkeypatch, capsys, "init", "--email", "other@provider.test", "--password", PASSWORD
    )
    assert code == 2
    assert out == ""
    assert err == "error: an admin already exists; use `slaforge user create` to add users\n"


def test_a_customer_role_without_a_customer_is_refused_naming_the_field(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(monkeypatch, capsys, "init", "--email", "boss@provider.test", "--password", PASSWORD)
    code, out, err = cli(
        monkeypatch,
        capsys,
        "user",
        "create",
        "--email",
        "v@acme.test",
        "--role",
        "viewer",
        "--password",
        PASSWORD,
    )
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("error: ")
    assert "--customer" in err  # the option the user typed, not the service's parameter
    assert "viewer" in err


def test_user_create_makes_a_provider_user(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(monkeypatch, capsys, "init", "--email", "boss@provider.test", "--password", PASSWORD)
    monkeypatch.setenv("SLAFORGE_NEW_PASSWORD", PASSWORD)  # the documented way to skip the prompt
    code, out, err = cli(
        monkeypatch, capsys, "user", "create", "--email", "m@provider.test", "--role", "manager"
    )
    assert (code, out, err) == (0, "created manager m@provider.test\n", "")


def test_token_create_prints_a_token_that_authenticates_against_the_api(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], environment: str
) -> None:
    cli(monkeypatch, capsys, "init", "--email", "boss@provider.test", "--password", PASSWORD)
    code, out, _ = cli(
        monkeypatch, capsys, "token", "create", "--email", "boss@provider.test", "--name", "sync"
    )
    assert code == 0
    heading, secret = out.splitlines()
    assert heading.startswith("token 'sync' for boss@provider.test, expires ")
    container = bootstrap(Settings(database_url=environment, environment="test", secret_key="t" * 40))
    try:
        with LiveServer(build_app(container)) as live, httpx.Client(base_url=live.url, timeout=30) as client:
            me = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {secret}"})
            assert me.status_code == 200
            assert me.json()["email"] == "boss@provider.test"
            forged = client.get(
                "/api/v1/users/me",
                headers={"Authorization": f"Bearer {secret[:-1]}{'B' if secret.endswith('A') else 'A'}"},
            )
            assert forged.status_code == 401
    finally:
        container.engine.dispose()


def test_customers_are_created_and_listed_and_a_duplicate_is_named(
    engine: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:  # engine: a migrated database, as `slaforge db upgrade` leaves it
    code, out, _ = cli(monkeypatch, capsys, "customer", "list")
    assert (code, out) == (0, "no customers yet: slaforge customer create NAME\n")
    code, out, _ = cli(monkeypatch, capsys, "customer", "create", "Acme Logistics", "--slug", "acme")
    assert code == 0
    assert out.startswith("created customer ")
    assert out.rstrip().endswith("'Acme Logistics' (slug acme)")
    assert cli(monkeypatch, capsys, "customer", "create", "Globex")[0] == 0
    code, out, err = cli(monkeypatch, capsys, "customer", "create", "Acme Logistics")
    assert code == 2
    assert err == "error: 'Acme Logistics' is already taken (name)\n"
    code, out, _ = cli(monkeypatch, capsys, "customer", "list")
    assert [line.split()[1] for line in out.splitlines()] == ["acme", "globex"]
    code, out, _ = cli(monkeypatch, capsys, "customer", "list", "--search", "glob")
    assert [line.split()[1] for line in out.splitlines()] == ["globex"]

"""`python3 dev.py test` decides where its PostgreSQL pass runs (issue 9: it skipped that pass
silently when SLAFORGE_TEST_POSTGRES_URL was unset, even with a server on 127.0.0.1:5432)."""

from __future__ import annotations

import importlib.util
import socket
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def dev() -> ModuleType:
    # dev.py is a script at the repository's root, not a module of the package: load it by path.
    spec = importlib.util.spec_from_file_location("slaforge_dev_script", ROOT / "dev.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _never(*_args: object) -> bool:
    raise AssertionError("no probe is needed when the URL is given")


def test_a_given_url_wins_without_probing(dev: ModuleType) -> None:
    url = "postgresql+psycopg://ci@db.example:6543/postgres"
    chosen, said = dev.postgres_for_tests(
        {"SLAFORGE_TEST_POSTGRES_URL": url}, port_answers=_never, connects=_never
    )
    assert chosen == url
    assert "SLAFORGE_TEST_POSTGRES_URL" in said


def test_a_local_server_that_lets_postgres_in_is_used_when_no_url_is_given(dev: ModuleType) -> None:
    probed: list[object] = []
    chosen, said = dev.postgres_for_tests(
        {},
        port_answers=lambda host, port: probed.append((host, port)) is None,
        connects=lambda url: probed.append(url) is None,
    )
    assert chosen == "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    assert probed == [("127.0.0.1", 5432), chosen]
    assert "local server" in said
    assert "\n" not in said


def test_without_a_server_the_pass_is_skipped_with_one_line_saying_how_to_enable_it(dev: ModuleType) -> None:
    chosen, said = dev.postgres_for_tests({}, port_answers=lambda h, p: False, connects=_never)
    assert chosen is None
    assert said.startswith("PostgreSQL pass skipped")
    assert "no server answers on 127.0.0.1:5432" in said
    assert "set SLAFORGE_TEST_POSTGRES_URL=" in said
    assert "\n" not in said


def test_a_server_that_refuses_the_postgres_user_is_skipped_saying_so(dev: ModuleType) -> None:
    chosen, said = dev.postgres_for_tests({}, port_answers=lambda h, p: True, connects=lambda url: False)
    assert chosen is None
    assert "refused postgresql+psycopg://postgres@127.0.0.1:5432/postgres" in said
    assert "set SLAFORGE_TEST_POSTGRES_URL=" in said


def test_the_port_probe_tells_a_listening_port_from_a_closed_one(dev: ModuleType) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        assert dev._port_answers("127.0.0.1", port)
    assert not dev._port_answers("127.0.0.1", port)

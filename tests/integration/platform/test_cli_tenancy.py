"""A command run for a customer's user (`slaforge --as EMAIL …`) goes through the composition root's
scoped unit of work: it sees that customer's data only, and may do only what that user may."""

from __future__ import annotations

import pytest

from slaforge.config import get_settings
from slaforge.entrypoints.cli.container import act_as
from tests.integration.platform.test_cli_accounts import PASSWORD, cli


@pytest.fixture(autouse=True)
def environment(database_url: str, monkeypatch: pytest.MonkeyPatch):
    for name in ("SLAFORGE_ENVIRONMENT", "SLAFORGE_SECRET_KEY", "SLAFORGE_NEW_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SLAFORGE_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield database_url
    act_as(None)  # the option lives for one invocation; tests run many in one process
    get_settings.cache_clear()


@pytest.fixture
def two_customers(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(monkeypatch, capsys, "init", "--email", "boss@provider.test", "--password", PASSWORD)[0] == 0
    for name in ("Acme Logistics", "Globex Retail"):
        assert cli(monkeypatch, capsys, "customer", "create", name)[0] == 0
    code, _, err = cli(
        monkeypatch, capsys, "user", "create", "--email", "viewer@acme.test", "--role", "viewer",
        "--customer", "acme-logistics", "--password", PASSWORD,
    )  # fmt: skip
    assert code == 0, err


@pytest.mark.usefixtures("two_customers")
def test_the_operator_sees_every_customer(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(monkeypatch, capsys, "customer", "list")
    assert code == 0
    assert "Acme Logistics" in out
    assert "Globex Retail" in out


@pytest.mark.usefixtures("two_customers")
def test_a_customer_user_sees_only_its_own_organisation(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(monkeypatch, capsys, "--as", "viewer@acme.test", "customer", "list")
    assert code == 0, err
    assert "Acme Logistics" in out
    assert "Globex" not in out


@pytest.mark.usefixtures("two_customers")
def test_a_customer_user_cannot_reach_another_customer_by_name(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(
        monkeypatch, capsys, "--as", "viewer@acme.test", "user", "create", "--email", "spy@globex.test",
        "--role", "viewer", "--customer", "globex-retail", "--password", PASSWORD,
    )  # fmt: skip
    assert code == 2
    assert out == ""
    assert "globex-retail" in err


@pytest.mark.usefixtures("two_customers")
def test_a_customer_user_may_not_do_what_its_role_may_not(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(monkeypatch, capsys, "--as", "viewer@acme.test", "customer", "create", "Initech")
    assert code == 2
    assert err.startswith("error: ")
    code, out, _ = cli(monkeypatch, capsys, "customer", "list")
    assert "Initech" not in out


@pytest.mark.usefixtures("two_customers")
def test_an_unknown_user_is_refused_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(monkeypatch, capsys, "--as", "nobody@nowhere.test", "customer", "list")
    assert (code, out) == (2, "")
    assert err == "error: no active user 'nobody@nowhere.test' (--as); list them with `slaforge user list`\n"


@pytest.mark.usefixtures("two_customers")
def test_agreement_commands_see_through_the_users_eyes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path
) -> None:
    import re

    code, example, _ = cli(monkeypatch, capsys, "agreement", "example")
    assert code == 0
    terms = tmp_path / "terms.yaml"
    terms.write_text(example)
    for slug, title in (("acme-logistics", "Acme support"), ("globex-retail", "Globex support")):
        code, out, err = cli(
            monkeypatch,
            capsys,
            "agreement",
            "draft",
            "--customer",
            slug,
            "--title",
            title,
            "--terms",
            str(terms),
        )
        assert code == 0, err
        version_id = re.search(r"\(id (\d+)\)", out).group(1)
        code, _, err = cli(monkeypatch, capsys, "agreement", "offer", version_id)
        assert code == 0, err
    code, out, _ = cli(monkeypatch, capsys, "agreement", "list")
    assert "Acme support" in out
    assert "Globex support" in out
    code, out, err = cli(monkeypatch, capsys, "--as", "viewer@acme.test", "agreement", "list")
    assert code == 0, err
    assert "Acme support" in out
    assert "Globex" not in out

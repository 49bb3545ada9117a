"""The audit keys: where they come from (settings, a key file made outside production), how a
bad one is refused in one line naming where it was written, and what sealing needs."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from slaforge.adapters.platform.audit_keys import load_key_ring
from slaforge.bootstrap import settings_audit_keys
from slaforge.config import Settings
from slaforge.domain.platform.audit import ChainRow, seal_entry, walk_chain
from slaforge.domain.platform.audit_keys import AuditKeyError, AuditKeyRing, parse_key
from slaforge.entrypoints.cli.main import settings_problem

SECRET = "s" * 40


@pytest.fixture(autouse=True)
def _no_audit_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SLAFORGE_AUDIT_KEY", "SLAFORGE_AUDIT_KEY_FILE", "SLAFORGE_AUDIT_RETIRED_KEYS", "SLAFORGE_ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)


def test_production_without_an_audit_key_refuses_to_build_its_settings() -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(environment="production", secret_key="k" * 40)
    assert settings_problem(caught.value).startswith(
        "SLAFORGE_AUDIT_KEY (ID:SECRET) or SLAFORGE_AUDIT_KEY_FILE must be set in production"
    )
    assert Settings(environment="production", secret_key="k" * 40, audit_key=f"prod1:{SECRET}")


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("no-colon-here" + "x" * 40, "an audit key is written ID:SECRET"),
        ("k1:short", "the secret of key 'k1' has 5 characters; at least 32 are needed"),
        (f"bad id:{SECRET}", "the key id 'bad id' must be 1-40 letters"),
    ],
)
def test_a_malformed_audit_key_is_refused_naming_the_setting(value: str, says: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(audit_key=value)
    assert settings_problem(caught.value).startswith("SLAFORGE_AUDIT_KEY: the value: ")
    assert says in settings_problem(caught.value)
    with pytest.raises(ValidationError) as retired:
        Settings(audit_retired_keys=f"old:{SECRET},{value}")
    assert settings_problem(retired.value).startswith("SLAFORGE_AUDIT_RETIRED_KEYS: key 2: ")


def test_outside_production_a_key_file_is_made_once_under_the_data_dir(tmp_path: Path) -> None:
    settings = Settings(environment="development", data_dir=tmp_path / "var")
    first = settings_audit_keys(settings)()
    path = tmp_path / "var" / "audit.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first.current.id.startswith("k")
    again = settings_audit_keys(Settings(environment="development", data_dir=tmp_path / "var"))()
    assert again.current == first.current  # read, not made again


def test_in_production_a_missing_key_file_is_an_error_not_a_new_key(tmp_path: Path) -> None:
    missing = tmp_path / "audit.key"
    settings = Settings(environment="production", secret_key="k" * 40, audit_key_file=str(missing))
    with pytest.raises(AuditKeyError, match=f"the audit key file {missing} does not exist"):
        settings_audit_keys(settings)()
    assert not missing.exists()


def test_a_key_file_seals_with_its_first_line_and_verifies_with_the_others(tmp_path: Path) -> None:
    path = tmp_path / "keys"
    path.write_text(f"# rotated 2026-12\nnew:{SECRET}\n\nold:{'o' * 40}\n", encoding="utf-8")
    ring = load_key_ring(key="", retired=f"older:{'p' * 40}", key_file=path, create_file=False)
    assert ring.ids == ["new", "old", "older"]
    path.write_text(f"new:{SECRET}\nold:short\n", encoding="utf-8")
    with pytest.raises(AuditKeyError, match=f"{path} line 2: the secret of key 'old'"):
        load_key_ring(key="", retired="", key_file=path, create_file=False)


def test_a_key_id_configured_twice_is_refused() -> None:
    with pytest.raises(AuditKeyError, match="configured more than once: k1"):
        AuditKeyRing(parse_key(f"k1:{SECRET}", where="a"), (parse_key(f"k1:{'t' * 40}", where="b"),))


def test_the_same_entry_sealed_under_two_keys_differs_and_each_verifies_only_with_its_own() -> None:
    k1, k2 = parse_key(f"k1:{SECRET}", where="t"), parse_key(f"k2:{'t' * 40}", where="t")
    fields = {"seq": 1, "action": "user.created"}
    assert seal_entry(k1, "0" * 64, fields) != seal_entry(k2, "0" * 64, fields)
    row = ChainRow(1, fields, "0" * 64, seal_entry(k1, "0" * 64, fields), "k1")
    assert walk_chain([row], AuditKeyRing(k2, (k1,))).problem is None
    forged = ChainRow(1, fields, "0" * 64, seal_entry(k2, "0" * 64, fields), "k1")
    problem = walk_chain([forged], AuditKeyRing(k2, (k1,))).problem
    assert problem is not None
    assert "its seal does not match audit key 'k1'" in problem.reason
    assert "secret" not in repr(k1)
    assert SECRET not in repr(k1)

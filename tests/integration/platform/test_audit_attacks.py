"""Attacks on the audit log by someone who can write the database (issue 10): each one must make
`slaforge audit verify`, run as cron or CI runs it (the console script), exit 1 and say what it
found. The chain is keyed (HMAC under a key the attacker lacks) and anchored by a signed
checkpoint in a file, which catches what re-sealing cannot hide: a truncated or emptied log."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from slaforge.adapters.db.models.platform.audit import AuditEntry, AuditHead
from slaforge.domain.platform.audit import GENESIS, entry_hash
from slaforge.domain.platform.canonical import canonical_json
from slaforge.services.platform import audit
from slaforge.services.unit_of_work import UnitOfWork
from tests.fakes import TEST_AUDIT_KEY

SCRIPT = str(Path(sys.executable).with_name("slaforge"))
T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
OTHER_KEY = "k2027:" + "rotated-audit-secret-" * 3


def write_entries(uow: UnitOfWork, n: int, *, start: int = 0) -> None:
    with uow:
        for i in range(start, start + n):
            audit.record(
                uow,
                actor="manager@example.test",
                action="agreement.offered" if i % 2 else "agreement.drafted",
                subject_type="agreement",
                subject_id=7,
                at=T0 + timedelta(minutes=i, microseconds=123),
                data={"version": i + 1},
            )
        uow.commit()


def slaforge(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The installed console script (this checkout's code through PYTHONPATH), with the test's
    audit key from the environment unless `env` says otherwise."""
    return subprocess.run(
        [SCRIPT, *args], capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})}
    )


def verify(database_url: str, checkpoints: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return slaforge("audit", "verify", "--database-url", database_url, "--checkpoints", str(checkpoints), env=env)


def said(done: subprocess.CompletedProcess[str]) -> str:
    return " ".join((done.stdout + done.stderr).split())


@pytest.fixture
def checkpoints(tmp_path: Path) -> Path:
    return tmp_path / "anchor" / "audit-checkpoints.jsonl"


@pytest.fixture
def anchored(uow: UnitOfWork, database_url: str, checkpoints: Path) -> Path:
    """20 entries and a signed checkpoint of them, written by `slaforge audit checkpoint`."""
    write_entries(uow, 20)
    done = slaforge("audit", "checkpoint", "--database-url", database_url, "--file", str(checkpoints))
    assert done.returncode == 0, done.stderr
    assert "20 entries ending in #20" in done.stdout
    return checkpoints


def reseal(engine: Engine, seal: Callable[[str, AuditEntry], tuple[str, str | None]]) -> None:
    """The attacker's rewrite: change entry 3, then recompute every hash after it with `seal`
    (prev hash, entry → hash, key id) and set the head to the new end."""
    with Session(engine) as session, session.begin():
        prev = GENESIS
        for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.seq)):
            if entry.seq == 3:
                entry.actor = "intruder@example.test"
            entry.prev_hash = prev
            entry.hash, entry.key_id = seal(prev, entry)
            prev = entry.hash
        head = session.get(AuditHead, 1)
        assert head is not None
        head.last_hash = prev


def plain_sha256_unkeyed(prev: str, entry: AuditEntry) -> tuple[str, str | None]:
    return entry_hash(prev, entry.hashed_fields()), None  # passed off as entries from before keys


def plain_sha256_under_the_key_id(prev: str, entry: AuditEntry) -> tuple[str, str | None]:
    return entry_hash(prev, entry.hashed_fields()), "test-k1"


def hmac_with_a_guessed_key(prev: str, entry: AuditEntry) -> tuple[str, str | None]:
    body = canonical_json({"prev": prev, "key": "test-k1", "entry": entry.hashed_fields()})
    return hmac.new(b"guessed" * 6, body.encode(), hashlib.sha256).hexdigest(), "test-k1"


def test_an_intact_chain_with_its_checkpoint_exits_0(anchored: Path, database_url: str) -> None:
    done = verify(database_url, anchored)
    assert done.returncode == 0, done.stderr
    assert "audit log intact: 20 entries, every seal matches (20 under 'test-k1')" in done.stdout
    assert "agrees with 1 checkpoint(s)" in done.stdout
    assert "records 20 entries ending in #20" in done.stdout


def test_an_edited_row_is_named(anchored: Path, database_url: str, engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET actor = 'intruder@example.test' WHERE seq = 3"))
    done = verify(database_url, anchored)
    assert done.returncode == 1
    assert "entry 3: its seal does not match audit key 'test-k1'" in said(done)


def test_a_deleted_middle_row_is_named(anchored: Path, database_url: str, engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entries WHERE seq = 9"))
    done = verify(database_url, anchored)
    assert done.returncode == 1
    assert "entry 10: entry 9 is missing" in said(done)
    assert "the chain holds 19 entries up to #20" in said(done)  # and the checkpoint no longer holds


def test_a_deleted_tail_with_a_rewritten_head_is_caught_by_the_checkpoint(
    anchored: Path, database_url: str, engine: Engine
) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entries WHERE seq > 17"))
        conn.execute(
            text(
                "UPDATE audit_head SET last_seq = 17, entries = 17, "
                "last_hash = (SELECT hash FROM audit_entries WHERE seq = 17)"
            )
        )
    done = verify(database_url, anchored)
    assert done.returncode == 1
    assert f"entries after #17 were removed: checkpoint {anchored}:1 of 20" in said(done)
    assert "records 20 entries ending in #20" in said(done)


@pytest.mark.parametrize(
    ("seal", "names"),
    [
        (plain_sha256_unkeyed, "all 20 entries are unkeyed (plain SHA-256"),
        (plain_sha256_under_the_key_id, "entry 1: its seal does not match audit key 'test-k1'"),
        (hmac_with_a_guessed_key, "entry 1: its seal does not match audit key 'test-k1'"),
    ],
    ids=["plain-sha256-as-unkeyed", "plain-sha256-as-keyed", "wrong-key"],
)
def test_a_chain_recomputed_without_the_key_is_named(
    anchored: Path, database_url: str, engine: Engine, seal: Callable[[str, AuditEntry], tuple[str, str | None]], names: str
) -> None:
    reseal(engine, seal)
    done = verify(database_url, anchored)
    assert done.returncode == 1
    assert names in said(done)
    assert "entry #20 is not the entry checkpointed, the chain was rewritten" in said(done)


def test_emptied_tables_are_caught_by_the_checkpoint(anchored: Path, database_url: str, engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entries"))
        conn.execute(text("DELETE FROM audit_head"))
    done = verify(database_url, anchored)
    assert done.returncode == 1
    assert f"all entries were removed: checkpoint {anchored}:1" in said(done)
    assert "(0 entries and 1 checkpoint(s) checked)" in said(done)


def test_an_edited_checkpoint_is_named(anchored: Path, database_url: str) -> None:
    line = json.loads(anchored.read_text())
    line["seq"], line["entries"] = 17, 17  # to make room for a truncation
    anchored.write_text(json.dumps(line) + "\n", encoding="utf-8")
    done = verify(database_url, anchored)
    assert done.returncode == 1
    assert f"checkpoint {anchored}:1 does not match its signature" in said(done)


def test_without_a_checkpoint_verify_says_so_and_can_be_made_to_fail(
    uow: UnitOfWork, database_url: str, checkpoints: Path
) -> None:
    write_entries(uow, 3)
    done = verify(database_url, checkpoints)
    assert done.returncode == 0, done.stderr
    assert f"note: no checkpoint in {checkpoints}" in done.stdout
    strict = slaforge("audit", "verify", "--database-url", database_url, "--checkpoints", str(checkpoints),
                      "--require-checkpoint")  # fmt: skip
    assert strict.returncode == 1
    assert "no checkpoint found" in said(strict)


def test_after_rotation_entries_under_the_retired_key_still_verify(
    anchored: Path, database_url: str, session_factory
) -> None:
    from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
    from slaforge.domain.platform.audit_keys import AuditKeyRing, parse_key

    rotated = AuditKeyRing(parse_key(OTHER_KEY, where="test"), (parse_key(TEST_AUDIT_KEY, where="test"),))
    write_entries(SqlAlchemyUnitOfWork(session_factory, audit_keys=lambda: rotated), 5, start=20)
    env = {"SLAFORGE_AUDIT_KEY": OTHER_KEY, "SLAFORGE_AUDIT_RETIRED_KEYS": TEST_AUDIT_KEY}
    done = verify(database_url, anchored, **env)
    assert done.returncode == 0, done.stderr
    assert "25 entries, every seal matches (20 under 'test-k1', 5 under 'k2027')" in done.stdout
    # A new checkpoint is signed with the new key; the old one, under the retired key, still counts.
    cp = slaforge("audit", "checkpoint", "--database-url", database_url, "--file", str(anchored), env=env)
    assert cp.returncode == 0, cp.stderr
    assert "key 'k2027'" in cp.stdout
    assert verify(database_url, anchored, **env).returncode == 0
    # Without the retired key the old entries cannot be checked: said so, exit 1.
    missing = verify(database_url, anchored, SLAFORGE_AUDIT_KEY=OTHER_KEY)
    assert missing.returncode == 1
    assert "entry 1: it was sealed with audit key 'test-k1', which is not configured" in said(missing)
    assert "signed with audit key 'test-k1', which is not configured" in said(missing)


def test_entries_from_before_keys_verify_once_sealed(uow: UnitOfWork, database_url: str, engine: Engine,
                                                     checkpoints: Path) -> None:  # fmt: skip
    # As migration 0010 leaves them: plain SHA-256 hashes and no key id.
    write_entries(uow, 4)
    reseal(engine, plain_sha256_unkeyed)
    done = verify(database_url, checkpoints)
    assert done.returncode == 1
    assert "all 4 entries are unkeyed" in said(done)
    assert "slaforge audit seal-legacy" in said(done)
    sealed = slaforge("audit", "seal-legacy", "--database-url", database_url)
    assert sealed.returncode == 0, sealed.stderr
    assert "entry #5 under key 'test-k1' covers 4 unkeyed entries" in sealed.stdout
    after = verify(database_url, checkpoints)
    assert after.returncode == 0, after.stderr
    assert "the first 4 entries are unkeyed" in after.stdout
    # From now on an unkeyed entry cannot be slipped in after the keyed ones, nor the old ones changed.
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET action = 'agreement.withdrawn' WHERE seq = 2"))
    assert "entry 2: its content was changed" in said(verify(database_url, checkpoints))


def test_a_tampered_log_gets_no_checkpoint(uow: UnitOfWork, database_url: str, engine: Engine,
                                           checkpoints: Path) -> None:  # fmt: skip
    write_entries(uow, 3)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET actor = 'intruder@example.test' WHERE seq = 2"))
    done = slaforge("audit", "checkpoint", "--database-url", database_url, "--file", str(checkpoints))
    assert done.returncode == 1
    assert "no checkpoint written: the audit log does not verify (entry 2" in said(done)
    assert not checkpoints.exists()


def test_migration_0010_keeps_earlier_entries_as_unkeyed(database_url: str, checkpoints: Path) -> None:
    """Entries written at 0009 (plain SHA-256) come through 0010 with no key id and unchanged
    hashes; verify calls them unkeyed until a keyed entry seals them."""
    from slaforge.adapters.db.engine import make_engine
    from slaforge.adapters.db.migrate import upgrade

    upgrade(database_url, "0009_audit_head")
    engine = make_engine(database_url)
    try:
        prev = GENESIS
        with engine.begin() as conn:
            for seq in (1, 2):
                at = T0 + timedelta(minutes=seq)
                fields = {"seq": seq, "at": at.isoformat(timespec="microseconds"), "actor": "a@example.test",
                          "action": "agreement.drafted", "subject_type": "agreement", "subject_id": "7",
                          "data": {}}  # fmt: skip
                own = entry_hash(prev, fields)
                conn.execute(
                    text("INSERT INTO audit_entries (seq, at, actor, action, subject_type, subject_id, data, "
                         "prev_hash, hash) VALUES (:seq, :at, 'a@example.test', 'agreement.drafted', "
                         "'agreement', '7', '{}', :prev, :own)"),
                    {"seq": seq, "at": at.replace(tzinfo=None), "prev": prev, "own": own},
                )  # fmt: skip
                prev = own
            conn.execute(text("UPDATE audit_head SET last_seq = 2, last_hash = :h, entries = 2"), {"h": prev})
        upgrade(database_url)
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT key_id, hash FROM audit_entries ORDER BY seq")).all()
        assert [r[0] for r in rows] == [None, None]
        assert rows[1][1] == prev
    finally:
        engine.dispose()
    done = verify(database_url, checkpoints)
    assert done.returncode == 1
    assert "all 2 entries are unkeyed" in said(done)
    assert slaforge("audit", "seal-legacy", "--database-url", database_url).returncode == 0
    assert verify(database_url, checkpoints).returncode == 0

"""The demo's step 2 on a small generated history: an agreement drafted from the study is accepted
by a genuinely signed Stripe test event; a second waits on its signature link."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from slaforge.adapters.db.engine import make_engine, make_session_factory
from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.bootstrap import units_on
from slaforge.services.agreement import link_offers as acceptance
from slaforge.services.agreement import reading
from slaforge.services.demo.agreements import run_demo_agreements
from slaforge.services.demo.walk import run_demo
from tests.fakes import TEST_AUDIT_KEYS

# The demo builds its own SQLite database whatever --database says: one pass is enough.
pytestmark = pytest.mark.sqlite_only

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_the_demo_agreement_is_accepted_by_a_signed_stripe_event(tmp_path):
    result = run_demo(connect=units_on, data_dir=tmp_path, shared_data_dir=tmp_path / "absent", use_real_data=False,
                      synthetic_incidents=400, clock=lambda: NOW)
    assert result.study is not None
    demo = result.agreements
    assert demo is not None
    engine = make_engine(f"sqlite:///{result.database_path}")
    try:
        uow = SqlAlchemyUnitOfWork(make_session_factory(engine), audit_keys=lambda: TEST_AUDIT_KEYS)
        view = reading.get_version(uow=uow, version_id=demo.version_id)
        assert view.state == "accepted"
        assert view.source.get("study_id") == result.study.study_id
        [evidence] = view.acceptances
        assert (evidence.method, evidence.payment_id, evidence.webhook_event_id) == ("payment", demo.payment_id, demo.stripe_event_id)
        assert evidence.accepted_hash == demo.content_hash == view.content_hash
        assert demo.audit_intact
        assert demo.audit_entries > 5
        page = acceptance.open_link(uow=uow, token=demo.link_path.rsplit("/", 1)[1], now=NOW)
        assert page.version.version_id == demo.offered_version_id
        assert page.version.state == "offered"
    finally:
        engine.dispose()


def test_a_history_too_small_for_any_objective_gives_no_agreement_and_no_error(tmp_path):
    result = run_demo(connect=units_on, data_dir=tmp_path, shared_data_dir=tmp_path / "absent", use_real_data=False,
                      synthetic_incidents=50, clock=lambda: NOW)
    assert result.study is not None
    assert result.agreements is None
    engine = make_engine(f"sqlite:///{result.database_path}")
    try:
        assert run_demo_agreements(uow=SqlAlchemyUnitOfWork(make_session_factory(engine), audit_keys=lambda: TEST_AUDIT_KEYS), study_id=result.study.study_id, now=NOW) is None
    finally:
        engine.dispose()

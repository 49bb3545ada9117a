"""The provider's appendix "Underpinning commitments" on a real database: each objective with the
contracts it rests on and the warnings standing, in Markdown, HTML and PDF; never in the customer's
document or content hash (two agreements differing only in their links get the same hash); a
customer user is told it does not exist; the CLI writes it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from slaforge.adapters.db.unit_of_work import SqlAlchemyUnitOfWork
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.platform.tenancy import Scope
from slaforge.services.agreement import drafts, reading
from slaforge.services.relationship import underpinning as up
from slaforge.services.relationship.underpinning_appendix import underpinning_appendix
from tests.agreement_setup import MANAGER, NOW, offer
from tests.cli_in_process import run_cli
from tests.integration.relationship.test_underpinning import ACT, _draft, _supplier

LATE = "Resolution of P1 is promised within 8 business hours, but Mailhost has 2 business days (20 h)"


def _md(uow: SqlAlchemyUnitOfWork, agreement: int, number: int | None = None) -> str:
    return underpinning_appendix(uow=uow, agreement_id=agreement, now=NOW, fmt="md", number=number).decode()


def test_the_appendix_lists_each_objective_its_contracts_and_the_warnings(uow: SqlAlchemyUnitOfWork) -> None:
    agreement = _draft(uow)
    contract = _supplier(uow)
    before = _md(uow, agreement)
    assert "## Objective 0: Resolution of P1 within 8 business hours (90 % a month)" in before
    assert "Rests on no recorded contract." in before
    assert "None: every linked promise holds." in before

    up.link_contract(uow=uow, agreement_id=agreement, objective_index=0, contract_id=contract, **ACT)
    text = _md(uow, agreement)
    assert text.startswith("# Underpinning commitments — SLA Acme Ltd\n")
    assert "PROVIDER ONLY" in text
    assert "not covered by its content hash" in text
    assert "Version 1 (draft); the version is a draft, with no content hash yet." in text
    row = (
        "| Mailhost | UC (underpinning contract) | Mailhost Ltd | P1: 2 business days (20 h) "
        "| Mon–Fri 08:00-18:00 (Europe/Berlin) |"
    )
    assert row in text
    assert f"- **Warning (late):** {LATE}" in text
    assert "1 warning in all." in text
    assert "## Objective 1: Availability of Managed e-mail (99.9 %)" in text

    html = underpinning_appendix(uow=uow, agreement_id=agreement, now=NOW, fmt="html").decode()
    assert "<td>Mailhost</td>" in html
    assert "PROVIDER ONLY" in html
    assert LATE in html
    pdf = underpinning_appendix(uow=uow, agreement_id=agreement, now=NOW, fmt="pdf")
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 2_000
    with pytest.raises(InvalidInput) as bad:
        underpinning_appendix(uow=uow, agreement_id=agreement, now=NOW, fmt="docx")
    assert bad.value.field == "format"


def test_an_earlier_version_keeps_its_own_appendix(uow: SqlAlchemyUnitOfWork) -> None:
    agreement = _draft(uow)
    contract = _supplier(uow)
    up.link_contract(uow=uow, agreement_id=agreement, objective_index=0, contract_id=contract, **ACT)
    first = up.check_underpinning(uow=uow, agreement_id=agreement, now=NOW)
    content_hash = offer(uow, first.version_id)
    drafts.new_version(uow=uow, agreement_id=agreement, actor=MANAGER.email, now=NOW)
    up.unlink_contract(uow=uow, agreement_id=agreement, objective_index=0, contract_id=contract, **ACT)

    old = _md(uow, agreement, 1)
    assert f"Version 1 (offered); the version's content hash is `{content_hash}`." in old
    assert "| Mailhost |" in old
    new = _md(uow, agreement)
    assert "Version 2 (draft)" in new
    assert "| Mailhost |" not in new
    with pytest.raises(NotFound, match="no version 7"):
        _md(uow, agreement, 7)


def test_names_a_person_typed_cannot_break_the_table(uow: SqlAlchemyUnitOfWork) -> None:
    agreement = _draft(uow)
    odd = up.create_contract(
        uow=uow,
        kind="ola",
        name="Ops | <b>night</b> *desk*",
        counterparty="[x](javascript:alert(1))",
        calendar={"timezone": "UTC", "hours": {"sat": ["00:00-24:00"], "sun": ["00:00-24:00"]}},
        targets={"resolution": {"*": 3600}},
        **ACT,
    ).id
    up.link_contract(uow=uow, agreement_id=agreement, objective_index=0, contract_id=odd, **ACT)
    html = underpinning_appendix(uow=uow, agreement_id=agreement, now=NOW, fmt="html").decode()
    assert "<td>Ops | &lt;b&gt;night&lt;/b&gt; *desk*</td>" in html
    assert "<b>night</b>" not in html
    assert 'href="javascript' not in html
    assert "Sat–Sun 00:00-24:00 (UTC)" in html


def test_linking_changes_nothing_the_customer_gets(uow: SqlAlchemyUnitOfWork) -> None:
    # Two agreements of one customer, drafted alike: only the first rests on a contract.
    linked = _draft(uow)
    customer = reading.get_version(
        uow=uow, version_id=up.check_underpinning(uow=uow, agreement_id=linked, now=NOW).version_id
    ).customer_id
    plain = drafts.draft_agreement(
        uow=uow,
        customer_id=customer,
        title="SLA Acme Ltd",
        terms=reading.get_version(
            uow=uow, version_id=up.check_underpinning(uow=uow, agreement_id=linked, now=NOW).version_id
        ).terms,
        template_keys=None,
        actor=MANAGER.email,
        now=NOW,
    ).agreement_id
    up.link_contract(uow=uow, agreement_id=linked, objective_index=0, contract_id=_supplier(uow), **ACT)
    ids = [up.check_underpinning(uow=uow, agreement_id=a, now=NOW).version_id for a in (linked, plain)]
    drafts_md = [reading.render_version(uow=uow, version_id=v, fmt="markdown") for v in ids]
    assert drafts_md[0] == drafts_md[1]
    hashes = [offer(uow, v) for v in ids]
    assert hashes[0] == hashes[1]  # the links are in neither the document nor the hashed terms
    views = [reading.get_version(uow=uow, version_id=v) for v in ids]
    assert views[0].terms == views[1].terms
    assert views[0].hash_verified
    assert "Mailhost" not in (views[0].document or "")
    for fmt in ("markdown", "html"):
        assert b"Mailhost" not in reading.render_version(uow=uow, version_id=ids[0], fmt=fmt)
    assert "| Mailhost |" in _md(uow, linked)


def test_a_customer_user_is_told_the_appendix_does_not_exist(
    session_factory, uow: SqlAlchemyUnitOfWork
) -> None:
    agreement = _draft(uow)
    up.link_contract(uow=uow, agreement_id=agreement, objective_index=0, contract_id=_supplier(uow), **ACT)
    view = reading.get_version(
        uow=uow, version_id=up.check_underpinning(uow=uow, agreement_id=agreement, now=NOW).version_id
    )
    offer(uow, view.version_id)  # offered: the customer may read the agreement itself
    own = SqlAlchemyUnitOfWork(session_factory, scope=Scope(view.customer_id), audit_keys=uow._audit_keys)
    assert reading.get_version(uow=own, version_id=view.version_id).version_id == view.version_id
    for fmt in ("md", "html", "pdf"):  # refused before anything is rendered
        with pytest.raises(NotFound):
            underpinning_appendix(uow=own, agreement_id=agreement, now=NOW, fmt=fmt)


@pytest.mark.sqlite_only  # the console script opens the test's SQLite file
def test_the_cli_writes_the_appendix(database_url: str, uow: SqlAlchemyUnitOfWork, tmp_path: Path) -> None:
    agreement = _draft(uow)
    up.link_contract(uow=uow, agreement_id=agreement, objective_index=0, contract_id=_supplier(uow), **ACT)
    env = {**os.environ, "SLAFORGE_DATABASE_URL": database_url}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli("relationship", "underpinning", "appendix", *args, env=env)

    shown = run(str(agreement))
    assert shown.returncode == 0, shown.stderr
    assert "| Mailhost | UC (underpinning contract) |" in shown.stdout
    pdf = tmp_path / "appendix.pdf"
    written = run(str(agreement), "--version", "1", "--format", "pdf", "--out", str(pdf))
    assert written.returncode == 0, written.stderr
    assert pdf.read_bytes().startswith(b"%PDF-")
    refused = run(str(agreement), "--format", "pdf")
    assert refused.returncode == 2
    assert "--out" in refused.stdout + refused.stderr
    missing = run(str(agreement), "--version", "3")
    assert missing.returncode != 0
    assert "has no version 3" in missing.stdout + missing.stderr

"""Service credits out of slaforge: every closed period's credit lines as CSV for the billing
system, and, when a period closes or is adjusted, a signed webhook (`sla.credit`,
`sla.credit_adjusted`) to the configured webhook URLs with the period's lines and its credit
after the cap — queued in the outbox once per agreement, period and figures (its dedupe key)."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from datetime import datetime

from slaforge.domain.platform.canonical import canonical_json
from slaforge.services.agreement.core import load_agreement
from slaforge.services.live import compliance
from slaforge.services.platform import notifications
from slaforge.services.unit_of_work import UnitOfWork

CSV_COLUMNS = (
    "agreement_id",
    "version",
    "period",
    "objective",
    "metric",
    "closed",
    "adjusted",
    "attainment",
    "threshold",
    "tier_below",
    "credit",
    "period_credit",
    "capped",
)


def _rows(c: compliance.Compliance) -> list[dict[str, object]]:
    return [
        {
            "agreement_id": c.agreement_id,
            "version": c.version,
            "period": o.figures.get("label", c.period),
            "objective": o.objective,
            "metric": o.metric,
            "closed": o.closed,
            "adjusted": bool(o.adjustments),
            "attainment": o.figures.get("attainment"),
            "threshold": o.figures.get("threshold"),
            "tier_below": None if o.credit is None else o.credit.below,
            "credit": 0.0 if o.credit is None else o.credit.credit,
            "period_credit": c.credit,
            "capped": c.capped,
        }
        for o in c.objectives
    ]


def credits_csv(*, uow: UnitOfWork, agreement_id: int, now: datetime) -> str:
    """Every closed period of the agreement, one line per objective (exact shares, as stored)."""
    with uow:
        load_agreement(uow, agreement_id)  # another customer's agreement: not found, not an empty file
        labels = sorted({p.label for p in uow.live.periods_of(agreement_id)})
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for label in labels:
        c = compliance.compliance_of(uow=uow, agreement_id=agreement_id, now=now, period=label)
        writer.writerows(r for r in _rows(c) if r["closed"])
    return out.getvalue()


def announce(
    uow: UnitOfWork, agreement_id: int, labels: Sequence[str], now: datetime, *, adjusted: bool
) -> int:
    """Queue the credit webhook of each period (in the caller's transaction); how many were queued."""
    config = uow.notify
    if config is None or not config.webhook_urls:
        return 0
    queued = 0
    for label in labels:
        c = compliance.compliance_of(uow=uow.joined(), agreement_id=agreement_id, now=now, period=label)
        lines = _rows(c)
        digest = hashlib.sha256(canonical_json(lines).encode()).hexdigest()[:16]
        kind = "sla.credit_adjusted" if adjusted else "sla.credit"
        item = notifications.Outgoing(
            event=kind,
            dedupe=f"credit:{agreement_id}:{label}:{digest}",
            subject=f"[SLA] agreement {agreement_id} {label}: credit {c.credit * 100:.2f} % of the charge",
            body=f"Credit lines of agreement {agreement_id} for {label}; the period's credit after the cap: "
            f"{c.credit * 100:.2f} %.",
            payload={
                "agreement_id": agreement_id,
                "period": label,
                "credit": c.credit,
                "capped": c.capped,
                "credit_cap": c.credit_cap,
                "lines": lines,
                "rule": c.rule,
            },
        )
        queued += len(notifications.queue(uow, item, emails=[], webhooks=config.webhook_urls, now=now))
    return queued

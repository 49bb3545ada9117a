"""Use cases of customer expectations: record one, list and remove them, import a CSV file (all or
nothing), and the gap analysis against the provider's history.

    record_expectation(uow=uow, actor=manager, customer_id=3, fields={"metric": "resolution",
                       "priority": "P1", "target": "4h", "importance": "must-have"}, now=now)
    gaps = gap_analysis(uow=uow, customer_id=3)       # list[Gap], worst verdicts are negotiation points

Every function loads the customer through the caller's scoped unit of work first, so another
customer's expectations are NotFound, never Forbidden. The questionnaire reached by an
invitation link lives in expectation_invites.py.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slaforge.adapters.db.background.repository import BackgroundRepository
from slaforge.adapters.db.models import Customer, Expectation
from slaforge.domain.background.expectations import (
    CSV_COLUMNS,
    REQUIRED_COLUMNS,
    ExpectationInput,
    Source,
    parse_rows,
    validate,
)
from slaforge.domain.background.study.metrics import curve_grid
from slaforge.domain.errors import ImportRejected, InvalidInput, NotFound, RowProblem
from slaforge.domain.platform.accounts import Permission, PermissionDenied, Principal, Role
from slaforge.domain.platform.listing import ListQuery, Page
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.services.background.gaps import Gap, analyse, load_basis
from slaforge.services.platform import audit
from slaforge.services.unit_of_work import UnitOfWork

__all__ = [
    "Gap",
    "GapReport",
    "delete_expectations",
    "gap_analysis",
    "gap_report",
    "import_expectations_csv",
    "list_expectations",
    "page_expectations",
    "record_expectation",
]

DEFAULT_DAY_SECONDS = 8 * 3600.0  # "1 business day" when no calendar says otherwise
MAX_CSV_ROWS = 1000  # a customer states tens of expectations; thousands means the wrong file
SYSTEM = "command line"


def load_customer(repo: BackgroundRepository, customer_id: int) -> Customer:
    customer = repo.customer(customer_id)
    if customer is None:
        raise NotFound(f"no customer {customer_id}")
    return customer


def require_writer(actor: Principal | None) -> str:
    """Who may state a customer's expectations: the provider's managers, and the customer's own
    admin (tenancy has already limited a customer user to its own organisation)."""
    if actor is None:
        return SYSTEM
    if actor.is_provider:
        actor.require(Permission.CATALOG_WRITE)
    elif actor.role != Role.CUSTOMER_ADMIN:
        raise PermissionDenied(f"the role '{actor.role}' may not change expectations")
    return actor.email


def day_seconds(repo: BackgroundRepository) -> float:
    """Length of "1 business day": the newest study's calendar, else the only stored one."""
    params = repo.newest_study_parameters()
    if params is not None and "calendar" in params:
        return BusinessCalendar.from_dict(params["calendar"]).typical_day_seconds()
    try:
        return load_basis(repo, None).calendar.typical_day_seconds()
    except InvalidInput:
        return DEFAULT_DAY_SECONDS


def store(
    uow: UnitOfWork,
    customer_id: int,
    items: Sequence[ExpectationInput],
    *,
    source: Source,
    who: str,
    now: datetime,
) -> list[Expectation]:
    """Insert `items`, each replacing the customer's expectation with the same metric and priority."""
    existing = {
        (e.metric, (e.priority or "").lower() or None): e for e in uow.background.expectations_of(customer_id)
    }
    out = []
    for item in items:
        old = existing.get((item.metric.value, (item.priority or "").lower() or None))
        if old is not None:
            uow.background.delete(old)
        row = Expectation(
            customer_id=customer_id,
            metric=item.metric.value,
            priority=item.priority,
            target_seconds=item.target_seconds,
            target_percent=item.target_percent,
            importance=item.importance.value,
            comment=item.comment,
            source=source.value,
            recorded_by=who,
            recorded_at=now,
        )
        uow.background.add(row)
        out.append(row)
    uow.flush()
    return out


def _record(
    uow: UnitOfWork, who: str, action: str, customer_id: int, now: datetime, rows: Sequence[Expectation],
    **data: Any,
) -> None:
    """One entry for the customer, naming what was stated (a CSV file's rows together)."""
    stated = [
        {"id": r.id, "metric": r.metric, "priority": r.priority, "target_seconds": r.target_seconds,
         "target_percent": r.target_percent, "importance": r.importance}
        for r in rows
    ]  # fmt: skip
    audit.record(uow, actor=who, action=action, subject_type="customer", subject_id=customer_id, at=now,
                 data={**data, "expectations": stated})  # fmt: skip


def record_expectation(
    *,
    uow: UnitOfWork,
    actor: Principal | None,
    customer_id: int,
    fields: Mapping[str, Any],
    now: datetime,
    source: Source = Source.API,
) -> Expectation:
    """One expectation (metric, priority, target, importance, comment); replaces an earlier one."""
    with uow:
        load_customer(uow.background, customer_id)
        who = require_writer(actor)
        item = validate(
            metric=fields.get("metric"),
            priority=fields.get("priority"),
            target=fields.get("target"),
            importance=fields.get("importance") or "important",
            comment=fields.get("comment") or "",
            day_seconds=day_seconds(uow.background),
        )
        (row,) = store(uow, customer_id, [item], source=source, who=who, now=now)
        _record(uow, who, "expectation.recorded", customer_id, now, [row], source=source.value)
        uow.commit()
        return row


def list_expectations(
    *, uow: UnitOfWork, actor: Principal | None, customer_id: int | None = None, metric: str | None = None
) -> list[Expectation]:
    """Expectations the caller may see, by customer, metric and priority."""
    with uow:
        if customer_id is not None:
            load_customer(uow.background, customer_id)
        return uow.background.expectations(customer_id=customer_id, metric=metric)


def page_expectations(*, uow: UnitOfWork, actor: Principal | None, query: ListQuery) -> Page[Expectation]:
    """A page of the expectations the caller may see. Filters: customer_id (another customer's is
    NotFound, as for list_expectations), metric, priority, importance, source."""
    with uow:
        customer_id = query.filters.get("customer_id")
        if customer_id is not None:
            load_customer(uow.background, customer_id)
        return uow.background.page_expectations(query)


def delete_expectations(
    *,
    uow: UnitOfWork,
    actor: Principal | None,
    customer_id: int,
    metric: str | None = None,
    priority: str | None = None,
) -> int:
    """Remove the customer's expectations, or only those of one metric (and priority); how many."""
    with uow:
        load_customer(uow.background, customer_id)
        who = require_writer(actor)
        removed = uow.background.delete_expectations(customer_id, metric=metric, priority=priority)
        if removed:
            audit.record(uow, actor=who, action="expectation.deleted", subject_type="customer",
                         subject_id=customer_id,
                         data={"metric": metric, "priority": priority, "removed": removed})  # fmt: skip
        uow.commit()
        return removed


def read_csv(text: str, file_name: str) -> list[tuple[int, dict[str, str | None]]]:
    """(line, row) pairs of a CSV file with a header; the header is line 1. Columns are named
    case-insensitively; unknown columns are refused, so a misspelt 'importance' is not ignored.
    A file the csv module cannot parse is refused naming the line, never a server error."""
    try:
        return _read_csv(text, file_name)
    except csv.Error as exc:
        problem = f"{file_name}: not a readable CSV file ({exc})"
        raise InvalidInput(problem, field="file", value=file_name) from exc


def _read_csv(text: str, file_name: str) -> list[tuple[int, dict[str, str | None]]]:
    # newline="": the csv module does its own line splitting, so a lone carriage return (an old
    # Mac line ending) ends a line instead of failing as a "new-line character in unquoted field".
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if missing or unknown:
        problems = [RowProblem(1, c, "required column is missing", file_name) for c in missing]
        allowed = ", ".join(CSV_COLUMNS)
        problems += [RowProblem(1, c, f"unknown column (use {allowed})", file_name) for c in unknown]
        raise ImportRejected(file_name, problems, 0)
    reader.fieldnames = header
    rows = []
    for row in reader:
        if reader.line_num - 1 > MAX_CSV_ROWS:
            raise InvalidInput(f"{file_name}: more than {MAX_CSV_ROWS} rows", field="file", value=file_name)
        if not any((v or "").strip() for k, v in row.items() if k is not None):
            continue  # a blank line
        if None in row:  # more cells than the header has columns
            rows.append((reader.line_num, {**row, "__extra__": "x"}))
            continue
        rows.append((reader.line_num, {k: v for k, v in row.items() if k is not None}))
    return rows


def import_expectations_csv(
    *,
    uow: UnitOfWork,
    actor: Principal | None,
    customer_id: int,
    content: bytes | str,
    file_name: str,
    now: datetime,
) -> list[Expectation]:
    """All rows or none: one bad row and nothing is stored, with every problem listed (row and
    column). Columns: metric, priority, target, importance, comment."""
    with uow:
        load_customer(uow.background, customer_id)
        who = require_writer(actor)
        try:
            text = content.decode("utf-8") if isinstance(content, bytes) else content
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"{file_name} is not UTF-8 text", field="file", value=file_name) from exc
        rows = read_csv(text, file_name)
        extra = [RowProblem(line, None, "more cells than the header has columns", file_name)
                 for line, row in rows if "__extra__" in row]  # fmt: skip
        good, problems = parse_rows(
            [r for r in rows if "__extra__" not in r[1]], day_seconds=day_seconds(uow.background)
        )
        problems = sorted([*extra, *(RowProblem(p.row, p.column, p.reason, file_name) for p in problems)],
                          key=lambda p: p.row or 0)  # fmt: skip
        if problems:
            raise ImportRejected(file_name, problems, len(rows))
        if not good:
            raise InvalidInput(f"{file_name} holds no expectations", field="file", value=file_name)
        stored = store(uow, customer_id, good, source=Source.CSV, who=who, now=now)
        _record(uow, who, "expectation.imported", customer_id, now, stored, file_name=file_name)
        uow.commit()
        return stored


@dataclass(frozen=True, slots=True)
class GapReport:
    customer_id: int
    customer_name: str
    basis: str  # which study (or the stored history) the figures come from
    study_id: int | None
    level: float
    month_share: float
    day_seconds: float
    curve_targets: tuple[float, ...]
    gaps: list[Gap]


def gap_report(
    *, uow: UnitOfWork, customer_id: int, study_id: int | None = None, now: datetime | None = None
) -> GapReport:
    """The gap analysis with what it rests on, for pages and reports. Provider only: it shows the
    provider's own history. `now` is accepted from callers that pass one, but changes no figure:
    an outage still going on runs to the end of its availability window (see gaps.analyse)."""
    with uow:
        repo = uow.background
        customer = load_customer(repo, customer_id)
        scope = getattr(uow, "scope", None)
        if scope is not None and scope.is_limited:
            raise PermissionDenied("the gap analysis is the provider's view of its own history")
        expectations = repo.expectations_by_metric(customer_id)
        basis = load_basis(repo, study_id)
        gaps = analyse(repo, expectations, basis) if expectations else []
        day = basis.calendar.typical_day_seconds()
        return GapReport(
            customer_id=customer.id,
            customer_name=customer.name,
            basis=basis.description,
            study_id=basis.study_id,
            level=basis.params.level,
            month_share=basis.params.month_share,
            day_seconds=day,
            curve_targets=tuple(float(v) for v in curve_grid(day)),
            gaps=gaps,
        )


def gap_analysis(
    *, uow: UnitOfWork, customer_id: int, study_id: int | None = None, now: datetime | None = None
) -> list[Gap]:
    """For agreement drafting: each expectation's verdict and `proposal_seconds`/`proposal_percent`
    (the customer's target where achievable, else the target the history supports)."""
    return gap_report(uow=uow, customer_id=customer_id, study_id=study_id, now=now).gaps

"""Meeting series use cases: which version's series are in force, editing them on a draft, the
agreement's .ics, and the demo's monthly review.

Series are terms: they change only on a DRAFT version, through `drafts.update_draft` (which
validates the whole terms, re-checks feasibility and writes the audit entry). Moved/cancelled
occurrences are live state (table meeting_exceptions), changed on any version in force. Minutes and
action items live in minutes.py, the agenda in agenda.py, each user's feed in feeds.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from slaforge.adapters.db.models import AgreementVersion
from slaforge.adapters.relationship.ics import SeriesFeed, calendar
from slaforge.domain.agreement.lifecycle import VersionState
from slaforge.domain.errors import IllegalTransition, InvalidInput, NotFound
from slaforge.domain.relationship.meetings import Change, check_exception, series_version
from slaforge.domain.relationship.terms import normalise_relationship
from slaforge.services.agreement.core import load_agreement, require_provider
from slaforge.services.agreement.drafts import update_draft
from slaforge.services.platform import audit
from slaforge.services.unit_of_work import UnitOfWork

DEMO_SERIES: dict[str, Any] = {
    "key": "monthly-review",
    "name": "Monthly service review",
    "rrule": "FREQ=MONTHLY;BYDAY=1TU",
    "timezone": "Europe/Berlin",
    "duration_minutes": 60,
    "attendees": [
        {"party": "provider", "name": "Account manager", "email": ""},
        {"party": "customer", "name": "Service contact", "email": ""},
    ],
    "location": "",
    "video": "",
}


@dataclass(frozen=True)
class SeriesView:
    agreement_id: int
    agreement_title: str
    version_id: int | None
    version_number: int | None
    version_state: str | None
    reviews: list[dict[str, Any]]


def _reviews(version: AgreementVersion | None) -> list[dict[str, Any]]:
    if version is None:
        return []
    section = normalise_relationship((version.terms or {}).get("relationship"))
    return list(section["reviews"])


def series_of(*, uow: UnitOfWork, agreement_id: int) -> SeriesView:
    """The series in force: of the active/accepted version, else the latest offered, else the draft.
    A customer user's scope sees only its own agreements (NotFound otherwise)."""
    with uow:
        agreement = load_agreement(uow, agreement_id)
        version = series_version(agreement.versions)
        return SeriesView(
            agreement_id=agreement.id,
            agreement_title=agreement.title,
            version_id=version.id if version else None,
            version_number=version.number if version else None,
            version_state=str(version.state) if version else None,
            reviews=_reviews(version),
        )


def _latest_draft(uow: UnitOfWork, agreement_id: int) -> tuple[int, dict[str, Any]]:
    with uow:
        agreement = load_agreement(uow, agreement_id)
        require_provider(uow)
        drafts = [v for v in agreement.versions if v.state == VersionState.DRAFT]
        if not drafts:
            raise IllegalTransition(
                "meeting series are terms: they change only on a draft; draft a new version first"
            )
        draft = max(drafts, key=lambda v: v.number)
        return draft.id, dict(draft.terms)


def _write(
    uow: UnitOfWork,
    version_id: int,
    terms: dict[str, Any],
    reviews: list[dict[str, Any]],
    actor: str,
    now: datetime,
) -> None:
    section = dict(terms.get("relationship") or {})
    section["reviews"] = reviews
    # Validate the section on its own first so the error names the series field.
    terms["relationship"] = normalise_relationship(section)
    update_draft(uow=uow, version_id=version_id, terms=terms, title=None, actor=actor, now=now)


def put_series(
    *, uow: UnitOfWork, agreement_id: int, series: Mapping[str, Any], actor: str, now: datetime
) -> dict[str, Any]:
    """Add a series to the agreement's draft, or replace the one with the same key."""
    version_id, terms = _latest_draft(uow, agreement_id)
    reviews = normalise_relationship(terms.get("relationship") or {})["reviews"]
    key = series.get("key")
    kept = [r for r in reviews if r["key"] != key]
    _write(uow, version_id, terms, [*kept, dict(series)], actor, now)
    return next(r for r in series_of(uow=uow, agreement_id=agreement_id).reviews if r["key"] == key)


def remove_series(*, uow: UnitOfWork, agreement_id: int, key: str, actor: str, now: datetime) -> None:
    version_id, terms = _latest_draft(uow, agreement_id)
    reviews = normalise_relationship(terms.get("relationship") or {})["reviews"]
    if not any(r["key"] == key for r in reviews):
        raise NotFound(f"no meeting series '{key}' on the draft")
    _write(uow, version_id, terms, [r for r in reviews if r["key"] != key], actor, now)


def changes_of(*, uow: UnitOfWork, agreement_id: int) -> dict[str, tuple[list[Change], int]]:
    """Per series key: its moved/cancelled occurrences and how many changes they counted."""
    with uow:
        load_agreement(uow, agreement_id)  # the tenancy check: NotFound for another customer's
        out: dict[str, tuple[list[Change], int]] = {}
        for row in uow.relationship.meeting_exceptions(agreement_id):
            changes, count = out.get(row.series_key, ([], 0))
            new = datetime.fromisoformat(row.new_start) if row.new_start else None
            original = datetime.fromisoformat(row.original_start)
            changes.append(Change(original, new, cancelled=row.cancelled, reason=row.reason))
            out[row.series_key] = (changes, count + row.sequence)
        return out


def change_occurrence(
    *,
    uow: UnitOfWork,
    agreement_id: int,
    series_key: str,
    original_start: str,
    new_start: str | None,
    cancelled: bool,
    reason: str,
    actor: str,
    now: datetime,
) -> Change:
    """Move or cancel one occurrence of a series in force (the provider's). Repeating it updates the
    same row (one per occurrence) and counts one more change for the .ics SEQUENCE."""
    view = series_of(uow=uow, agreement_id=agreement_id)
    series = next((r for r in view.reviews if r["key"] == series_key), None)
    if series is None:
        raise NotFound(f"no meeting series '{series_key}' on agreement {agreement_id}")
    change = check_exception(series, original_start, new_start, cancelled)
    with uow:
        load_agreement(uow, agreement_id)
        require_provider(uow)
        row = uow.relationship.put_meeting_exception(
            agreement_id=agreement_id,
            series_key=series_key,
            original_start=change.original_start.isoformat(timespec="minutes"),
            new_start=change.new_start.isoformat(timespec="minutes") if change.new_start else None,
            cancelled=change.cancelled,
            reason=reason[:2000],
            actor=actor,
            at=now,
        )
        audit.record(
            uow,
            actor=actor,
            action="relationship.meeting_cancelled" if cancelled else "relationship.meeting_moved",
            subject_type="agreement",
            subject_id=agreement_id,
            at=now,
            data={"series": series_key, "original_start": row.original_start, "new_start": row.new_start},
        )
        uow.commit()
    return change


def series_feeds(*, uow: UnitOfWork, agreement_id: int, drafts: bool = True) -> tuple[str, list[SeriesFeed]]:
    """The agreement's title and its series in force as calendar entries (none when `drafts` is
    False and only a draft holds series). SEQUENCE is the version number plus the changes counted
    on the series' occurrences, so it grows with each."""
    view = series_of(uow=uow, agreement_id=agreement_id)
    if not drafts and view.version_state == VersionState.DRAFT:
        return view.agreement_title, []
    changes = changes_of(uow=uow, agreement_id=agreement_id)
    feeds = []
    for r in view.reviews:
        moved, count = changes.get(r["key"], ([], 0))
        sequence = (view.version_number or 0) + count
        feeds.append(SeriesFeed(str(view.agreement_id), r, sequence, moved, label=view.agreement_title))
    return view.agreement_title, feeds


def agreement_ics(*, uow: UnitOfWork, agreement_id: int, stamp: datetime | None = None) -> bytes:
    """The agreement's calendar: every series in force with its exceptions."""
    title, feeds = series_feeds(uow=uow, agreement_id=agreement_id)
    return calendar(feeds, name=title, stamp=stamp)


def add_demo_review_series(
    *, uow: UnitOfWork, agreement_id: int, path: Path, start: str, actor: str, now: datetime
) -> Path:
    """The demo's hook: a 'Monthly service review' (first Tuesday, 10:00 Europe/Berlin, 60 min) on
    the agreement's draft, its .ics written to `path`; returns the path."""
    if not start:
        raise InvalidInput("give the first review's local start", field="start", value=start)
    put_series(
        uow=uow, agreement_id=agreement_id, series={**DEMO_SERIES, "start": start}, actor=actor, now=now
    )
    path.write_bytes(agreement_ics(uow=uow, agreement_id=agreement_id, stamp=now))
    return path

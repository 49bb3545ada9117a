"""The clause library: list, read, save (checked: an undefined variable or an empty clause is
refused, naming the clause), revert to the built-in, and export to / import from files.

Saved templates affect drafts only: an offered version keeps the text it was frozen with.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from slaforge.adapters.agreement.renderer import builtin_templates, check_template
from slaforge.adapters.db.models import ClauseTemplate as ClauseRow
from slaforge.domain.agreement.clauses import (
    FILE_SUFFIX,
    ClauseTemplate,
    check_key,
    check_template_text,
    parse_template_file,
)
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.platform.listing import ListQuery, Page, page_of
from slaforge.services.agreement.core import library, require_provider
from slaforge.services.platform import audit
from slaforge.services.unit_of_work import UnitOfWork


def list_templates(*, uow: UnitOfWork) -> list[ClauseTemplate]:
    """Every clause in document order; `builtin` says whether it is the shipped text."""
    with uow:
        require_provider(uow)
        return sorted(library(uow).values(), key=lambda t: (t.position, t.key))


def page_templates(*, uow: UnitOfWork, query: ListQuery) -> Page[ClauseTemplate]:
    """A page of the library (built-in texts merged with edited ones); filter: builtin."""
    return page_of(
        list_templates(uow=uow),
        query,
        sortable={"position": lambda t: t.position, "key": lambda t: t.key, "title": lambda t: t.title},
        filterable={"builtin": lambda t: t.builtin},
        searchable=(lambda t: t.key, lambda t: t.title),
        default_sort="position",
    )


def get_template(*, uow: UnitOfWork, key: str) -> ClauseTemplate:
    with uow:
        require_provider(uow)
        found = library(uow).get(key)
        if found is None:
            raise NotFound(f"no clause template '{key}'")
        return found


def _save(uow: UnitOfWork, template: ClauseTemplate, actor: str, now: datetime) -> None:
    check_template_text(template.key, template.title, template.body)
    check_template(template)  # renders against complete example terms: refuses, naming the clause
    row = uow.agreement.clause_row(template.key)
    if row is None:
        row = ClauseRow(key=template.key)
        uow.agreement.add(row)
    row.title, row.body, row.position = template.title.strip(), template.body, template.position
    row.updated_by, row.updated_at = actor, now
    uow.flush()
    audit.record(
        uow,
        actor=actor,
        action="clause_template.saved",
        subject_type="clause_template",
        subject_id=template.key,
        at=now,
        data={"title": row.title, "position": row.position},
    )


def save_template(
    *, uow: UnitOfWork, key: str, title: str, body: str, position: int | None, actor: str, now: datetime
) -> ClauseTemplate:
    """Add or edit a clause; without a position an existing clause keeps its place."""
    with uow:
        require_provider(uow)
        check_key(key)
        existing = library(uow).get(key)
        if position is None:
            position = existing.position if existing else 500
        if not 0 <= position <= 9999:
            raise InvalidInput("a position from 0 to 9999", field="position", value=position)
        template = ClauseTemplate(key=key, title=title, body=body.replace("\r\n", "\n"), position=position)
        _save(uow, template, actor, now)
        uow.commit()
        return template


def revert_template(*, uow: UnitOfWork, key: str, actor: str, now: datetime) -> None:
    """Drop the provider's row: a built-in returns to its shipped text, an added clause goes."""
    with uow:
        require_provider(uow)
        row = uow.agreement.clause_row(key)
        if row is None:
            raise NotFound(f"clause template '{key}' has no edited version")
        uow.agreement.delete(row)
        audit.record(
            uow,
            actor=actor,
            action="clause_template.reverted",
            subject_type="clause_template",
            subject_id=key,
            at=now,
        )
        uow.commit()


def export_templates(*, uow: UnitOfWork, out_dir: Path) -> list[Path]:
    """Write every clause as `<key>.md.j2` (header line with title and position, then the body)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for template in list_templates(uow=uow):
        path = out_dir / f"{template.key}{FILE_SUFFIX}"
        path.write_text(template.to_file(), encoding="utf-8")
        written.append(path)
    return written


def import_templates(*, uow: UnitOfWork, paths: list[Path], actor: str, now: datetime) -> list[str]:
    """Save every file given (all or nothing): the first bad one is refused, naming its clause.

    A file identical to the built-in of the same key is skipped, so exporting and importing the
    shipped library changes nothing."""
    parsed = []
    for path in paths:
        if not path.name.endswith(FILE_SUFFIX):
            raise InvalidInput(f"clause files end in {FILE_SUFFIX}", field=str(path), value=path.name)
        key = path.name[: -len(FILE_SUFFIX)]
        parsed.append(parse_template_file(key, path.read_text(encoding="utf-8")))
    shipped = {(t.key, t.title, t.body, t.position) for t in builtin_templates()}
    saved = []
    with uow:
        require_provider(uow)
        for template in parsed:
            edited = uow.agreement.clause_edited(template.key)
            if (template.key, template.title, template.body, template.position) in shipped and not edited:
                continue
            _save(uow, template, actor, now)
            saved.append(template.key)
        uow.commit()
    return saved

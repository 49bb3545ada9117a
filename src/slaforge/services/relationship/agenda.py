"""The agenda of one meeting occurrence, gathered at request time (nothing is stored): the study
figures per objective, open tasks, overdue customer obligations, open actions of earlier meetings,
and the topics either party raised for it.

Study figures are the provider's analysis of its whole history (capability studies are
provider-only tables), so a customer user's agenda says so instead of showing them; everything
else is the customer's own agreement and reads through its scope as the other pages do.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from slaforge.domain.background.study.figures import StudyFigures
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.relationship.agenda import (
    Agenda,
    AgendaAction,
    AgendaObligation,
    AgendaSignal,
    AgendaTask,
    AgendaTopic,
    assemble,
)
from slaforge.domain.relationship.meetings import series_version
from slaforge.domain.relationship.minutes import check_original_start, occurrence_start
from slaforge.domain.relationship.tasks import CLOSED
from slaforge.services.agreement.core import load_agreement
from slaforge.services.agreement.studies import study_figures
from slaforge.services.relationship.meetings import changes_of
from slaforge.services.relationship.minutes import actions_of, series_in_force
from slaforge.services.relationship.obligations import obligations_view
from slaforge.services.relationship.task_lists import board
from slaforge.services.relationship.topics import topics_of
from slaforge.services.unit_of_work import UnitOfWork

PROVIDER_FIGURES = "study figures are the provider's analysis; it presents them at the meeting"
NO_STUDY = "the agreement was not drafted from a capability study, so there are no study figures"


def _study(uow: UnitOfWork, agreement_id: int) -> tuple[dict[str, object], StudyFigures | None, str]:
    """The terms in force, their study's figures (or None) and why there are none."""
    with uow:
        agreement = load_agreement(uow, agreement_id)
        version = series_version(agreement.versions)
        if version is None:
            raise NotFound(f"no agreement {agreement_id}")
        terms = dict(version.terms or {})
        if uow.scope.is_limited:
            return terms, None, PROVIDER_FIGURES
        study_id = (version.source or {}).get("study_id")
        if not isinstance(study_id, int):
            return terms, None, NO_STUDY
        try:
            return terms, study_figures(uow, study_id), ""
        except (NotFound, InvalidInput) as exc:
            return terms, None, f"study #{study_id} could not be read: {exc.message}"


def agenda(
    *,
    uow: UnitOfWork,
    agreement_id: int,
    series_key: str,
    original_start: str,
    now: datetime,
    signals: Sequence[AgendaSignal] = (),
) -> Agenda:
    """The agenda of one occurrence (past or planned) as the figures and lists stand at `now`;
    `signals`: what the live step says of the agreement (services/live/signals.agenda_signals),
    gathered by the caller since the live step builds on this one."""
    series = series_in_force(uow, agreement_id, series_key)
    original = check_original_start(series, original_start)
    changes = changes_of(uow=uow, agreement_id=agreement_id).get(series_key, ([], 0))[0]
    start, cancelled = occurrence_start(series, original, changes)
    terms, study, reason = _study(uow, agreement_id)
    actions = [a for a in actions_of(uow=uow, agreement_id=agreement_id) if a.open]
    action_tasks = {a.task_id for a in actions}
    tasks = [
        AgendaTask(t.id, t.title, t.party, t.assignee, t.due_date, t.status, t.overdue)
        for t in board(uow, agreement_id, now=now).tasks
        if t.status not in CLOSED and t.id not in action_tasks
    ]
    owed = obligations_view(uow=uow, agreement_id=agreement_id, now=now)
    obligations = [
        AgendaObligation(o.external_id, o.instance.name, o.instance.due_at, o.instance.excuses_provider)
        for o in owed.open
        if o.instance.overdue
    ]
    topics = [
        AgendaTopic(t.id, t.text, t.party, t.raised_by, t.raised_at)
        for t in topics_of(
            uow=uow, agreement_id=agreement_id, series_key=series_key, original_start=original_start
        )
    ]
    return assemble(
        series=series,
        original_start=original.isoformat(timespec="minutes"),
        start=start,
        cancelled=cancelled,
        now=now,
        terms=terms,
        study=study,
        no_study_reason=reason,
        tasks=tasks,
        obligations=obligations,
        actions=[
            AgendaAction(
                f"{a.series_key} {a.original_start}",
                a.title,
                a.party,
                a.assignee,
                a.due_date,
                a.status,
                a.task_id,
            )
            for a in actions
        ],
        topics=topics,
        signals=signals,
    )

"""Task use cases on a real database: the template, cycles, closing rules, who may change what,
the paged list, the audit, and reminders sent once through the outbox to a real SMTP server."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from slaforge.adapters.db.models import AuditEntry, Notification
from slaforge.adapters.platform.notifiers import ByChannel
from slaforge.adapters.platform.notifiers.smtp import SmtpConfig, SmtpNotifier
from slaforge.domain.errors import InvalidInput, NotFound
from slaforge.domain.platform.accounts import PermissionDenied
from slaforge.domain.platform.listing import ListQuery
from slaforge.services.platform.notifications import deliver_due
from slaforge.services.relationship import task_lists, task_reminders, task_templates, tasks
from tests.agreement_setup import MANAGER, NOW, draft
from tests.integration.relationship.task_setup import customer_uow, onboarding
from tests.notify_receivers import smtp_server

LATER = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # every onboarding task is overdue by then


def _titles(uow, agreement_id):
    return {t.title: t for t in task_lists.board(uow, agreement_id, now=NOW).tasks}


def test_the_onboarding_template_makes_dated_tasks_with_dependencies(uow):
    s = onboarding(uow)
    board = task_lists.board(uow, s.agreement_id, now=NOW)
    by = {t.title: t for t in board.tasks}
    assert len(board.tasks) == 6
    assert by["Kick-off meeting"].due_date == date(2026, 11, 4)  # 2 business days after Monday
    assert by["Configure monitoring"].due_date == date(2026, 11, 18)
    assert by["Grant remote access"].party == "customer"
    assert by["Grant remote access"].depends_on == (by["Agree contact list"].id,)
    assert board.tasks[0].title == "Kick-off meeting"  # prerequisites first
    assert all(t.source == "template onboarding" for t in board.tasks)
    assert "00:00 local time of the next day" in board.overdue_rule
    critical = [next(t.title for t in board.tasks if t.id == tid) for tid in board.critical]
    assert critical == [
        "Kick-off meeting", "Agree contact list", "Grant remote access", "Configure monitoring",
        "First service review",
    ]  # fmt: skip


def test_the_demo_hook_puts_the_onboarding_checklist_on_an_agreement(uow):
    d = draft(uow, "Demo Ltd")
    ids = task_templates.demo_onboarding_tasks(uow, d.agreement_id, start=date(2026, 11, 2), now=NOW)
    board = task_lists.board(uow, d.agreement_id, now=NOW)
    assert {t.id for t in board.tasks} == set(ids)
    assert len(ids) == 6
    assert {t.created_by for t in board.tasks} == {"operator"}


def test_a_cycle_is_refused_naming_the_tasks(uow):
    s = onboarding(uow)
    by = _titles(uow, s.agreement_id)
    with pytest.raises(InvalidInput) as info:
        tasks.add_dependency(
            uow,
            s.agreement_id,
            by["Grant remote access"].id,
            by["Configure monitoring"].id,
            actor=MANAGER,
            now=NOW,
        )
    assert "'Grant remote access' → 'Configure monitoring' → 'Grant remote access' would form a cycle" in str(
        info.value
    )


def test_a_dependency_on_another_agreements_task_is_refused(uow):
    a, b = onboarding(uow), onboarding(uow, "Beta Corp")
    with pytest.raises(InvalidInput, match="a dependency stays in one agreement"):
        tasks.add_dependency(uow, a.agreement_id, a.task_ids[0], b.task_ids[1], actor=MANAGER, now=NOW)


def test_a_task_is_not_done_while_a_dependency_is_open(uow):
    s = onboarding(uow)
    by = _titles(uow, s.agreement_id)
    with pytest.raises(InvalidInput, match="depends on open task"):
        tasks.update_task(
            uow,
            s.agreement_id,
            by["Agree contact list"].id,
            changes={"status": "done"},
            actor=MANAGER,
            now=NOW,
        )
    tasks.update_task(
        uow,
        s.agreement_id,
        by["Kick-off meeting"].id,
        changes={"status": "cancelled"},
        actor=MANAGER,
        now=NOW,
    )
    view = tasks.update_task(
        uow, s.agreement_id, by["Agree contact list"].id, changes={"status": "done"}, actor=MANAGER, now=NOW
    )
    assert view.status == "done"


def test_a_customer_user_updates_only_its_own_tasks_and_fields(uow):
    s = onboarding(uow)
    by = _titles(uow, s.agreement_id)
    mine = customer_uow(uow, s.customer_id)
    view = tasks.update_task(
        mine, s.agreement_id, by["Agree contact list"].id,
        changes={"assignee": "admin@acme.test", "note": "list attached"}, actor=s.customer_admin, now=NOW,
    )  # fmt: skip
    assert view.assignee == "admin@acme.test"
    assert "admin@acme.test: list attached" in view.notes
    with pytest.raises(PermissionDenied, match="provider's"):
        tasks.update_task(
            mine, s.agreement_id, by["Kick-off meeting"].id, changes={"status": "done"},
            actor=s.customer_admin, now=NOW,
        )  # fmt: skip
    with pytest.raises(PermissionDenied, match="not due"):
        tasks.update_task(
            mine, s.agreement_id, by["Agree contact list"].id, changes={"due": date(2027, 1, 1)},
            actor=s.customer_admin, now=NOW,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        tasks.create_task(
            mine, s.agreement_id, title="x", party="customer", assignee="", due=date(2027, 1, 1),
            source="", actor=s.customer_admin, now=NOW,
        )  # fmt: skip


def test_another_customers_user_finds_nothing(uow):
    a, b = onboarding(uow), onboarding(uow, "Beta Corp")
    theirs = customer_uow(uow, b.customer_id)
    with pytest.raises(NotFound):
        task_lists.board(theirs, a.agreement_id, now=NOW)
    with pytest.raises(NotFound):
        tasks.update_task(
            theirs, b.agreement_id, a.task_ids[1], changes={"status": "done"}, actor=None, now=NOW
        )


def test_create_task_for_a_meeting_action_item_is_audited(uow):
    s = onboarding(uow)
    view = tasks.create_task(
        uow, s.agreement_id, title="Send the escalation list", party="customer", assignee="admin@acme.test",
        due=date(2026, 11, 20), source="meeting 3 action 2", clause="objective:0", actor=MANAGER, now=NOW,
    )  # fmt: skip
    assert (view.source, view.clause, view.status) == ("meeting 3 action 2", "objective:0", "open")
    with uow:
        actions = uow.session.scalars(
            select(AuditEntry.action).where(AuditEntry.subject_id == str(view.id))
        ).all()
    assert actions == ["task.created"]


def test_the_list_filters_sorts_and_pages(uow):
    s = onboarding(uow)
    page = task_lists.list_tasks(
        uow, s.agreement_id, query=ListQuery(filters={"party": "customer"}, sort="-due_date"), now=NOW
    )
    assert [t.title for t in page.data] == ["Grant remote access", "Agree contact list"]
    overdue = task_lists.list_tasks(
        uow, s.agreement_id, query=ListQuery(filters={"overdue": True}, limit=2), now=LATER
    )
    assert (overdue.count, len(overdue.data)) == (6, 2)
    with pytest.raises(InvalidInput, match="cannot sort by"):
        task_lists.list_tasks(uow, s.agreement_id, query=ListQuery(sort="nope"), now=NOW)


def test_reminders_go_once_per_overdue_task_to_a_real_smtp_server(uow):
    s = onboarding(uow)
    by = _titles(uow, s.agreement_id)
    tasks.update_task(
        uow, s.agreement_id, by["Agree contact list"].id, changes={"assignee": "admin@acme.test"},
        actor=MANAGER, now=NOW,
    )  # fmt: skip
    first = task_reminders.remind_overdue(uow=uow, now=datetime(2026, 11, 7, tzinfo=UTC))
    again = task_reminders.remind_overdue(uow=uow, now=datetime(2026, 11, 7, 1, tzinfo=UTC))
    assert (first.reminded, again.reminded, again.skipped) == (2, 0, 2)  # kick-off and contacts
    with smtp_server() as sink:
        notifier = SmtpNotifier(SmtpConfig(host=sink.host, port=sink.port, sender="sla@provider.test"))
        report = deliver_due(
            uow=uow, notifier=ByChannel(email=notifier), now=datetime(2026, 11, 7, tzinfo=UTC)
        )
    assert report.sent == 1  # the kick-off is the provider's, and the provider has no admin user here
    [mail] = sink.messages
    assert mail["To"] == "admin@acme.test"
    assert "Agree contact list" in mail["Subject"]
    assert "00:00 local time of the next day" in mail.get_payload(decode=True).decode()


def test_a_moved_due_date_earns_a_new_reminder(uow):
    s = onboarding(uow)
    task_id = _titles(uow, s.agreement_id)["Agree contact list"].id
    task_reminders.remind_overdue(uow=uow, now=datetime(2026, 11, 7, tzinfo=UTC))
    tasks.update_task(
        uow, s.agreement_id, task_id, changes={"due": date(2026, 11, 9)}, actor=MANAGER, now=NOW
    )
    assert task_reminders.remind_overdue(uow=uow, now=datetime(2026, 11, 9, 12, tzinfo=UTC)).reminded == 0
    assert task_reminders.remind_overdue(uow=uow, now=datetime(2026, 11, 10, 1, tzinfo=UTC)).reminded >= 1
    with uow:
        rows = uow.session.scalars(select(Notification.subject)).all()
    assert sum("Agree contact list" in r for r in rows) == 2

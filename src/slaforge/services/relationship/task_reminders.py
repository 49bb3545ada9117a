"""The reminder scan: one e-mail per overdue task (per due date), through the notification outbox.

Exactly once, even when scans race (two workers, `slaforge relationship tasks remind` beside the
scheduler): the reminder row is unique per (task, kind, due date) and inserted with ON CONFLICT DO
NOTHING before anything is queued, so only the scan whose insert wins queues the e-mail, in the
same transaction. Moving the due date makes the task remindable again once the new date passes.

Who hears: the assignee when it is an active user's e-mail address; else the owning party's
first-level contacts in the terms' contact matrix (their e-mail channels) and administrators (the
customer's customer-admins, or the provider's admins and managers and the provider address of the
notification settings).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from slaforge.adapters.db.models import Task
from slaforge.domain.relationship import tasks as rules
from slaforge.services.platform import audit, notifications
from slaforge.services.relationship.tasks import zone_name
from slaforge.services.unit_of_work import UnitOfWork

KIND = "overdue"


@dataclass(frozen=True, slots=True)
class ReminderReport:
    reminded: int = 0
    skipped: int = 0  # overdue, but reminded already (by this or another scan)

    def __str__(self) -> str:
        return f"{self.reminded} reminder(s) queued, {self.skipped} already sent"


def _recipients(uow: UnitOfWork, task: Task, customer_id: int) -> list[str]:
    if task.assignee and "@" in task.assignee:
        user = uow.tasks.active_user(task.assignee)
        # Only a provider user or one of this customer's: never tell another customer about it.
        if user is not None and user.customer_id in (None, customer_id):
            return [user.email]
    contacts = rules.contact_emails(uow.tasks.latest_terms(task.agreement_id).get("relationship"), task.party)
    if task.party == "customer":
        return list(
            dict.fromkeys(
                contacts + [u.email for u in uow.tasks.party_users(customer_id, ("customer-admin",))]
            )
        )
    people = contacts + [u.email for u in uow.tasks.party_users(None, ("admin", "manager"))]
    if uow.notify is not None and uow.notify.provider_email:
        people.append(uow.notify.provider_email)
    return list(dict.fromkeys(people))


def _remind(uow: UnitOfWork, task_id: int, now: datetime) -> bool | None:
    """None: not overdue (or gone); True: reminded now; False: reminded before."""
    with uow:
        task = uow.tasks.task(task_id)
        if task is None:
            return None
        zone = zone_name(uow, task.agreement_id)
        if not rules.is_overdue(task.due_date, task.status, now, rules.zone_of(zone)):
            return None
        agreement = uow.agreement.agreement(task.agreement_id)
        assert agreement is not None  # a task's agreement cannot be deleted under it
        emails = _recipients(uow, task, agreement.customer_id)
        if not uow.tasks.claim_reminder(task.id, KIND, task.due_date, ", ".join(emails), now):
            return False
        due = task.due_date.isoformat()
        body = (
            f"The task '{task.title}' of agreement '{agreement.title}' was due on {due} and is "
            f"{task.status.replace('_', ' ')}.\nOwner: the {task.party}"
            + (f", assigned to {task.assignee}" if task.assignee else "")
            + f".\nRule: {rules.OVERDUE_RULE.format(zone=zone)}.\n"
        )
        notifications.queue(
            uow,
            notifications.Outgoing(
                event="task.overdue",
                dedupe=f"task-overdue:{task.id}:{due}",
                subject=f"Overdue task: {task.title} (due {due})",
                body=body,
                payload={"task_id": task.id, "agreement_id": task.agreement_id, "due_date": due},
            ),
            emails=emails,
            webhooks=(),
            now=now,
        )
        task.reminded_at = now
        audit.record(
            uow,
            actor="system",
            action="task.reminded",
            subject_type="task",
            subject_id=task.id,
            at=now,
            data={"agreement_id": task.agreement_id, "due": due, "recipients": emails},
        )
        uow.commit()
        return True


def remind_overdue(*, uow: UnitOfWork, now: datetime) -> ReminderReport:
    """Queue a reminder for every overdue task not yet reminded for its due date; one transaction
    per task, so one failing task does not hold back the others."""
    with uow:
        # A day's margin: the zones east of UTC end a date before UTC does.
        candidates = [t.id for t in uow.tasks.unfinished_due_by((now + timedelta(days=1)).date())]
    reminded = skipped = 0
    for task_id in candidates:
        outcome = _remind(uow, task_id, now)
        reminded += outcome is True
        skipped += outcome is False
    return ReminderReport(reminded, skipped)

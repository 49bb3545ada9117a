"""`slaforge relationship tasks …`: an agreement's implementation tasks — list, add, update,
depend, undepend, template (start from a checklist), remind (queue e-mails for overdue tasks).

Acts as `slaforge --as EMAIL` when given (a customer user then sees and changes only what the
portal lets it), else as the operator. Refused input exits 2 with one line naming the field."""

from __future__ import annotations

from datetime import date

import typer

from slaforge.domain.errors import InvalidInput
from slaforge.domain.platform.listing import ListQuery
from slaforge.domain.relationship.tasks import PARTIES, STATUSES
from slaforge.entrypoints.cli.container import cli_container, operator
from slaforge.services.relationship import task_lists, task_reminders, task_templates, tasks

app = typer.Typer(
    help="Implementation tasks of an agreement, their dependencies and reminders.", no_args_is_help=True
)
AGREEMENT = typer.Option(..., "--agreement", help="Agreement id.")


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("a date as YYYY-MM-DD", field=name, value=value) from None


def _line(t: tasks.TaskView) -> str:
    late = "  OVERDUE" if t.overdue else ""
    deps = f"  after {','.join(map(str, t.depends_on))}" if t.depends_on else ""
    who = f" @{t.assignee}" if t.assignee else ""
    return f"{t.id:>5}  {t.status:<11} {t.party:<8} due {t.due_date.isoformat()}  {t.title}{who}{deps}{late}"


@app.command("list")
def list_(
    agreement: int = AGREEMENT,
    status: str | None = typer.Option(None, help=f"Only this status ({', '.join(STATUSES)})."),
    party: str | None = typer.Option(None, help=f"Only this owning party ({', '.join(PARTIES)})."),
    overdue: bool = typer.Option(False, "--overdue", help="Only overdue tasks."),
    sort: str | None = typer.Option(
        None, help=f"Sort by {', '.join(task_lists.SORTABLE)}; '-field' descends."
    ),
    limit: int = typer.Option(100, min=1, max=500, help="Rows per page."),
    offset: int = typer.Option(0, min=0, help="Rows to skip."),
) -> None:
    """The agreement's tasks (default order: prerequisites first), with the overdue rule."""
    c = cli_container()
    filters = {"status": status, "party": party, "overdue": True if overdue else None}
    query = ListQuery(limit=limit, offset=offset, sort=sort, filters=filters)
    page = task_lists.list_tasks(c.command_uow(), agreement, query=query, now=c.clock())
    board = task_lists.board(c.command_uow(), agreement, now=c.clock())
    for t in page.data:
        typer.echo(_line(t))
    typer.echo(f"{len(page.data)} of {page.count} task(s); {board.overdue_rule}")


@app.command("add")
def add(
    agreement: int = AGREEMENT,
    title: str = typer.Option(..., help="What is to be done."),
    party: str = typer.Option(..., help="Owning party: provider or customer."),
    due: str = typer.Option(..., help="Due date, YYYY-MM-DD."),
    start: str | None = typer.Option(None, help="Start date, YYYY-MM-DD."),
    assignee: str = typer.Option("", help="A name or a user's e-mail."),
    description: str = typer.Option("", help="What it involves."),
    clause: str | None = typer.Option(None, help="The clause it serves (a key, or objective:<index>)."),
    source: str = typer.Option("cli", help="Where it came from."),
) -> None:
    """Add one task."""
    c = cli_container()
    view = tasks.create_task(
        c.command_uow(), agreement, title=title, party=party, assignee=assignee,
        due=_date(due, "due") or date.min, source=source, clause=clause, actor=operator(c), now=c.clock(),
        start=_date(start, "start"), description=description,
    )  # fmt: skip
    typer.echo(f"added task {view.id}: {view.title}")


@app.command("update")
def update(
    agreement: int = AGREEMENT,
    task: int = typer.Option(..., "--task", help="Task id."),
    status: str | None = typer.Option(None, help=f"New status ({', '.join(STATUSES)})."),
    assignee: str | None = typer.Option(None, help="A name or a user's e-mail (empty: nobody)."),
    due: str | None = typer.Option(None, help="YYYY-MM-DD"),
    description: str | None = typer.Option(None, help="New description."),
    note: str | None = typer.Option(None, help="A line appended to the task's notes."),
) -> None:
    """Change a task's status, assignee, due date or description, or add a note."""
    given = {"status": status, "assignee": assignee, "description": description, "note": note}
    changes: dict[str, object] = {k: v for k, v in given.items() if v is not None}
    if due:
        changes["due"] = _date(due, "due")
    c = cli_container()
    view = tasks.update_task(
        c.command_uow(), agreement, task, changes=changes, actor=operator(c), now=c.clock()
    )
    typer.echo(_line(view))


@app.command("depend")
def depend(
    agreement: int = AGREEMENT,
    task: int = typer.Option(..., "--task", help="The task that waits."),
    on: int = typer.Option(..., "--on", help="The task it waits for."),
) -> None:
    """Make a task wait for another (refused, naming the cycle, when it would close one)."""
    c = cli_container()
    added = tasks.add_dependency(c.command_uow(), agreement, task, on, actor=operator(c), now=c.clock())
    typer.echo(f"task {task} depends on task {on}" + ("" if added else " (already)"))


@app.command("undepend")
def undepend(
    agreement: int = AGREEMENT,
    task: int = typer.Option(..., "--task", help="The task that waits."),
    on: int = typer.Option(..., "--on", help="The task it no longer waits for."),
) -> None:
    """Remove a dependency."""
    c = cli_container()
    removed = tasks.remove_dependency(c.command_uow(), agreement, task, on, actor=operator(c), now=c.clock())
    typer.echo(f"task {task} no longer depends on task {on}" if removed else "no such dependency")


@app.command("template")
def template(
    agreement: int | None = typer.Option(
        None, "--agreement", help="Agreement id (omit to list the templates)."
    ),
    name: str = typer.Option("onboarding", "--name", help="Template name."),
    start: str | None = typer.Option(None, help="Start date, YYYY-MM-DD (default: today)."),
) -> None:
    """List the checklist templates, or start an agreement's task list from one."""
    if agreement is None:
        for info in task_templates.list_templates():
            typer.echo(f"{info.name}: {info.tasks} tasks — {info.description}")
        return
    c = cli_container()
    now = c.clock()
    ids = task_templates.instantiate_template(
        c.command_uow(), agreement, template=name, start=_date(start, "start") or now.date(),
        actor=operator(c), now=now,
    )  # fmt: skip
    typer.echo(f"added {len(ids)} task(s) from template '{name}': {', '.join(map(str, ids))}")


@app.command("remind")
def remind() -> None:
    """Queue one reminder e-mail per overdue task not yet reminded (the scheduler does this too)."""
    c = cli_container()
    report = task_reminders.remind_overdue(uow=c.system_uow(), now=c.clock())
    typer.echo(str(report))

"""Command groups loaded when they are used: `slaforge --version` and `slaforge --help` answer
without importing the application (polars, numpy, SQLAlchemy models, the web stack), which took
well over a second; `slaforge import …` loads only what importing needs.

Each command is a `Lazy` placeholder holding its module, its attribute and its one-line help
(what `--help` lists); the real command replaces it the first time it is run."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, ClassVar

import typer
from typer.core import TyperCommand, TyperGroup

# Typer brings its own copy of click: its commands, contexts and formatters are taken as they come.
Command = Any


@dataclass(frozen=True, slots=True)
class Entry:
    module: str  # under slaforge.entrypoints.cli
    attr: str  # a typer.Typer (a group) or a command function
    help: str  # the one line `slaforge --help` shows; a test keeps it equal to the command's own


class Lazy(TyperCommand):
    """Stands for a command until it is needed."""

    def __init__(self, name: str, entry: Entry) -> None:
        super().__init__(name, help=entry.help)
        self.entry = entry

    def load(self) -> Command:
        module = importlib.import_module(f"slaforge.entrypoints.cli.{self.entry.module}")
        target = getattr(module, self.entry.attr)
        if isinstance(target, typer.Typer):
            command: Command = typer.main.get_group(target)  # a group even with one command
        else:
            single = typer.Typer()
            single.command(self.name)(target)
            command = typer.main.get_command(single)
        command.name = self.name
        return command


class LazyGroup(TyperGroup):
    """The top-level group: its subcommands are `Lazy` until run; help shows their one line."""

    entries: ClassVar[dict[str, Entry]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, entry in self.entries.items():
            self.commands.setdefault(name, Lazy(name, entry))
        self._listing = False

    def get_command(self, ctx: Any, cmd_name: str) -> Command | None:
        command = self.commands.get(cmd_name)
        if isinstance(command, Lazy) and not self._listing:
            command = self.commands[cmd_name] = command.load()
        return command

    def load_all(self) -> None:
        """Every real command (for the generated reference and tests that walk them)."""
        for name, command in list(self.commands.items()):
            if isinstance(command, Lazy):
                self.commands[name] = command.load()

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True  # list the one-line helps; load nothing
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False

"""The CLI reference in Markdown, generated from the commands themselves.

The README embeds this text between markers; a test fails when they differ, and
`python dev.py docs` rewrites the README block, so the reference never goes stale.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import typer

CLI_BLOCK = "cli-reference"
SETTINGS_BLOCK = "settings-reference"


# Typer may bring its own copy of click, so commands and parameters are read by duck typing.
Command = Any


def _walk(cmd: Command, path: list[str]) -> list[tuple[list[str], Command]]:
    out = [(path, cmd)]
    subcommands = getattr(cmd, "commands", None)
    if subcommands:
        for name in sorted(subcommands):
            out += _walk(subcommands[name], [*path, name])
    return out


def _options(cmd: Command) -> list[str]:
    lines = []
    for param in cmd.params:
        if param.name in {"help", "install_completion", "show_completion"}:
            continue
        if param.param_type_name == "argument":
            help_text = " ".join((getattr(param, "help", None) or "").split())
            lines.append(f"  - `{(param.metavar or param.name or '').upper()}`: {help_text}".rstrip(": "))
        else:
            names = ", ".join(f"`{o}`" for o in [*param.opts, *param.secondary_opts])
            help_text = " ".join((param.help or "").split())
            lines.append(f"  - {names}: {help_text}" if help_text else f"  - {names}")
    return lines


def _entry(path: list[str], cmd: Command) -> list[str]:
    summary = " ".join((cmd.help or "").strip().split("\n\n")[0].split())
    return [f"- **`{' '.join(path)}`** — {summary}", *_options(cmd)]


def render_reference(app: typer.Typer) -> str:
    """Top-level commands first, then each command group with its commands."""
    root: Command = typer.main.get_command(app)
    if hasattr(root, "load_all"):  # the top-level group loads its commands when they are used
        root.load_all()
    singles: list[tuple[str, Command]] = []
    groups: list[tuple[str, Command]] = []
    for name in sorted(root.commands):
        cmd = root.commands[name]
        (groups if getattr(cmd, "commands", None) else singles).append((name, cmd))
    parts = ["### Commands", ""]
    for name, cmd in singles:
        parts += _entry(["slaforge", name], cmd)
    for name, group in groups:
        parts += ["", f"### `slaforge {name}`", "", (group.help or "").strip().splitlines()[0], ""]
        for path, cmd in _walk(group, ["slaforge", name])[1:]:
            parts += _entry(path, cmd)
    return "\n".join(parts).strip() + "\n"


def render_settings() -> str:
    """A Markdown table of every setting, its default and what it does."""
    from slaforge.config import Settings

    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = field.default if field.default not in (None, "") else ""
        rows.append(f"| `SLAFORGE_{name.upper()}` | `{default}` | {field.description or ''} |")
    return "\n".join(rows) + "\n"


def _markers(block: str) -> tuple[str, str]:
    return f"<!-- {block}:start -->", f"<!-- {block}:end -->"


def readme_block(readme: Path, block: str) -> str:
    start, end = _markers(block)
    text = readme.read_text(encoding="utf-8")
    m = re.search(re.escape(start) + r"\n(.*?)" + re.escape(end), text, re.S)
    return m.group(1) if m else ""


def write_readme_block(readme: Path, block: str, content: str) -> None:
    start, end = _markers(block)
    text = readme.read_text(encoding="utf-8")
    pattern = re.escape(start) + r"\n.*?" + re.escape(end)
    readme.write_text(
        re.sub(pattern, lambda _m: f"{start}\n{content}{end}", text, flags=re.S), encoding="utf-8"
    )


def refresh_readme(readme: Path) -> None:
    from slaforge.entrypoints.cli.main import app

    write_readme_block(readme, CLI_BLOCK, render_reference(app))
    write_readme_block(readme, SETTINGS_BLOCK, render_settings())


if __name__ == "__main__":
    refresh_readme(Path("README.md"))

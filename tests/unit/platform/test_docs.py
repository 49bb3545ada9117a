"""The README documents every command, option and setting, and its Quick start has two commands."""

from __future__ import annotations

import re
from pathlib import Path

from slaforge.entrypoints.cli.main import app
from slaforge.entrypoints.cli.reference import (
    CLI_BLOCK,
    SETTINGS_BLOCK,
    readme_block,
    render_reference,
    render_settings,
)

README = Path(__file__).resolve().parents[3] / "README.md"


def test_the_cli_reference_in_the_readme_is_current():
    assert readme_block(README, CLI_BLOCK) == render_reference(app), "run: python3 dev.py docs"


def test_the_settings_table_in_the_readme_is_current():
    assert readme_block(README, SETTINGS_BLOCK) == render_settings(), "run: python3 dev.py docs"


def test_every_command_has_help_text():
    reference = render_reference(app)
    for line in reference.splitlines():
        if line.startswith("- **`slaforge"):
            assert not line.rstrip().endswith("—"), line


def test_the_quick_start_has_exactly_two_commands():
    text = README.read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    assert block.group(1).strip().splitlines() == ["python3 dev.py demo", "python3 dev.py test"]

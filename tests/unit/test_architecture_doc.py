"""docs/architecture.md names a module (and often a function or class) at every hop of its data walk;
each must exist, so the walk cannot drift from the code unnoticed."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"
# `slaforge.a.b` or `slaforge.a.b:name` inside backticks.
REFERENCE = re.compile(r"`(slaforge(?:\.\w+)+)(?::(\w+))?`")
REFERENCES = sorted(set(REFERENCE.findall(DOC.read_text(encoding="utf-8"))))


def test_the_walk_names_modules() -> None:
    assert len(REFERENCES) >= 20


@pytest.mark.parametrize(("module", "name"), REFERENCES, ids=[f"{m}:{n}" if n else m for m, n in REFERENCES])
def test_each_named_module_and_name_exists(module: str, name: str) -> None:
    loaded = importlib.import_module(module)
    if name:
        assert hasattr(loaded, name), f"{module} has no {name}"

"""docs/mappings.md documents the mapping language (issue 11): every key the schema accepts, at
every level, is in it, and every YAML example in it loads through the real mapping loader."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from slaforge.adapters.background.importers.mapping_keys import ROOTS, models_in
from slaforge.adapters.background.importers.registry import parse_mapping
from slaforge.adapters.background.importers.spec import OutageMapping, TicketMapping

DOC = Path(__file__).resolve().parents[3] / "docs" / "mappings.md"


def reachable_models() -> set[type[BaseModel]]:
    """Every model a mapping file reaches, walked through the fields' types."""
    seen: set[type[BaseModel]] = set()
    todo = list(ROOTS.values())
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for field in model.model_fields.values():
            todo += models_in(field.annotation)
    return seen


def every_key() -> set[tuple[str, str]]:
    return {(m.__name__, name) for m in reachable_models() for name in m.model_fields}


def test_the_walk_reaches_every_level_of_the_schema() -> None:
    names = {m.__name__ for m in reachable_models()}
    assert {"TicketMapping", "OutageMapping", "ColumnSpec", "TicketColumns", "Statuses", "Population",
            "Activity", "ActivityEffect", "JsonJoin", "Planned", "OutageColumns"} <= names  # fmt: skip


@pytest.mark.parametrize(("model", "key"), sorted(every_key()))
def test_every_key_the_schema_accepts_is_documented(model: str, key: str) -> None:
    assert f"`{key}`" in DOC.read_text(encoding="utf-8"), f"{model}.{key} is not in docs/mappings.md"


def yaml_examples() -> list[str]:
    return re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_doc_has_a_wide_a_long_and_a_json_example() -> None:
    loaded = [parse_mapping(text) for text in yaml_examples()]
    tickets = [m for m in loaded if isinstance(m, TicketMapping)]
    assert {m.layout for m in tickets} == {"wide", "long"}
    assert any(m.format == "json" for m in tickets)
    assert any(m.format == "csv" and m.delimiter == ";" and m.encoding == "latin-1" for m in tickets)
    assert any(isinstance(m, OutageMapping) for m in loaded)


@pytest.mark.parametrize("number", range(len(yaml_examples())))
def test_every_yaml_example_in_the_doc_loads(number: int) -> None:
    text = yaml_examples()[number]
    mapping = parse_mapping(text, origin=f"docs/mappings.md example {number + 1}")
    assert mapping.name


def test_the_documented_pause_rule() -> None:
    assert "an empty list means no pauses" in DOC.read_text(encoding="utf-8")

"""Mapping files: the built-ins load, and a wrong mapping is refused naming the key at fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from slaforge.adapters.background.importers.registry import (
    builtin_mappings,
    builtin_names,
    load_mapping,
    parse_mapping,
)
from slaforge.adapters.background.importers.spec import OutageMapping, TicketMapping
from slaforge.domain.errors import InvalidInput, NotFound

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"

GOOD = """
name: mine
source: mine
layout: long
columns:
  ticket: id
  time: at
"""


def test_every_builtin_mapping_loads_and_says_what_it_reads() -> None:
    names = builtin_names()
    assert {"servicenow", "polato-helpdesk", "zendesk", "jira-service-management", "cloud-uptime",
            "github-status"} <= set(names)  # fmt: skip
    infos = {m.name: m for m in builtin_mappings()}
    assert infos["servicenow"].layout == "long"
    assert infos["zendesk"].layout == "wide"
    assert infos["cloud-uptime"].kind == "outages"
    assert all(m.summary for m in infos.values())


def test_a_minimal_mapping_gets_the_documented_defaults() -> None:
    m = parse_mapping(GOOD)
    assert isinstance(m, TicketMapping)
    assert (m.timezone, m.time_formats, m.missing, m.columns.ticket.column) == ("UTC", ["iso"], [], "id")


def test_a_mapping_file_is_found_by_path() -> None:
    m = load_mapping(str(FIXTURES / "long_events.yaml"))
    assert (m.name, m.timezone) == ("my-helpdesk", "Europe/Paris")


def test_an_unknown_mapping_name_lists_the_builtins() -> None:
    with pytest.raises(NotFound, match="servicenow"):
        load_mapping("no-such-mapping")


def test_an_outage_mapping_is_told_apart_by_its_kind() -> None:
    m = parse_mapping("name: o\nsource: o\nkind: outages\ncolumns: {id: id, service: s, start: a}\n")
    assert isinstance(m, OutageMapping)


BAD = [
    ("a misspelt key", GOOD + "  statu: state\n", "columns.statu", "did you mean `status`?"),
    ("an unknown encoding", GOOD + "encoding: klingon-8\n", "encoding", "unknown encoding 'klingon-8'"),
    ("a missing ticket column", "name: m\nsource: m\nlayout: wide\ncolumns: {created: c}\n", "columns.ticket",
     "Field required"),
    ("an unknown layout", GOOD.replace("layout: long", "layout: tall"), "layout", "'long' or 'wide'"),
    ("a long layout without a time", GOOD.replace("  time: at\n", ""), "(top level)", "columns.time"),
    ("a wide layout without a creation time", GOOD.replace("layout: long", "layout: wide"), "(top level)",
     "columns.created"),
    ("an unknown time zone", GOOD + "timezone: Mars/Olympus\n", "timezone", "Mars/Olympus"),
    ("a status both new and resolved", GOOD + "statuses: {new: [Open], resolved: [Open]}\n", "statuses",
     "both `new` and `resolved`"),
    ("an activity kind that is not a reply or a note",
     GOOD + "activity: {column: a, values: {Fix: {kind: resolved}}}\n", "activity.values.Fix.kind",
     "agent_reply"),
    ("a column spec with no source", GOOD + "attributes: {x: {type: int}}\n", "attributes.x",
     "give `column`, `template` or `hash`"),
    ("a template on a column without {value}", GOOD + "attributes: {x: {column: a, template: X}}\n",
     "attributes.x", "{value}"),
    ("a planned pattern that is not a regular expression",
     "name: o\nsource: o\nkind: outages\ncolumns: {id: i, service: s, start: a}\nplanned: {column: d, pattern: '('}\n",
     "planned.pattern", "not a regular expression"),
    ("an unknown kind", GOOD + "kind: incidents\n", "kind", "use tickets or outages"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "text", "key", "message"), BAD, ids=[b[0] for b in BAD])
def test_a_wrong_mapping_is_refused_naming_the_key(case: str, text: str, key: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_mapping(text, origin="mine.yaml")
    assert f"{key}:" in caught.value.message, caught.value.message
    assert message in caught.value.message
    assert "mine.yaml is not a valid mapping" in caught.value.message


def test_yaml_that_does_not_parse_is_named_as_such() -> None:
    with pytest.raises(InvalidInput, match="not valid YAML"):
        parse_mapping("name: [unclosed", origin="x.yaml")


def test_a_yaml_list_is_not_a_mapping() -> None:
    with pytest.raises(InvalidInput, match="must be a YAML mapping"):
        parse_mapping("- a\n- b\n")


def test_numbers_and_booleans_in_value_maps_read_as_text() -> None:
    m = parse_mapping(GOOD + "  priority: {column: p, values: {1: critical, true: high}}\n")
    assert isinstance(m, TicketMapping)
    assert m.columns.priority is not None
    assert m.columns.priority.values == {"1": "critical", "true": "high"}


@pytest.mark.parametrize(
    ("text", "key", "nearest"),
    [
        (GOOD + "encodng: latin-1\n", "encodng", "`encoding`"),
        (GOOD + "delimeter: ';'\n", "delimeter", "`delimiter`"),
        (GOOD + "statuses: {paused: [Waiting]}\n", "statuses.paused", "`pause`"),
        (GOOD + "  created: {column: c, requird: true}\n", "columns.created.requird", "`required`"),
        (GOOD + "attributes: {a: {colum: b}}\n", "attributes.a.colum", "`column`"),
        (GOOD + "population: {unresolvd: exclude}\n", "population.unresolvd", "`unresolved`"),
    ],
)
def test_a_wrong_key_names_the_nearest_valid_key_and_the_doc(text: str, key: str, nearest: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_mapping(text, origin="mine.yaml")
    line = next(x for x in caught.value.message.splitlines() if x.strip().startswith(key + ":"))
    assert f"did you mean {nearest}" in line
    assert "docs/mappings.md" in line
    assert "Extra inputs" not in line


def test_a_wrong_key_with_nothing_near_lists_the_keys_of_its_level() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_mapping(GOOD + "statuses: {zzzzzz: [x]}\n", origin="mine.yaml")
    assert "the keys here are created, new, resolved, closed, pause, ignore" in caught.value.message


def test_the_encoding_defaults_to_utf8() -> None:
    assert parse_mapping(GOOD).encoding == "utf-8"
    assert parse_mapping(GOOD + "encoding: cp1252\n").encoding == "cp1252"

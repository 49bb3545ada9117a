"""A study measures by the user's definitions: the pause statuses the mapping lists (travelling with
each import), no first-response figures where the history has no first-response signal, and
the definitions stated in the stored study and its report."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from slaforge.adapters.background.report.capability_report import render_html
from slaforge.bootstrap import system_clock
from slaforge.domain.time.calendar import BusinessCalendar
from slaforge.services.background.imports import import_tickets
from slaforge.services.background.study import get_study, run_capability_study
from slaforge.services.unit_of_work import UnitOfWork

ALWAYS = BusinessCalendar.from_dict(
    {
        "timezone": "UTC",
        "hours": {d: ["00:00-24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
    }
)
HOUR = 3600.0

# Two tickets per export: one waits 2 h in "Parked", the other 2 h in "On hold"; each is open 4 h.
ROWS = [
    ("1", "2024-03-04 09:00", "New"),
    ("1", "2024-03-04 10:00", "Parked"),
    ("1", "2024-03-04 12:00", "In progress"),
    ("1", "2024-03-04 13:00", "Resolved"),
    ("2", "2024-03-04 09:00", "New"),
    ("2", "2024-03-04 10:00", "On hold"),
    ("2", "2024-03-04 12:00", "In progress"),
    ("2", "2024-03-04 13:00", "Resolved"),
]


def long_export(folder: Path, prefix: str) -> Path:
    """A long export whose tickets' priorities name the export (`A-parked`, `A-hold`)."""
    path = folder / f"{prefix}.csv"
    lines = ["id,at,status,priority"]
    for ticket, at, status in ROWS:
        kind = "parked" if ticket == "1" else "hold"
        lines.append(f"{prefix}{ticket},{at},{status},{prefix}-{kind}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def mapping(folder: Path, source: str, pause: str | None, *, replies: bool = True) -> Path:
    """A long-layout mapping; `pause` is the YAML of `statuses.pause`, None leaves the key out."""
    path = folder / f"{source}.yaml"
    text = f"""name: {source}
source: {source}
layout: long
time_formats: ["%Y-%m-%d %H:%M"]
first_response_on_leaving_new: {"true" if replies else "false"}
columns: {{ticket: id, time: at, status: status, priority: priority}}
statuses:
  created: New
  new: [New]
  resolved: [Resolved]
"""
    if pause is not None:
        text += f"  pause: {pause}\n"
    path.write_text(text, encoding="utf-8")
    return path


def study(uow: UnitOfWork, **options: Any) -> dict[str, Any]:
    s = run_capability_study(uow=uow, calendar=ALWAYS, calendar_name="always", clock=system_clock,
                             now=datetime(2024, 3, 5, tzinfo=UTC), **options)  # fmt: skip
    return get_study(uow=uow, study_id=s.study_id)


def p50(found: dict[str, Any], metric: str = "resolution") -> dict[str, float | None]:
    return {s["label"]: s[metric]["percentiles"]["50"] for s in found["results"]["segments"]}


@pytest.fixture
def three_imports(uow: UnitOfWork, tmp_path: Path) -> UnitOfWork:
    """Export A's mapping lists [Parked], B's lists none ([]), C's says nothing about pauses."""
    for prefix, pause in (("A", "[Parked]"), ("B", "[]"), ("C", None)):
        import_tickets(uow=uow, clock=system_clock, path=long_export(tmp_path, prefix),
                       mapping=mapping(tmp_path, prefix.lower(), pause))  # fmt: skip
    return uow


def test_each_import_is_measured_with_the_pause_statuses_its_mapping_lists(three_imports: UnitOfWork) -> None:
    found = study(three_imports)
    assert p50(found) == {
        "A-hold": 4 * HOUR, "A-parked": 2 * HOUR,  # only the listed "Parked" pauses, not "On hold"
        "B-hold": 4 * HOUR, "B-parked": 4 * HOUR,  # an empty list: nothing pauses
        "C-hold": 2 * HOUR, "C-parked": 4 * HOUR,  # nothing said: the status names decide
    }  # fmt: skip
    groups = found["results"]["pause_rule"]["groups"]
    assert [(g["origin"], g["statuses"], g["tickets"]) for g in groups] == [
        ("mapping", ["Parked"], 2), ("mapping", [], 2), ("default", ["On hold"], 2)
    ]  # fmt: skip


def test_pause_statuses_given_for_the_study_override_the_mappings(three_imports: UnitOfWork) -> None:
    found = study(three_imports, pause_statuses=frozenset({"On hold"}))
    assert set(p50(found).items()) == {
        ("A-hold", 2 * HOUR), ("A-parked", 4 * HOUR), ("B-hold", 2 * HOUR), ("B-parked", 4 * HOUR),
        ("C-hold", 2 * HOUR), ("C-parked", 4 * HOUR),
    }  # fmt: skip
    assert [g["origin"] for g in found["results"]["pause_rule"]["groups"]] == ["given"]


def test_the_report_states_the_pause_rule_in_force(three_imports: UnitOfWork) -> None:
    html = render_html(study(three_imports))
    assert "pause statuses listed by the mapping (import #1): Parked" in html
    assert "the mapping (import #2) lists no pause statuses: clocks never pause" in html
    assert "default rule, statuses whose name contains wait, pending or hold" in html


def test_a_history_without_a_first_response_signal_gets_no_first_response_figures(
    uow: UnitOfWork, tmp_path: Path
) -> None:
    import_tickets(uow=uow, clock=system_clock, path=long_export(tmp_path, "D"),
                   mapping=mapping(tmp_path, "d", "[]", replies=False))  # fmt: skip
    found = study(uow)
    r = found["results"]
    assert r["first_response_data"] == {"tickets": 0, "all": 2}
    for seg in r["segments"]:
        block = seg["first_response"]
        assert block["no_data"] is True
        assert all(v is None for v in block["percentiles"].values())  # not resolution's figures
        assert block["recommendation"]["target_label"] is None
        assert block["recommendation"]["reason"] == "no first-response data in this history"
        assert seg["resolution"]["percentiles"]["50"] == 4 * HOUR
    assert not any(b["metric"] == "first_response" for b in r["backtests"])
    html = render_html(found)
    assert "No first-response data in this history: no ticket records an agent reply" in html
    assert "First response: attainment curves" not in html  # no empty charts either
    assert "Resolution: attainment curves" in html


def test_an_export_with_replies_keeps_its_first_response_figures(uow: UnitOfWork, tmp_path: Path) -> None:
    import_tickets(uow=uow, clock=system_clock, path=long_export(tmp_path, "E"),
                   mapping=mapping(tmp_path, "e", "[]"))  # fmt: skip
    r = study(uow)["results"]
    assert r["first_response_data"] == {"tickets": 2, "all": 2}
    assert p50({"results": r}, "first_response") == {"E-hold": HOUR, "E-parked": HOUR}  # left New at 10:00


def test_the_study_states_the_population_rule_its_imports_were_read_under(
    uow: UnitOfWork, tmp_path: Path
) -> None:
    path = mapping(tmp_path, "p", "[]")
    path.write_text(path.read_text() + "population: {unresolved: exclude}\n", encoding="utf-8")
    import_tickets(uow=uow, clock=system_clock, path=long_export(tmp_path, "P"), mapping=path)
    found = study(uow)
    said = "a ticket closed without a resolved time is resolved when it closed; unresolved tickets are left out"
    assert found["parameters"]["population"] == said
    assert f"as the imports' mappings said: {said}" in html.unescape(render_html(found))


def test_a_study_csv_neutralises_segment_labels_a_spreadsheet_would_evaluate(
    uow: UnitOfWork, tmp_path: Path
) -> None:
    from slaforge.services.background.study_export import export_study

    import_tickets(uow=uow, clock=system_clock, path=long_export(tmp_path, "=SUM(1+1)"),
                   mapping=mapping(tmp_path, "f", "[]"))  # fmt: skip
    found = study(uow)
    assert {s["label"] for s in found["results"]["segments"]} >= {"=SUM(1+1)-parked"}  # stored exactly
    figures, _ = export_study(uow=uow, study_id=found["id"], fmt="csv", out_dir=tmp_path / "out")
    text = figures.read_text(encoding="utf-8")
    assert "'=SUM(1+1)-parked" in text
    assert ",=SUM" not in text
    assert "\n=SUM" not in text

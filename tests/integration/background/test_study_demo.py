"""The demo ends with a capability study and says where its report is (SQLite only, as the demo)."""

from __future__ import annotations

from pathlib import Path

import pytest

from slaforge.bootstrap import system_clock, units_on
from slaforge.services.demo.walk import run_demo

pytestmark = pytest.mark.sqlite_only


def test_the_demo_studies_its_history_and_writes_the_report(tmp_path: Path) -> None:
    messages: list[str] = []
    result = run_demo(
        connect=units_on,
        clock=system_clock,
        data_dir=tmp_path,
        shared_data_dir=tmp_path / "absent",
        progress=messages.append,
        synthetic_incidents=300,
    )
    assert result.study is not None
    assert result.study.tickets == 300
    assert [row.segment for row in result.study.headline] == ["critical", "high", "moderate", "low"]
    assert result.report_html is not None
    assert result.report_pdf is not None
    assert result.report_html.parent == result.database_path.parent / "reports"
    assert "capability report" in result.report_html.read_text(encoding="utf-8")
    assert result.report_pdf.read_bytes().startswith(b"%PDF-")
    assert f"capability report (HTML): {result.report_html}" in messages
    assert f"capability report (PDF):  {result.report_pdf}" in messages
    study_lines = [m for m in messages if m.startswith(("capability", "  "))]
    assert len(study_lines) <= 8  # the demo's output stays short


def test_the_demo_can_skip_the_study(tmp_path: Path) -> None:
    result = run_demo(
        connect=units_on,
        clock=system_clock,
        data_dir=tmp_path,
        shared_data_dir=tmp_path,
        synthetic_incidents=50,
        with_study=False,
    )
    assert (result.study, result.report_html, result.report_pdf) == (None, None, None)

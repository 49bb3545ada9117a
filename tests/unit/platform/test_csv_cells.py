"""CSV cells a spreadsheet would evaluate are neutralised (issue 10, item 6; OWASP CSV injection)."""

from __future__ import annotations

import csv
import io

import pytest

from slaforge.domain.platform.csv_cells import safe_cell, safe_row


@pytest.mark.parametrize(
    "attack",
    ["=cmd|' /C calc'!A0", "+SUM(1+1)", "@SUM(1)", "-2+3", "\t=1+1", "\r=1+1", '=HYPERLINK("x")', "-"],
)
def test_a_cell_a_spreadsheet_would_evaluate_gets_a_leading_apostrophe(attack: str) -> None:
    assert safe_cell(attack) == "'" + attack


@pytest.mark.parametrize("plain", ["-5", "+3.25", "-0.5e3", "-.5", "Incident", "a=b", " =x", "", "2+3"])
def test_plain_numbers_and_ordinary_text_stay_as_they_are(plain: str) -> None:
    assert safe_cell(plain) == plain


def test_numbers_slaforge_writes_itself_stay_numbers() -> None:
    out = io.StringIO()
    csv.writer(out).writerow(safe_row([-3, 2.5, None, "=1", "-7"]))
    assert out.getvalue() == "-3,2.5,,'=1,-7\r\n"

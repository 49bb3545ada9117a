"""The page templates carry nothing the Content-Security-Policy refuses: no inline script or event
handler, no inline style attribute, and every <style> block carries the response's nonce."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from slaforge.entrypoints.web import TEMPLATES_DIR

# The report's chart macros are drawn in the study page too (the report itself is a document,
# whose own policy allows inline styles).
CHARTS = Path(TEMPLATES_DIR).parents[2] / "adapters" / "background" / "report" / "templates" / "report_charts.html"
TEMPLATES = [
    *sorted(p.relative_to(TEMPLATES_DIR).as_posix() for p in Path(TEMPLATES_DIR).rglob("*.html")),
    str(CHARTS),
]


@pytest.mark.parametrize("template", TEMPLATES)
def test_no_template_carries_what_the_policy_refuses(template: str) -> None:
    text = (Path(TEMPLATES_DIR) / template).read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline script"
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler"
    assert not re.search(r"\sstyle\s*=", text), "inline style attribute"
    assert "javascript:" not in text
    for attrs in re.findall(r"<style([^>]*)>", text):
        assert 'nonce="{{ csp_nonce }}"' in attrs, "a <style> block without the page's nonce"

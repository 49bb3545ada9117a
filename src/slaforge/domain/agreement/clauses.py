"""Clause templates as values: their keys, the file form they are exported and imported in, and
the rule that a clause must say something.

Rendering them (Jinja2, StrictUndefined) is an adapter's job (adapters/renderers/agreement);
this module holds the rules that do not need a template engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from slaforge.domain.errors import InvalidInput

# The built-in library, in document order; a provider may add its own keys.
STANDARD_KEYS = (
    "scope",
    "coverage",
    "objectives",
    "exclusions",
    "responsibilities",
    "reporting",
    "remedies",
    "escalation",
    "contacts",
    "term",
    "change",
    "definitions",
)
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{0,49}$")
MAX_BODY = 20_000
FILE_SUFFIX = ".md.j2"
# The first line of a clause file: a Jinja comment, so the file still renders as it is.
_HEADER = re.compile(r"^\{#-?\s*title:\s*(?P<title>[^|#]+?)\s*\|\s*position:\s*(?P<pos>\d{1,4})\s*-?#\}\n")


@dataclass(frozen=True, slots=True)
class ClauseTemplate:
    key: str
    title: str
    body: str  # Jinja2 producing Markdown
    position: int  # document order; lower comes first
    builtin: bool = False  # shipped with slaforge and not edited

    def to_file(self) -> str:
        return f"{{#- title: {self.title} | position: {self.position} -#}}\n{self.body}"


def check_key(key: str, field: str = "key") -> str:
    if not KEY_PATTERN.match(key):
        raise InvalidInput(
            "a clause key is 1-50 lower-case letters, digits, '-' or '_', starting with a letter",
            field=field,
            value=key,
        )
    return key


def check_template_text(key: str, title: str, body: str) -> None:
    """The checks that need no rendering: a key, a title, a body of sensible size."""
    check_key(key)
    if not title.strip() or len(title) > 200 or "|" in title or "#" in title:
        raise InvalidInput(
            f"clause '{key}': a title of 1-200 characters without '|' or '#'", field="title", value=title
        )
    if not body.strip():
        raise InvalidInput(f"clause '{key}' is empty", field="body", value=key)
    if len(body) > MAX_BODY or "\x00" in body:
        raise InvalidInput(f"clause '{key}': at most {MAX_BODY} characters", field="body", value=key)


def parse_template_file(key: str, text: str) -> ClauseTemplate:
    """A clause file as exported: the header line with title and position, then the body."""
    match = _HEADER.match(text.replace("\r\n", "\n"))
    if match is None:
        raise InvalidInput(
            f"clause '{key}': the first line must be '{{#- title: … | position: N -#}}'",
            field=key + FILE_SUFFIX,
            value=text[:80],
        )
    body = text.replace("\r\n", "\n")[match.end() :]
    title = match.group("title").strip()
    check_template_text(key, title, body)
    return ClauseTemplate(key=key, title=title, body=body, position=int(match.group("pos")))


def check_rendered(key: str, text: str) -> str:
    """A clause that renders to nothing (or only whitespace and headings) is refused, named."""
    meaningful = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not meaningful:
        raise InvalidInput(f"clause '{key}' renders an empty clause", value=key)
    return text.strip()

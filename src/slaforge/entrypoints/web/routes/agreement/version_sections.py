"""Parts later steps add to the console's agreement version page, without step 2 importing them.

web/routes/__init__.py registers each (step 3: the underpinning warnings). A section is given the
version shown and returns the template to include with that template's `section`, or None to show
nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slaforge.bootstrap import Container
from slaforge.entrypoints.web.session import WebUow
from slaforge.services.agreement import reading

VersionSection = Callable[[WebUow, Container, reading.VersionView], tuple[str, Any] | None]
VERSION_SECTIONS: list[VersionSection] = []


def sections_for(uow: WebUow, container: Container, view: reading.VersionView) -> list[tuple[str, Any]]:
    return [s for s in (add(uow, container, view) for add in VERSION_SECTIONS) if s is not None]

"""Finding and loading mappings: the built-in ones by name, or a YAML file by path.

Every problem in a mapping file is reported at once, each with the path of the key
(`columns.priority.unknown: …`), and names the file, so a user can fix it in one go.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from slaforge.adapters.background.importers.mapping_keys import wrong_key_hint
from slaforge.adapters.background.importers.spec import MappingFile, MappingSpec, OutageMapping, TicketMapping
from slaforge.domain.errors import InvalidInput, NotFound

_ADAPTER: TypeAdapter[MappingSpec] = TypeAdapter(MappingFile)


class _TextLoader(yaml.SafeLoader):
    """YAML that reads every scalar as text (only `null` stays special): source values such as
    `Yes`, `off`, `1` or `2016-02-29` are text in an export, and YAML 1.1 would turn them
    into booleans, numbers and dates, merging `1` with `true`. Pydantic reads the text back
    as the number or boolean a setting needs."""


_TextLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag == "tag:yaml.org,2002:null"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True, slots=True)
class MappingInfo:
    name: str
    kind: str  # tickets or outages
    layout: str | None  # long or wide (tickets)
    summary: str  # the first line of the description


def _builtin_dir() -> Any:
    return resources.files("slaforge.adapters.background.importers") / "mappings"


def builtin_names() -> list[str]:
    return sorted(p.name[: -len(".yaml")] for p in _builtin_dir().iterdir() if p.name.endswith(".yaml"))


def builtin_mappings() -> list[MappingInfo]:
    out = []
    for name in builtin_names():
        m = load_mapping(name)
        layout = m.layout if isinstance(m, TicketMapping) else None
        out.append(MappingInfo(m.name, m.kind, layout, (m.description.strip().splitlines() or [""])[0]))
    return out


def builtin_text(name: str) -> str:
    """A built-in mapping's YAML as shipped, comments included: a start for one's own."""
    if name not in builtin_names():
        raise NotFound(f"no built-in mapping '{name}'; the built-in ones are: {', '.join(builtin_names())}")
    return str((_builtin_dir() / f"{name}.yaml").read_text(encoding="utf-8"))


def load_mapping(name_or_path: str | Path) -> MappingSpec:
    """A built-in mapping by name (`servicenow`), else a YAML file by path."""
    text = str(name_or_path)
    builtin = _builtin_dir() / f"{text}.yaml"
    if isinstance(name_or_path, str) and "/" not in text and builtin.is_file():
        return parse_mapping(builtin.read_text(encoding="utf-8"), origin=f"built-in mapping '{text}'")
    path = Path(name_or_path)
    if not path.is_file():
        raise NotFound(f"no mapping '{text}': not a built-in ({', '.join(builtin_names())}) and no such file")
    return parse_mapping(path.read_text(encoding="utf-8"), origin=path.name)


def parse_mapping(text: str, *, origin: str = "mapping") -> MappingSpec:
    try:
        data = yaml.load(text, Loader=_TextLoader)  # a SafeLoader: no Python objects
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{origin} is not valid YAML: {exc}", field="mapping") from exc
    if not isinstance(data, dict):
        raise InvalidInput(f"{origin} must be a YAML mapping of keys to values", field="mapping")
    data.setdefault("kind", "tickets")
    try:
        return _ADAPTER.validate_python(data)
    except ValidationError as exc:
        raise InvalidInput(_describe(exc, origin), field=_first_key(exc)) from exc


def _user_path(loc: tuple[Any, ...]) -> list[str | int]:
    # The union adds the kind's tag ("tickets") in front of each path; the reader never wrote it.
    tags = ("tickets", "outages")
    rest = list(loc[1:]) if loc and loc[0] in tags else list(loc)
    return [p for p in rest if not (isinstance(p, str) and p.startswith("function-"))]


def _key(loc: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in _user_path(loc)) or "(top level)"


def _first_key(exc: ValidationError) -> str:
    errors = exc.errors()
    if errors and errors[0]["type"] == "union_tag_invalid":
        return "kind"
    return _key(errors[0]["loc"]) if errors else "mapping"


def _describe(exc: ValidationError, origin: str) -> str:
    lines = [f"{origin} is not a valid mapping:"]
    for err in exc.errors():
        if err["type"] == "union_tag_invalid":  # the only place a wrong `kind` shows up
            lines.append(f"  kind: '{err['input'].get('kind')}' is not a kind; use tickets or outages")
            continue
        msg = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            kind = str(err["loc"][0]) if err["loc"] else "tickets"
            msg = wrong_key_hint(kind, _user_path(err["loc"]))
        lines.append(f"  {_key(err['loc'])}: {msg}")
    return "\n".join(lines)


def mapping_as_dict(mapping: MappingSpec) -> dict[str, Any]:
    """The mapping as loaded, defaults filled in (what a preview page shows)."""
    return mapping.model_dump(mode="json", exclude_none=True)


__all__ = [
    "MappingInfo",
    "OutageMapping",
    "TicketMapping",
    "builtin_mappings",
    "builtin_text",
    "load_mapping",
    "parse_mapping",
]

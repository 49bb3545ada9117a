"""The declarative column mapping (YAML) that tells the importer how to read an export.

A mapping names the file format, the layout (`long`: one row per update or activity; `wide`:
one row per ticket), which column holds what, how times and values read, and what statuses
mean. Pydantic validates it, so a typo in a key is reported with its path
(`columns.statu: extra inputs are not permitted`) before any row is read.
"""

from __future__ import annotations

import codecs
import re
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

ISO = "iso"  # stands for the ISO 8601 forms, with or without an offset


def _text(value: Any) -> Any:
    """YAML reads `true`, `1` and `2.5` as non-strings; a source value is always text here."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


def _text_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {_text(k): _text(v) for k, v in value.items()}
    return value


def _text_list(value: Any) -> Any:
    return [_text(v) for v in value] if isinstance(value, list) else value


TextMap = Annotated[dict[str, str], BeforeValidator(_text_keys)]
TextList = Annotated[list[str], BeforeValidator(_text_list)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnSpec(_Strict):
    """Where one value comes from and how it reads. A bare string in YAML is `{column: …}`."""

    column: str | None = None
    template: str | None = None  # "{value}" is this column's value; without `column`, "{other column}"
    hash: list[str] | None = None  # a content-derived id: SHA-256 over these columns
    values: TextMap | None = None  # source value → slaforge value
    unknown: Literal["keep", "reject", "missing"] = "keep"  # a value `values` does not list
    default: str | None = None  # used when the value is missing
    required: bool = False  # a missing value rejects the row
    optional: bool = False  # the column may be absent from the file altogether
    missing: TextList = []  # more markers of "no value", beside the mapping's own
    formats: TextList | None = None  # time formats for this column (default: the mapping's)
    type: Literal["str", "int", "float", "bool"] = "str"  # for attributes
    split: str | None = None  # outages: one value names several services
    after_created: Literal["seconds", "minutes", "hours"] | None = None  # a duration, not a time
    when_status: TextList | None = None  # only taken when the ticket's status is one of these
    create: bool = True  # customer/service: create one that does not exist yet

    @model_validator(mode="after")
    def _has_a_source(self) -> ColumnSpec:
        if self.column is None and self.template is None and self.hash is None:
            raise ValueError("give `column`, `template` or `hash`")
        if self.template is not None and self.column is not None and "{value}" not in self.template:
            raise ValueError("a template on a column must contain {value}")
        return self

    def columns(self) -> list[str]:
        """The source columns this value reads."""
        if self.column is not None:
            return [self.column]
        if self.hash is not None:
            return list(self.hash)
        return template_fields(self.template or "")


def _column_spec(value: Any) -> Any:
    return {"column": value} if isinstance(value, str) else value


Col = Annotated[ColumnSpec, BeforeValidator(_column_spec)]


def template_fields(template: str) -> list[str]:
    return re.findall(r"\{([^{}]+)\}", template)


class TicketColumns(_Strict):
    ticket: Col
    time: Col | None = None  # long layout: when the row's update happened
    created: Col | None = None
    order: list[Col] = []  # whole numbers that order a ticket's rows before the time does
    status: Col | None = None
    priority: Col | None = None
    category: Col | None = None
    customer: Col | None = None
    service: Col | None = None
    first_response: Col | None = None
    resolved: Col | None = None
    closed: Col | None = None
    reopen_count: Col | None = None  # a counter that rises on each reopening


class Statuses(_Strict):
    created: str | None = None  # a new ticket's status (default: its first recorded one)
    new: TextList = []  # leaving one of these for the first time is the first response
    resolved: TextList = []
    closed: TextList = []
    pause: TextList = []  # clocks pause while the ticket is in one of these
    ignore: TextList = []  # values that are not a status (the row leaves the status as it was)

    @model_validator(mode="after")
    def _disjoint(self) -> Statuses:
        groups = {"new": self.new, "resolved": self.resolved, "closed": self.closed, "pause": self.pause}
        seen: dict[str, str] = {}
        for name, values in groups.items():
            for v in values:
                if v in seen:
                    raise ValueError(f"'{v}' is listed under both `{seen[v]}` and `{name}`")
                seen[v] = name
        return self


class Population(_Strict):
    """Which tickets are in the history a study measures. The defaults keep every ticket and are
    what slaforge always did: a ticket closed without a resolved time is resolved when it closed."""

    closed_without_resolved: Literal["resolved_at_close", "exclude"] = "resolved_at_close"
    unresolved: Literal["keep", "exclude"] = "keep"  # tickets with neither resolution nor close

    def describe(self) -> str:
        closed = (
            "a ticket closed without a resolved time is resolved when it closed"
            if self.closed_without_resolved == "resolved_at_close"
            else "tickets closed without a resolved time are left out"
        )
        open_ = (
            "unresolved tickets are kept" if self.unresolved == "keep" else "unresolved tickets are left out"
        )
        return f"{closed}; {open_}"


class ActivityEffect(_Strict):
    kind: Literal["agent_reply", "customer_reply", "internal_note"] | None = None
    status: str | None = None  # the status the ticket is in after this activity


class Activity(_Strict):
    column: str
    values: dict[str, ActivityEffect]
    unknown: Literal["ignore", "reject"] = "reject"

    @field_validator("values", mode="before")
    @classmethod
    def _keys(cls, value: Any) -> Any:
        return (
            {_text(k): ({} if v is None else v) for k, v in value.items()}
            if isinstance(value, dict)
            else value
        )


class JsonJoin(_Strict):
    """A side-loaded array matched to each record, e.g. Zendesk's `metric_sets` by `ticket_id`."""

    records: str  # the key of the side-loaded array
    match: str  # its field that names the main record ("ticket_id")
    to: str = "id"  # the main record's field it names
    into: str  # the side-loaded record appears under this name


class SourceOptions(_Strict):
    name: str
    description: str = ""
    source: str = Field(min_length=1, max_length=100)  # tickets and outages are stored under it
    format: Literal["csv", "json", "jsonl", "parquet"] | None = None  # when the file's suffix does not say
    zip_member: str | None = None  # a member of a .zip (default: its only file of the format)
    records: str | None = None  # json: the key holding the records (default: the document is a list)
    join: list[JsonJoin] = []
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    encoding: str = "utf-8"  # the text encoding of a CSV or JSON Lines file (latin-1, cp1252, …)
    timezone: str = "UTC"  # the zone of times written without an offset
    time_formats: TextList = [ISO]
    time_description: str | None = None  # how a time looks, for error messages
    missing: TextList = []  # values that mean "no value" in any column (the empty string always does)

    @field_validator("encoding")
    @classmethod
    def _codec(cls, value: str) -> str:
        try:
            codecs.lookup(value)
        except LookupError as exc:
            raise ValueError(
                f"unknown encoding '{value}'; use a Python codec name such as utf-8, latin-1 or cp1252"
            ) from exc
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone '{value}'") from exc
        return value


class TicketMapping(SourceOptions):
    kind: Literal["tickets"] = "tickets"
    layout: Literal["long", "wide"]
    columns: TicketColumns
    statuses: Statuses = Statuses()
    activity: Activity | None = None
    attributes: dict[str, Col] = {}  # kept in ticket.attributes under these names
    first_response_on_leaving_new: bool = True
    population: Population = Population()

    @model_validator(mode="after")
    def _layout_needs(self) -> TicketMapping:
        if self.layout == "long" and self.columns.time is None:
            raise ValueError("a long layout needs `columns.time` (when each row happened)")
        if self.layout == "wide" and self.columns.created is None:
            raise ValueError("a wide layout needs `columns.created`")
        if self.layout == "wide" and (self.activity or self.columns.order or self.columns.reopen_count):
            raise ValueError("`activity`, `columns.order` and `columns.reopen_count` need a long layout")
        return self


class Planned(_Strict):
    column: str
    pattern: str  # a regular expression; a match marks the outage planned (maintenance)

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a regular expression: {exc}") from exc
        return value


class OutageColumns(_Strict):
    id: Col
    service: Col
    start: Col
    end: Col | None = None
    description: Col | None = None


class OutageMapping(SourceOptions):
    kind: Literal["outages"]
    columns: OutageColumns
    planned: Planned | None = None


MappingSpec = TicketMapping | OutageMapping
# What a mapping file holds: `kind` (tickets, the default, or outages) says which model reads it.
MappingFile = Annotated[TicketMapping | OutageMapping, Field(discriminator="kind")]

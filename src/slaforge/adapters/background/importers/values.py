"""Reading one column of a batch, vectorised: text, value maps, templates, numbers and times.

Each reader returns the values and, beside them, the reason a value is unusable (null where it
is fine), so a whole batch is checked with a few Polars operations rather than row by row.
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import dataclass

import polars as pl

from slaforge.adapters.background.importers.spec import ISO, ColumnSpec, template_fields

UTC_US = pl.Datetime("us", "UTC")
ISO_AWARE = ("%Y-%m-%dT%H:%M:%S%.f%#z", "%Y-%m-%d %H:%M:%S%.f%#z")
ISO_NAIVE = ("%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d")
TRUE = ("true", "t", "yes", "y", "1")
FALSE = ("false", "f", "no", "n", "0")


@dataclass(frozen=True, slots=True)
class Ctx:
    """What every column of one mapping shares."""

    markers: tuple[str, ...]  # values meaning "no value"
    timezone: str
    formats: tuple[str, ...]
    description: str | None  # how a time looks, for messages


@dataclass(frozen=True, slots=True)
class Read:
    values: pl.Series
    problems: pl.Series | None  # reason per row, null where the value is fine
    column: str | None  # the source column blamed for a problem


def _when(mask: pl.Series, then: pl.Series) -> pl.Series:
    return pl.select(pl.when(mask).then(then)).to_series()


def flag(mask: pl.Series, before: str, value: pl.Series | None = None, after: str = "") -> pl.Series | None:
    """The reason `before + value + after` where `mask` holds, else null; None when it never holds.

    Reasons are only built when a row is bad: most batches have none, and building a text per
    row to throw it away would cost more than reading the column.
    """
    if not mask.any():
        return None
    parts = [pl.lit(before), *([pl.lit(value)] if value is not None else []), pl.lit(after)]
    return pl.select(pl.when(mask).then(pl.concat_str(parts))).to_series()


def merge(first: pl.Series | None, second: pl.Series | None) -> pl.Series | None:
    """Per row, the first reason given."""
    if first is None:
        return second
    return first if second is None else first.fill_null(second)


def clean(raw: pl.Series, ctx: Ctx, spec: ColumnSpec | None = None) -> pl.Series:
    """Trimmed text with every missing marker (and the empty string) read as null."""
    s = raw.cast(pl.String).str.strip_chars()
    markers = [*ctx.markers, *(spec.missing if spec else ()), ""]
    return _when(~s.is_in(markers).fill_null(True), s)


def text(frame: pl.DataFrame, spec: ColumnSpec, ctx: Ctx, what: str = "value") -> Read:
    named = spec.hash or template_fields(spec.template or "")
    column = spec.column or (named[0] if named else None)
    if spec.hash is not None:
        values = _hashed(frame, spec.hash, ctx)
    elif spec.column is None:
        values = _filled(frame, spec.template or "", ctx)
    else:
        values = clean(frame[spec.column], ctx, spec)
    problems: pl.Series | None = None
    if spec.values is not None:
        mapped = values.replace_strict(spec.values, default=None, return_dtype=pl.String)
        if spec.unknown == "reject":
            unknown = values.is_not_null() & mapped.is_null()
            problems = flag(unknown, "'", values, f"' is not one of {', '.join(spec.values)}")
        values = mapped if spec.unknown != "keep" else mapped.fill_null(values)
    if spec.template is not None and spec.column is not None:
        before, _, after = spec.template.partition("{value}")
        values = before + values + after
    if spec.default is not None:
        values = values.fill_null(spec.default)
    return Read(values, _required(values, problems, spec, f"a {what} is required here"), column)


def _required(
    values: pl.Series, problems: pl.Series | None, spec: ColumnSpec, reason: str
) -> pl.Series | None:
    return merge(problems, flag(values.is_null(), reason)) if spec.required else problems


def _filled(frame: pl.DataFrame, template: str, ctx: Ctx) -> pl.Series:
    parts: list[pl.Expr] = []
    for literal, name, _fmt, _conv in string.Formatter().parse(template):
        if literal:
            parts.append(pl.lit(literal))
        if name is not None:
            parts.append(pl.lit(clean(frame[name], ctx)).fill_null(""))
    if not parts:
        return pl.select(pl.repeat("", frame.height, dtype=pl.String)).to_series()
    return pl.select(pl.concat_str(parts).str.strip_chars()).to_series()


def _hashed(frame: pl.DataFrame, columns: list[str], ctx: Ctx) -> pl.Series:
    # Python's hashlib, not Polars' hash: ids must stay the same across library versions.
    joined = frame.select(
        pl.concat_str([clean(frame[c], ctx).fill_null("") for c in columns], separator="\x1f")
    )
    out = [hashlib.sha256(v.encode()).hexdigest()[:32] for v in joined.to_series().to_list()]
    return pl.Series(out, dtype=pl.String)


def number(frame: pl.DataFrame, spec: ColumnSpec, ctx: Ctx, kind: str = "int") -> Read:
    assert spec.column is not None
    s = clean(frame[spec.column], ctx, spec)
    if kind == "int":
        values, reason = s.cast(pl.Int64, strict=False), "' is not a whole number"
    else:
        values, reason = s.cast(pl.Float64, strict=False), "' is not a number"
    problems = flag(s.is_not_null() & values.is_null(), "'", s, reason)
    return Read(values, _required(values, problems, spec, "a number is required here"), spec.column)


def boolean(frame: pl.DataFrame, spec: ColumnSpec, ctx: Ctx) -> Read:
    assert spec.column is not None
    s = clean(frame[spec.column], ctx, spec)
    words = {**dict.fromkeys(TRUE, True), **dict.fromkeys(FALSE, False)}
    values = s.str.to_lowercase().replace_strict(words, default=None, return_dtype=pl.Boolean)
    problems = flag(s.is_not_null() & values.is_null(), "'", s, "' is not true or false")
    return Read(values, _required(values, problems, spec, "true or false is required here"), spec.column)


def typed(frame: pl.DataFrame, spec: ColumnSpec, ctx: Ctx) -> Read:
    if spec.type == "bool":
        return boolean(frame, spec, ctx)
    if spec.type in ("int", "float"):
        return number(frame, spec, ctx, spec.type)
    return text(frame, spec, ctx)


def _formats(spec: ColumnSpec, ctx: Ctx) -> tuple[list[str], list[str]]:
    aware: list[str] = []
    naive: list[str] = []
    for f in spec.formats or ctx.formats:
        if f == ISO:
            aware += ISO_AWARE
            naive += ISO_NAIVE
        elif "%z" in f or "%#z" in f or "%:z" in f:
            aware.append(f)
        else:
            naive.append(f)
    return aware, naive


def instant(frame: pl.DataFrame, spec: ColumnSpec, ctx: Ctx) -> Read:
    """UTC instants; a time without an offset is wall-clock time in the mapping's zone."""
    assert spec.column is not None
    raw = frame[spec.column]
    required = "a date-time is required here"
    if isinstance(raw.dtype, pl.Datetime | pl.Date):  # Parquet's own type: nothing to parse
        zone = raw.dtype.time_zone if isinstance(raw.dtype, pl.Datetime) else None
        values = raw.cast(pl.Datetime("us", zone))
        if zone is None:
            values = values.dt.replace_time_zone(ctx.timezone, ambiguous="earliest", non_existent="null")
        values = values.dt.convert_time_zone("UTC")
        skipped = raw.is_not_null() & values.is_null()  # a wall-clock time the zone skips
        gap = flag(skipped, "'", raw.cast(pl.String), "' " + _gap(ctx)) if skipped.any() else None
        return Read(values, _required(values, gap, spec, required), spec.column)
    s = clean(raw, ctx, spec)
    aware, naive = _formats(spec, ctx)
    parsed_naive = _first_fit(s, naive, None)
    local = parsed_naive.dt.replace_time_zone(ctx.timezone, ambiguous="earliest", non_existent="null")
    values = local.dt.convert_time_zone("UTC")
    if aware:
        values = _first_fit(_when(values.is_null(), s), aware, "UTC").fill_null(values)
    looks = ctx.description or "date-time in the form " + " or ".join(spec.formats or ctx.formats)
    unread = s.is_not_null() & values.is_null()
    bad = flag(unread & parsed_naive.is_null(), "'", s, f"' is not a {looks}")
    gap = flag(unread & parsed_naive.is_not_null(), "'", s, "' " + _gap(ctx))
    return Read(values, _required(values, merge(bad, gap), spec, required), spec.column)


def _gap(ctx: Ctx) -> str:
    return f"does not exist in {ctx.timezone} (the clocks went forward over it)"


def _first_fit(s: pl.Series, formats: list[str], zone: str | None) -> pl.Series:
    """Each value read with the first format that fits it; the later formats only see the rest."""
    dtype = pl.Datetime("us", zone)
    out = pl.Series(values=None, dtype=dtype).extend_constant(None, len(s))
    todo = s
    for fmt in formats:
        if todo.null_count() == len(todo):
            break
        out = out.fill_null(todo.str.strptime(dtype, fmt, strict=False, exact=True))
        todo = _when(out.is_null(), s)
    return out

"""A stored study's figures as flat records: one per segment and clock, with business seconds as
exact numbers (as stored, never rounded), and the definitions they were measured by.

The JSON export is `as_document`; the CSV export is `ROW_FIELDS` over `rows` plus the
definitions as a second, two-column table (`definition_rows`); the terminal table reads the
same rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slaforge.domain.background.study.definitions import definitions

METRICS = ("first_response", "resolution")
QUANTILES = ("50", "75", "90", "95", "99")
ROW_FIELDS = (
    "study_id",
    "segment",
    "metric",
    "tickets",
    "completed",
    "running",
    *(f"p{q}_seconds" for q in QUANTILES),
    "mean_seconds",
    "target_label",
    "target_seconds",
    "target_attainment",
    "months_meeting",
    "months",
    "level",
    "no_data",
    "reason",
)


def rows(study: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One record per segment of the study (its `segment_by`) and clock, in reading order; the
    segment's fields (priority, category, …) follow `segment` as `segment_<field>` keys."""
    out = []
    for seg in study["results"]["segments"]:
        for metric in METRICS:
            block = seg[metric]
            rec = block["recommendation"]
            row: dict[str, Any] = {
                "study_id": study.get("id"),
                "segment": seg["label"],
                **{f"segment_{k}": v for k, v in seg["key"].items()},
                "metric": metric,
                "tickets": seg["tickets"],
                "completed": block["completed"],
                "running": block["running"],
                **{f"p{q}_seconds": block["percentiles"].get(q) for q in QUANTILES},
                "mean_seconds": block["mean"],
                "target_label": rec["target_label"],
                "target_seconds": rec["target_seconds"],
                "target_attainment": rec["attainment"],
                "months_meeting": rec["months_meeting"],
                "months": rec["months"],
                "level": rec["level"],
                "no_data": bool(block.get("no_data", False)),
                "reason": rec["reason"],
            }
            out.append(row)
    return out


def fields(study: Mapping[str, Any]) -> list[str]:
    """The CSV columns: `ROW_FIELDS` with the segment's own fields after `segment`."""
    keys = [f"segment_{k}" for k in study["parameters"]["segment_by"]]
    at = ROW_FIELDS.index("segment") + 1
    return [*ROW_FIELDS[:at], *keys, *ROW_FIELDS[at:]]


def definition_rows(study: Mapping[str, Any]) -> list[dict[str, str]]:
    return [
        {"definition": k, "text": v} for k, v in definitions(study["parameters"], study["results"]).items()
    ]


def as_document(study: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON export: what was asked, the definitions as fields, and the per-segment records."""
    p = study["parameters"]
    r = study["results"]
    return {
        "study_id": study.get("id"),
        "created_at": study.get("created_at"),
        "units": "business seconds on the study's calendar; shares between 0 and 1",
        "parameters": {
            "calendar_name": p["calendar_name"],
            "calendar": p["calendar"],
            "segment_by": p["segment_by"],
            "period": p["period"],
            "level": p["level"],
            "month_share": p["month_share"],
            "sources": p.get("sources"),
            "now": p["now"],
            "percentile_method": r.get("percentile_method", p.get("percentile_method", "inverted_cdf")),
        },
        "definitions": definitions(p, r),
        "pause_rule": r.get("pause_rule"),
        "first_response_data": r.get("first_response_data"),
        "history": r["history"],
        "segments": rows(study),
    }

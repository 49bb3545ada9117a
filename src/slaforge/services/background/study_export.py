"""Export a stored study's exact figures as CSV or JSON files (business seconds as numbers).

CSV: `capability-study-ID.csv` holds one row per segment and clock; the definitions it was
measured by go beside it in `capability-study-ID.definitions.csv` (two columns, definition and
text), so the figures file stays a plain table any spreadsheet or CSV reader opens as is.
JSON: `capability-study-ID.json` holds both, the definitions as fields.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Literal

from slaforge.domain.background.study import export
from slaforge.domain.platform.csv_cells import safe_cell
from slaforge.services.background.study import get_study
from slaforge.services.unit_of_work import UnitOfWork

ExportFormat = Literal["csv", "json"]
FORMATS: tuple[ExportFormat, ...] = ("csv", "json")


def export_study(*, uow: UnitOfWork, study_id: int, fmt: ExportFormat, out_dir: Path) -> list[Path]:
    """Write the study's export in `fmt` into `out_dir`; returns the files written."""
    study = get_study(uow=uow, study_id=study_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"capability-study-{study_id}"
    if fmt == "json":
        path = stem.with_suffix(".json")
        # Floats are written with their shortest exact representation: they read back equal.
        path.write_text(json.dumps(export.as_document(study), indent=2, ensure_ascii=False) + "\n", "utf-8")
        return [path]
    figures = stem.with_suffix(".csv")
    with figures.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=export.fields(study), extrasaction="ignore")
        writer.writeheader()
        # Segment labels are the history's own values (a category named "=cmd|…" included).
        writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in export.rows(study))
    said = stem.with_name(f"{stem.name}.definitions.csv")
    with said.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["definition", "text"])
        writer.writeheader()
        writer.writerows({k: safe_cell(v) for k, v in row.items()} for row in export.definition_rows(study))
    return [figures, said]

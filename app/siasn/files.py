"""A batch written as CSV, XLSX (both through the formula-safe `app.web.exports`) or JSON lines.

Columns: Bangkom's reference of the record, insert/update, the NIP, SIASN's riwayat id when
known (an update needs it), then the thirteen kursus fields in BKN's order.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from flask import Response

from app.siasn.export import KURSUS_FIELDS, BatchLine
from app.siasn.models import ExportFormat
from app.web import exports

HEADER: tuple[str, ...] = ("ref", "action", "nip", "id", *KURSUS_FIELDS)
JSONL_MIMETYPE = "application/x-ndjson"


def _row(line: BatchLine) -> list[object]:
    return [
        line.ref,
        line.action,
        line.nip,
        line.riwayat_id,
        *(line.payload.get(name, "") for name in KURSUS_FIELDS),
    ]


def jsonl_chunks(lines: Iterable[BatchLine]) -> Iterator[str]:
    """One JSON object a line; JSON is data for a program, not a spreadsheet, so no apostrophes."""
    for line in lines:
        record: dict[str, object] = {
            "ref": line.ref,
            "action": line.action,
            "nip": line.nip,
            "id": line.riwayat_id or None,
        }
        record.update({name: line.payload.get(name, "") for name in KURSUS_FIELDS})
        yield json.dumps(record, ensure_ascii=False) + "\n"


def _xlsx(lines: list[BatchLine]) -> Path:
    def fill(book: exports.Workbook) -> None:
        sheet = book.sheet("Kursus")
        sheet.set_column(0, len(HEADER) - 1, 22, text=True)
        sheet.header(HEADER)
        sheet.rows((_row(line) for line in lines), text_columns=range(len(HEADER)))

    return exports.write_xlsx(fill, prefix="siasn-")


def write_batch(lines: list[BatchLine], fmt: ExportFormat, path: str | Path) -> None:
    """Write a batch to a file (the CLI)."""
    if fmt == ExportFormat.XLSX:
        shutil.move(_xlsx(lines), path)
        return
    if fmt == ExportFormat.CSV:
        chunks = exports.csv_chunks(HEADER, exports.batched(_row(line) for line in lines))
    else:
        chunks = jsonl_chunks(lines)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        for chunk in chunks:
            handle.write(chunk)


def batch_response(lines: list[BatchLine], fmt: ExportFormat, name: str) -> Response:
    """A batch as a download (`name` without extension)."""
    if fmt == ExportFormat.XLSX:
        return exports.xlsx_response(name, _xlsx(lines))
    if fmt == ExportFormat.CSV:
        return exports.csv_response(name, HEADER, exports.batched(_row(line) for line in lines))
    return Response(
        "".join(jsonl_chunks(lines)),
        mimetype=JSONL_MIMETYPE,
        headers={"Content-Disposition": f"attachment; filename={name}.jsonl"},
    )

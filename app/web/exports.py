"""The one writer for every CSV and XLSX export (formula-safe, constant memory).

Spreadsheets evaluate a cell that begins with `=`, `+`, `-` or `@` (and some also after a leading
tab or carriage return) as a formula, so a free-text answer such as `=HYPERLINK("http://…"&A2)`
would run on HR's machine. Every export therefore goes through this module:

- every string cell that begins with one of those characters gets a leading apostrophe (OWASP's
  CSV-injection rule), in CSV and XLSX alike, so the data stays the same whichever format is
  opened and whatever a spreadsheet later re-saves it as;
- CSV quotes every non-numeric field, so a cell such as `a;=1+1` is not split into a formula by a
  spreadsheet whose list separator is `;` (the Indonesian locale);
- XLSX strings are always written with `write_string` (never `write()` or `write_row()`, which turn
  `=…` into formula cells), numbers with `write_number`; no formula is ever written from data.

Features build rows of plain values (`Cell`) and hand them to `csv_response` or `xlsx_response`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import xlsxwriter
from flask import Response, send_file, stream_with_context

Cell = str | int | float | Decimal | dt.date | None
Row = Sequence[Any]
R = TypeVar("R", bound=Row)

FORMULA_TRIGGERS = frozenset("=+-@\t\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_NUMBERS = (int, float, Decimal)


def neutralise(text: str) -> str:
    """The text a spreadsheet shows as text, never evaluates: a leading apostrophe if needed."""
    if text and text[0] in FORMULA_TRIGGERS:
        return "'" + text
    return text


def _is_number(value: object) -> bool:
    return isinstance(value, _NUMBERS) and not isinstance(value, bool)


def safe_cell(value: object) -> str | int | float | Decimal:
    """One value as written: numbers stay numbers, None is empty, everything else safe text."""
    kind = type(value)  # exact types first: an export writes millions of plain cells
    if kind is str:
        return neutralise(value)  # type: ignore[arg-type]
    if kind is int or kind is float:
        return value  # type: ignore[return-value]
    if value is None:
        return ""
    if _is_number(value):
        return value  # type: ignore[return-value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return neutralise(str(value))


# ---------------------------------------------------------------------------------------- CSV


def csv_chunks(header: Sequence[str], batches: Iterable[Iterable[Row]]) -> Iterator[str]:
    """CSV text (UTF-8 BOM for Excel, non-numeric fields quoted), one chunk per batch of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow([neutralise(str(title)) for title in header])
    try:
        yield "\ufeff" + buffer.getvalue()
        for batch in batches:
            buffer.seek(0)
            buffer.truncate()
            writer.writerows([safe_cell(value) for value in row] for row in batch)
            yield buffer.getvalue()
    finally:  # a download cut short closes the database cursor behind the rows at once
        _close(batches)


def _close(source: object) -> None:
    close = getattr(source, "close", None)
    if callable(close):
        close()


def batched(rows: Iterable[R], size: int = 500) -> Iterator[list[R]]:
    """Rows grouped in lists of `size`, so CSV chunks are not one line each."""
    batch: list[R] = []
    try:
        for row in rows:
            batch.append(row)
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch
    finally:
        _close(rows)


def csv_response(
    filename: str, header: Sequence[str], batches: Iterable[Iterable[Row]]
) -> Response:
    """A streamed CSV download (`filename` without extension)."""
    return Response(
        stream_with_context(csv_chunks(header, batches)),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={filename}.csv"},
    )


# --------------------------------------------------------------------------------------- XLSX


class Sheet:
    """One worksheet that only writes safe strings and real numbers, row by row."""

    def __init__(self, book: Workbook, worksheet: Any) -> None:
        self._book = book
        self.worksheet = worksheet
        self.next_row = 0

    def set_column(self, first: int, last: int, width: float, text: bool = False) -> None:
        fmt = self._book.text_format if text else None
        self.worksheet.set_column(first, last, width, fmt)

    def header(self, titles: Sequence[str]) -> None:
        self.row(titles, bold=True)

    def row(self, values: Row, text_columns: Collection[int] = (), bold: bool = False) -> None:
        """Write one row at `next_row`; columns in `text_columns` are text even for numbers."""
        number = self.next_row
        self.next_row += 1
        fmt = self._book.bold if bold else None
        write_string, write_number = self.worksheet.write_string, self.worksheet.write_number
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if _is_number(value) and col not in text_columns:
                write_number(number, col, value, fmt)
            else:
                text = value.isoformat() if isinstance(value, dt.date) else str(value)
                write_string(number, col, neutralise(text), fmt)

    def rows(self, values: Iterable[Row], text_columns: Collection[int] = ()) -> None:
        for row in values:
            self.row(row, text_columns)


class Workbook:
    """An XLSX file in constant memory whose string cells can never become formulas."""

    def __init__(self, path: Path) -> None:
        self._book = xlsxwriter.Workbook(
            str(path),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        self.bold = self._book.add_format({"bold": True})
        self.text_format = self._book.add_format({"num_format": "@"})

    def sheet(self, name: str) -> Sheet:
        return Sheet(self, self._book.add_worksheet(name[:31]))

    def close(self) -> None:
        self._book.close()


def write_xlsx(fill: Callable[[Workbook], None], prefix: str = "bangkom-") -> Path:
    """A temporary XLSX file filled by `fill(workbook)`; the caller (or the response) deletes it."""
    fd, name = tempfile.mkstemp(suffix=".xlsx", prefix=prefix)
    os.close(fd)
    path = Path(name)
    book = Workbook(path)
    try:
        fill(book)
    except BaseException:
        book.close()
        path.unlink(missing_ok=True)
        raise
    book.close()
    return path


def xlsx_response(filename: str, path: Path) -> Response:
    """Send a file made by `write_xlsx` as a download and delete it once sent."""
    response = send_file(
        path, mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=f"{filename}.xlsx"
    )
    response.call_on_close(lambda: path.unlink(missing_ok=True))
    return response

"""Bad-input guards for XLSForm files, run before pyxform parses anything.

* ``refuse_bad_file``: a wrong extension, a file over ``MAX_UPLOAD_BYTES``, a file whose first
  bytes contradict its extension, a zip that unpacks to over ``MAX_UNZIPPED_BYTES`` (a zip bomb).
* ``scan_sheets``: every sheet is streamed (openpyxl ``read_only``; line by line for CSV and
  Markdown) and refused as soon as it has more than ``MAX_SHEET_ROWS`` non-empty rows, so
  memory stays bounded whatever the file claims. Formula cells are found on the way: pyxform
  reads the value Excel saved with the formula, never the formula itself, so a formula is
  *neutralised* (reported as a warning with its cell, e.g. ``survey!C4``, and the saved value is
  used); a formula without a saved value reads as an empty cell and is an error.

Each refusal is an ``XLSFormError`` whose message names the file and the reason.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
MAX_SHEET_ROWS = 20_000
MAX_FORMULAS_REPORTED = 20
_MAGIC = {".xlsx": b"PK\x03\x04", ".xlsm": b"PK\x03\x04", ".xls": b"\xd0\xcf\x11\xe0"}
SUFFIXES = (*_MAGIC, ".csv", ".md")


class XLSFormError(Exception):
    """The file could not be converted at all (pyxform missing, unreadable or refused form)."""


@dataclass(frozen=True)
class FormulaCell:
    """A formula found in a sheet: where, its text and the value Excel saved with it."""

    sheet: str
    cell: str
    row: int
    formula: str
    saved: object

    @property
    def where(self) -> str:
        """``survey!C4``."""
        return f"{self.sheet}!{self.cell}"


def refuse_bad_file(path: Path) -> None:
    """Refuse, before any parsing, what is too big, lies about its type or unzips to a bomb."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise XLSFormError(f"{path.name}: not an XLSForm (.xlsx, .xls, .csv or .md)")
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise XLSFormError(f"{path.name}: cannot read the file: {exc}") from exc
    if size > MAX_UPLOAD_BYTES:
        raise XLSFormError(f"{path.name}: the file is over {MAX_UPLOAD_BYTES // 2**20} MB")
    magic = _MAGIC.get(suffix)
    if magic is not None and not head.startswith(magic):
        raise XLSFormError(f"{path.name}: the file is not a {suffix} spreadsheet")
    if magic is None and (b"\x00" in head or head.startswith((b"PK", b"\xd0\xcf"))):
        raise XLSFormError(f"{path.name}: a binary file named {suffix}")
    if magic == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(path) as archive:
                unzipped = sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile as exc:
            raise XLSFormError(f"{path.name}: the file is not a valid spreadsheet") from exc
        if unzipped > MAX_UNZIPPED_BYTES:
            raise XLSFormError(
                f"{path.name}: the spreadsheet unpacks to over {MAX_UNZIPPED_BYTES // 2**20} MB"
            )


def _too_many_rows(path: Path, sheet: str) -> XLSFormError:
    return XLSFormError(
        f"{path.name}: sheet '{sheet}' has more than {MAX_SHEET_ROWS:,} rows; refused "
        "(split the form, or keep a long choice list in a CSV for select_one_from_file)"
    )


def scan_sheets(path: Path) -> list[FormulaCell]:
    """Refuse sheets over the row limit (streaming, stopping early); list formula cells."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _scan_xlsx(path)
    if suffix == ".xls":
        _scan_xls(path)
        return []
    _scan_text(path)
    return []


def _scan_text(path: Path) -> None:
    """CSV and Markdown forms: count non-empty lines, stopping at the limit."""
    rows = 0
    try:
        with path.open("r", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.strip(" \t\r\n,|"):
                    rows += 1
                    if rows > MAX_SHEET_ROWS:
                        raise _too_many_rows(path, path.stem)
    except OSError as exc:
        raise XLSFormError(f"{path.name}: cannot read the file: {exc}") from exc


def _scan_xls(path: Path) -> None:
    """Legacy .xls (at most 5 MB, so loading it is bounded): row counts per sheet."""
    try:
        import xlrd

        book = xlrd.open_workbook(str(path), on_demand=True)
    except Exception as exc:
        raise XLSFormError(f"{path.name}: the file is not a valid spreadsheet ({exc})") from exc
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            if sheet.nrows > MAX_SHEET_ROWS:
                raise _too_many_rows(path, sheet.name)
            book.unload_sheet(index)
    finally:
        book.release_resources()


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet title, part name inside the zip) in workbook order."""
    from xml.etree.ElementTree import fromstring

    workbook = fromstring(archive.read("xl/workbook.xml"))
    rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        rel.get("Id"): str(rel.get("Target", "")) for rel in rels.iter(f"{_PKG_REL_NS}Relationship")
    }
    parts: list[tuple[str, str]] = []
    for sheet in workbook.iter(f"{_MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        parts.append((str(sheet.get("name", "")), part.replace("xl/./", "xl/")))
    return parts


def _scan_xlsx(path: Path) -> list[FormulaCell]:
    """Stream each sheet's XML once (no DOM of the sheet): count non-empty rows, stopping at
    the limit, and collect formula cells with the value saved next to them."""
    from xml.etree.ElementTree import ParseError, iterparse

    formulas: list[FormulaCell] = []
    try:
        with zipfile.ZipFile(path) as archive:
            for title, part in _sheet_parts(archive):
                rows = 0
                with archive.open(part) as handle:
                    for _event, element in iterparse(handle, events=("end",)):
                        if element.tag != f"{_MAIN_NS}row":
                            continue
                        filled = False
                        for cell in element.iter(f"{_MAIN_NS}c"):
                            formula = cell.find(f"{_MAIN_NS}f")
                            value = cell.find(f"{_MAIN_NS}v")
                            if cell.find(f"{_MAIN_NS}is") is not None or (
                                value is not None and value.text
                            ):
                                filled = True
                            if formula is not None and formula.text:
                                filled = True
                                ref = str(cell.get("r", "?"))
                                number = int(element.get("r", rows + 1))
                                saved = value.text if value is not None else None
                                formulas.append(
                                    FormulaCell(title, ref, number, "=" + formula.text, saved)
                                )
                        element.clear()
                        if filled:
                            rows += 1
                            if rows > MAX_SHEET_ROWS:
                                raise _too_many_rows(path, title)
    except (KeyError, ParseError, zipfile.BadZipFile, ValueError) as exc:
        raise XLSFormError(f"{path.name}: the file is not a valid spreadsheet ({exc})") from exc
    return formulas

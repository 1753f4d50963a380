"""The one reader for uploaded CSV files (every problem is a 422 naming its line), and the one
place an upload waits between its preview and the confirmation.

`csv.reader` raises `csv.Error` for a cell over its field limit (131,072 characters), a NUL byte
or a broken quote, which used to end in a 500. `csv_lines` turns each into a `ServiceError` on
the form's file field that names the line, and refuses any cell longer than `MAX_CELL`
characters before a feature sees it (an employee name or a competency text is never that long).
"""

from __future__ import annotations

import csv
import io
import json
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.errors import ServiceError

MAX_CELL = 10_000  # characters in one cell of an uploaded file


def decode(content: bytes, fallback: str | None = "cp1252") -> str:
    """UTF-8 (with or without BOM); else `fallback`, or a refusal when there is none."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        if fallback is None:
            raise ServiceError(_l("The file must be UTF-8 text (CSV)."), field="file") from None
        return content.decode(fallback, errors="replace")


def sniff_delimiter(text: str) -> str:
    """';' when the first line holds more semicolons than commas (Indonesian Excel), else ','."""
    first = text[:4096].split("\n", 1)[0]
    return ";" if first.count(";") > first.count(",") else ","


def line_error(line: int, message: object) -> ServiceError:
    return ServiceError(_l("Line %(line)d: %(problem)s", line=line, problem=message), field="file")


def csv_lines(text: str, delimiter: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of every record; a malformed record or a huge cell is refused."""
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter or sniff_delimiter(text), strict=True
    )
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            if "field limit" in str(error):
                raise line_error(line, _cell_too_long()) from None
            raise line_error(line, _l("the line is not valid CSV.")) from None
        if any(len(cell) > MAX_CELL for cell in cells):
            raise line_error(line, _cell_too_long())
        yield line, cells


def _cell_too_long() -> object:
    return _l("a cell is longer than %(n)d characters.", n=MAX_CELL)


def check_cell(line: int, value: object) -> None:
    """The same length rule for cells read from an XLSX workbook."""
    if isinstance(value, str) and len(value) > MAX_CELL:
        raise line_error(line, _cell_too_long())


# ---- an upload staged between its preview and the confirmation ------------------------------


@dataclass(frozen=True)
class StagedUpload:
    filename: str
    content: bytes
    meta: dict[str, Any]  # what the feature kept to check the file again (instansi, year …)


def staging_token(kind: str) -> str:
    """A random name for an upload of `kind` ("employees", "certificates", "skp")."""
    return f"{kind}-{secrets.token_urlsafe(16)}"


def _staging_dir() -> Path:
    path = Path(current_app.config["IMPORT_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def _is_token(kind: str, token: str) -> bool:
    return re.fullmatch(rf"{re.escape(kind)}-[A-Za-z0-9_-]{{10,40}}", token) is not None


def stage_upload(token: str, user_id: int, filename: str, content: bytes, **meta: object) -> None:
    """Keep a checked upload under its token until the same user confirms or discards it."""
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    (_staging_dir() / f"{token}{suffix}").write_bytes(content)
    record = {**meta, "user_id": user_id, "filename": filename[:200], "suffix": suffix}
    (_staging_dir() / f"{token}.json").write_text(json.dumps(record))


def load_staged(kind: str, token: str, user_id: int) -> StagedUpload:
    """The upload staged under `token` by this user; any other token is unknown or expired."""
    unknown = ServiceError(_l("This import is unknown or has expired."))
    if not _is_token(kind, token):
        raise unknown
    meta_path = _staging_dir() / f"{token}.json"
    if not meta_path.exists():
        raise unknown
    meta = json.loads(meta_path.read_text())
    if meta["user_id"] != user_id:
        raise unknown
    content = (_staging_dir() / f"{token}{meta['suffix']}").read_bytes()
    return StagedUpload(meta["filename"], content, meta)


def discard_staged(kind: str, token: str) -> None:
    if _is_token(kind, token):
        for path in _staging_dir().glob(f"{token}.*"):
            path.unlink(missing_ok=True)

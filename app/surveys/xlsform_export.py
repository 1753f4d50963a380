"""A definition (its YAML data) → an XLSForm workbook that ``convert_xlsform`` reads back.

The inverse of ``xlsform``: pages → ``begin group`` (a repeated page → ``begin repeat`` with
``repeat_count``, or the columns ``repeat_min``/``repeat_max`` for "add another"), items → rows
(``textarea`` → ``text`` with ``multiline``, ``rating`` → ``select_one <scale>`` with ``likert``
over the scale's integer codes, ``other: true`` → ``or_other``), choice lists and scales → the
choices sheet (choice properties as extra columns, ``points``), the ``quiz`` block → settings
columns, every language → ``label::<code> (<code>)`` columns, ``${choice}``/``${choice.x}`` in a
``choice_filter`` → XLSForm's bare ``name``/``x``.

Round trip: importing the exported workbook gives the same definition data as the one exported
(tested); what XLSForm cannot hold (``kind``, ``access``, ``raters``, ``scoring``, ``matrix``
items, page descriptions, texts of a title in other languages) is listed in ``warnings``.

Cells are written as strings (never formulas) through ``app.web.exports.Workbook``; a text that
begins with ``=`` or ``@`` gets the leading apostrophe of ``neutralise`` (a ``-`` or ``+`` is
kept, since codes such as ``-1`` and labels such as ``- none -`` must read back unchanged).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from app.web.exports import Workbook, write_xlsx

_UNKEPT_TOP = ("description", "access", "min_group_size", "scoring")
_SAFE_START = re.compile(r"^[=@\t\r]")


def _text(value: object) -> str:
    """A cell's text, with formula triggers neutralised."""
    text = "" if value is None else str(value)
    return "'" + text if _SAFE_START.match(text) else text


def _languages(data: Mapping[str, Any]) -> list[str]:
    default = str(data.get("default_language") or "id")
    others = [str(lang) for lang in data.get("languages") or [] if lang != default]
    return [default, *others]


def _lang_map(value: object, default: str) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items()}
    return {default: str(value)}


def _filter_to_xlsform(expression: str) -> str:
    """``${choice.cf}`` → ``cf`` and ``${choice}`` → ``name`` (XLSForm's bare column names)."""
    expression = re.sub(r"\$\{\s*choice\.([a-z][a-z0-9_]*)\s*\}", r"\1", expression)
    return re.sub(r"\$\{\s*choice\s*\}", "name", expression)


class _Exporter:
    """Collects the rows of the three sheets and what could not be exported."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.languages = _languages(data)
        self.default = self.languages[0]
        self.survey: list[dict[str, Any]] = []
        self.choices: list[dict[str, str]] = []
        self.choice_columns: list[str] = []
        self.warnings: list[str] = []
        self.lists_written: set[str] = set()

    def texts(self, row: dict[str, str], column: str, value: object) -> None:
        for lang, text in _lang_map(value, self.default).items():
            row[f"{column}::{lang} ({lang})"] = text

    def run(self) -> None:
        for key in _UNKEPT_TOP:
            if self.data.get(key) not in (None, "", {}, []):
                self.warnings.append(f"'{key}' has no XLSForm column; not exported")
        for page in self.data.get("pages") or []:
            self.page(page)

    def page(self, page: Mapping[str, Any]) -> None:
        repeat = page.get("repeat")
        kind = "repeat" if repeat is not None else "group"
        row = {"type": f"begin {kind}", "name": str(page["id"])}
        self.texts(row, "label", page.get("title"))
        if page.get("relevant"):
            row["relevant"] = str(page["relevant"])
        if page.get("description"):
            self.warnings.append(f"{page['id']}: the page description is not exported")
        if isinstance(repeat, Mapping):
            if repeat.get("count") is not None:
                row["repeat_count"] = repeat["count"]  # a number stays a number cell
            else:
                row["repeat_min"] = str(repeat.get("min", 0))
                row["repeat_max"] = str(repeat.get("max", 20))
        self.survey.append(row)
        for item in page.get("items") or []:
            self.item(item)
        self.survey.append({"type": f"end {kind}"})

    def item(self, item: Mapping[str, Any]) -> None:
        kind = str(item.get("type"))
        row: dict[str, str] = {"name": str(item["id"])}
        if kind == "matrix":
            self.warnings.append(f"{item['id']}: matrix items have no XLSForm form; not exported")
            return
        if kind in ("single", "multiple"):
            list_id = self.choice_list(item)
            row["type"] = ("select_one " if kind == "single" else "select_multiple ") + list_id
            if item.get("other"):
                row["type"] += " or_other"
                if item.get("other_label"):
                    self.warnings.append(f"{item['id']}: other_label is not exported")
        elif kind == "rating":
            row["type"] = f"select_one {self.scale(str(item['scale']))}"
            row["appearance"] = "likert"
            if item.get("competency"):
                row["competency"] = str(item["competency"])
        elif kind == "textarea":
            row["type"] = "text"
            row["appearance"] = "multiline"
        else:
            row["type"] = kind
        self.texts(row, "label", item.get("label"))
        self.texts(row, "hint", item.get("hint"))
        required = item.get("required")
        if required is True:
            row["required"] = "yes"
        elif isinstance(required, str):
            row["required"] = required
        for key, column in (
            ("relevant", "relevant"),
            ("constraint", "constraint"),
            ("calculate", "calculation"),
        ):
            if item.get(key):
                row[column] = str(item[key])
        self.texts(row, "constraint_message", item.get("constraint_message"))
        self.texts(row, "required_message", item.get("required_message"))
        if item.get("choice_filter"):
            row["choice_filter"] = _filter_to_xlsform(str(item["choice_filter"]))
        correct = item.get("correct")
        if correct is not None:
            row["correct"] = (
                " ".join(map(str, correct)) if isinstance(correct, list) else str(correct)
            )
        if item.get("points") is not None:
            row["points"] = str(item["points"])
        self.survey.append(row)

    def choice_list(self, item: Mapping[str, Any]) -> str:
        """The list of a select (inline choices get a list named after the item)."""
        list_id = str(item.get("choice_list") or f"{item['id']}_choices")
        if list_id in self.lists_written:
            return list_id
        self.lists_written.add(list_id)
        entries = item.get("choices")
        if entries is None:
            entries = (self.data.get("choice_lists") or {}).get(list_id) or []
        for entry in entries:
            row = {"list_name": list_id, "name": str(entry["code"])}
            self.texts(row, "label", entry.get("label"))
            if entry.get("points") is not None:
                row["points"] = str(entry["points"])
            for key, value in (entry.get("properties") or {}).items():
                row[str(key)] = str(value)
                if key not in self.choice_columns:
                    self.choice_columns.append(str(key))
            self.choices.append(row)
        return list_id

    def scale(self, scale_id: str) -> str:
        """A rating scale as a list of consecutive integer codes."""
        if scale_id in self.lists_written:
            return scale_id
        self.lists_written.add(scale_id)
        scale = (self.data.get("scales") or {}).get(scale_id) or {}
        labels = {str(k): v for k, v in (scale.get("labels") or {}).items()}
        for code in range(int(scale.get("min", 1)), int(scale.get("max", 5)) + 1):
            row = {"list_name": scale_id, "name": str(code)}
            self.texts(row, "label", labels.get(str(code)) or str(code))
            self.choices.append(row)
        return scale_id

    def settings(self) -> dict[str, str]:
        title = _lang_map(self.data.get("title"), self.default)
        out = {
            "form_title": title.get(self.default) or str(self.data.get("id")),
            "form_id": str(self.data.get("id")),
            "version": str(self.data.get("version", 1)),
            "default_language": f"{self.default} ({self.default})",
        }
        if str(self.data.get("kind") or "generic") != "generic":
            out["kind"] = str(self.data["kind"])
        if self.data.get("raters"):
            out["raters"] = " ".join(map(str, self.data["raters"]))
        if len(title) > 1:
            self.warnings.append("the title is exported in the default language only")
        pairs = [(row["list_name"], row["name"]) for row in self.choices]
        if len(pairs) != len(set(pairs)):
            out["allow_choice_duplicates"] = "yes"  # cascading lists repeat codes
        for key, value in (self.data.get("quiz") or {}).items():
            out[str(key)] = ("yes" if value else "no") if isinstance(value, bool) else str(value)
        return out


def _columns(rows: list[dict[str, Any]], first: list[str]) -> list[str]:
    columns = list(first)
    for row in rows:
        for key in row:
            if key not in columns:
                columns.append(key)
    return columns


def export_xlsform(data: Mapping[str, Any]) -> tuple[Path, list[str]]:
    """A temporary .xlsx (the caller deletes it) and the warnings of what was not exported."""
    exporter = _Exporter(data)
    exporter.run()
    settings = exporter.settings()

    def fill(book: Workbook) -> None:
        for name, rows, first in (
            ("survey", exporter.survey, ["type", "name"]),
            ("choices", exporter.choices, ["list_name", "name"]),
            ("settings", [settings], []),
        ):
            if not rows:
                continue
            sheet = book.sheet(name)
            columns = _columns(rows, first)
            write = sheet.worksheet.write_string
            for col, title in enumerate(columns):
                write(0, col, title)
            for number, row in enumerate(rows, start=1):
                for col, title in enumerate(columns):
                    value = row.get(title)
                    if isinstance(value, int) and not isinstance(value, bool):
                        sheet.worksheet.write_number(number, col, value)
                    elif value not in (None, ""):
                        write(number, col, _text(value))

    return write_xlsx(fill, prefix="xlsform-"), exporter.warnings

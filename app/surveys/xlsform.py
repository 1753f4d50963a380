"""XLSForm (.xlsx/.xls/.csv/.md) → Bangkom YAML definition, via pyxform (an optional dependency).

pyxform is imported inside ``convert_xlsform`` only, so the app runs without it. Mapping:
top-level groups → pages (ungrouped questions are gathered into pages of their own), nested
groups are flattened (their relevance is and-ed into each child's, their label becomes a note),
``name`` → ``id`` (lower-cased and made valid if needed, with references rewritten),
``label::Language (xx)`` → ``label.xx``, ``bind`` relevant/constraint/required/calculate and
their messages → the same keys, ``select_one``/``select_multiple`` → ``single``/``multiple``
with ``choice_lists``, ``or_other`` → ``other: true`` (``${q_other}`` becomes ``${q.other}``),
``select_one`` with ``likert`` appearance and consecutive integer codes → ``rating`` with a
generated scale (so a ``competency`` column can ride along), ``text`` with ``multiline``
appearance → ``textarea``, ``choice_filter`` with the choice column ``name`` → ``${choice}``.

Bad files (size, type, zip bombs, over ``MAX_SHEET_ROWS`` rows, formulas) are handled by
``xlsform_guard`` before pyxform runs. Everything else is reported as an ``ImportIssue`` (sheet,
row, name, reason) — never silently dropped: unsupported question types (geo, media, ranges,
repeats and their children, metadata), expressions outside the supported subset (``pulldata``,
paths, …), references to dropped questions, extra columns, appearances, defaults and parameters.
Errors mean something with behaviour was not imported; warnings mean presentation or data that
was left out. Settings columns ``kind`` and ``raters`` (space separated) become the definition's
keys; survey columns ``repeat_min``/``repeat_max`` bound an open-ended repeat.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from app.surveys.definition import (
    CODE_RE,
    ERROR,
    ID_RE,
    WARNING,
    definition_from_data,
)
from app.surveys.expressions import ParseError, parse
from app.surveys.xlsform_guard import (
    MAX_FORMULAS_REPORTED,
    FormulaCell,
    XLSFormError,
    refuse_bad_file,
    scan_sheets,
)

__all__ = ["ImportIssue", "ImportResult", "XLSFormError", "convert_xlsform", "refuse_bad_file"]

_LANG_CODE = re.compile(r"\(([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\)\s*$")
_LANG_NAMES = {
    "indonesian": "id",
    "bahasa indonesia": "id",
    "bahasa": "id",
    "english": "en",
    "french": "fr",
    "spanish": "es",
    "portuguese": "pt",
    "chinese": "zh",
    "arabic": "ar",
    "hindi": "hi",
    "swahili": "sw",
    "german": "de",
    "dutch": "nl",
    "russian": "ru",
    "japanese": "ja",
    "korean": "ko",
    "malay": "ms",
    "javanese": "jv",
    "sundanese": "su",
    "thai": "th",
    "vietnamese": "vi",
    "tagalog": "tl",
    "burmese": "my",
    "bengali": "bn",
    "urdu": "ur",
    "amharic": "am",
    "somali": "so",
    "hausa": "ha",
    "nepali": "ne",
}
_BARE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")
# XLSForm types read as another type: (our type, warning or None)
_ALIASES: dict[str, tuple[str, str | None]] = {
    "string": ("text", None),
    "int": ("integer", None),
    "phone number": ("text", None),
    "time": ("text", "time is kept as text (HH:MM)"),
    "datetime": ("text", "dateTime is kept as text"),
    "dateTime": ("text", "dateTime is kept as text"),
    "barcode": ("text", "barcode is kept as text typed by hand"),
    "geopoint": ("text", "geopoint is kept as text 'latitude longitude [altitude accuracy]'"),
    "gps": ("text", "geopoint is kept as text 'latitude longitude [altitude accuracy]'"),
    "range": ("decimal", "range is asked as a number between its start and end"),
}
_CONSTRAINTS = {
    "phone number": "regex(., '^[+]?[0-9 ()-]{6,20}$')",
    "time": "regex(., '^[0-2][0-9]:[0-5][0-9]$')",
    "geopoint": "regex(., '^-?[0-9.]+ -?[0-9.]+[0-9. -]*$')",
    "gps": "regex(., '^-?[0-9.]+ -?[0-9.]+[0-9. -]*$')",
}
_CHOICE_KNOWN_COLUMNS = {"name", "label", "points", "media", "image", "audio", "video"}
_SIMPLE_TYPES = {"integer": "integer", "decimal": "decimal", "date": "date", "note": "note"}
_METADATA_TYPES = {
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "start-geopoint",
    "background-audio",
}
_KNOWN_QUESTION_KEYS = {
    "type",
    "name",
    "label",
    "hint",
    "bind",
    "control",
    "choices",
    "itemset",
    "list_name",
    "parameters",
    "children",
    "choice_filter",
}
_CONSUMED_APPEARANCES = {"multiline", "likert", "field-list"}
MAX_GROUP_DEPTH = 10  # nested groups inside a page (flattened); deeper ones are refused
_REF_RE = re.compile(r"\$\{\s*([^}]*?)\s*\}")


@dataclass(frozen=True)
class ImportIssue:
    """Something in the XLSForm that the engine cannot express (or had to change)."""

    sheet: str
    row: int | None
    name: str
    reason: str
    severity: str = ERROR

    def __str__(self) -> str:
        """The `sheet row N: name: reason` line printed by the import command."""
        where = f"{self.sheet} row {self.row}" if self.row else self.sheet
        prefix = "warning: " if self.severity == WARNING else ""
        return f"{where}: {self.name or '-'}: {prefix}{self.reason}"


@dataclass(frozen=True)
class ImportResult:
    """The converted definition (as YAML-ready data and text) and every issue found."""

    data: dict[str, Any]
    yaml_text: str
    issues: tuple[ImportIssue, ...] = ()

    @property
    def errors(self) -> tuple[ImportIssue, ...]:
        """Issues where behaviour was lost or the result does not validate."""
        return tuple(issue for issue in self.issues if issue.severity == ERROR)


def _load_pyxform() -> Any:
    """Import pyxform lazily; it is an optional dependency."""
    try:
        from pyxform import xls2json
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise XLSFormError(
            "XLSForm import needs the optional package pyxform "
            "(pip install 'bangkom[xlsform]' or pip install pyxform)"
        ) from exc
    return xls2json


def _sheet_rows(path: Path) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """Row numbers of survey names and (list_name, choice name) pairs, for .xlsx files."""
    survey_rows: dict[str, int] = {}
    choice_rows: dict[tuple[str, str], int] = {}
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return survey_rows, choice_rows
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:
        return survey_rows, choice_rows
    try:
        for sheet in workbook.worksheets:
            title = sheet.title.strip().lower()
            if title not in ("survey", "choices"):
                continue
            rows = sheet.iter_rows(values_only=True)
            header = [str(c).strip().lower() if c is not None else "" for c in next(rows, ())]
            if "name" not in header:
                continue
            name_col = header.index("name")
            list_col = header.index("list_name") if "list_name" in header else None
            for number, row in enumerate(rows, start=2):
                name = row[name_col] if name_col < len(row) else None
                if name is None or str(name).strip() == "":
                    continue
                name = str(name).strip()
                if title == "survey":
                    survey_rows.setdefault(name, number)
                elif list_col is not None and list_col < len(row) and row[list_col]:
                    choice_rows.setdefault((str(row[list_col]).strip(), name), number)
    finally:
        workbook.close()
    return survey_rows, choice_rows


class _Converter:
    """Turns pyxform's JSON dict into our definition data, collecting issues."""

    def __init__(
        self,
        form: dict[str, Any],
        survey_rows: dict[str, int],
        choice_rows: dict[tuple[str, str], int],
        default_language: str,
        survey_id: str | None,
    ) -> None:
        """The form's default language wins over the caller's default."""
        self.form = form
        self.survey_rows = survey_rows
        self.choice_rows = choice_rows
        self.issues: list[ImportIssue] = []
        self.default_language = self.language_code(form.get("default_language")) or (
            default_language
        )
        self.languages: list[str] = [self.default_language]
        self.unknown_languages: set[str] = set()
        self.survey_id = survey_id
        self.renames: dict[str, str] = {}
        self.dropped: set[str] = set()
        self.used_ids: set[str] = set()
        self.choice_lists: dict[str, list[dict[str, Any]]] = {}
        self.scales: dict[str, dict[str, Any]] = {}
        self.reported_choice_columns: set[tuple[str, str]] = set()
        self.choice_columns: dict[str, set[str]] = {}  # list id → property columns
        self.extra_pages: list[dict[str, Any]] = []  # repeats found inside groups
        self.in_repeat = False
        self.group_depth = 1  # inside a page
        self.note_names = {
            str(q.get("name"))
            for q in _walk(form.get("children", []))
            if q.get("type") == "note" and not (q.get("bind") or {}).get("calculate")
        }
        # pyxform's or_other: select `x` gets an "other" choice plus a text `x_other`
        # relevant on selected(../x, 'other'); both become `other: true` on `x`.
        # pyxform turns a constant repeat_count into a generated `<repeat>_count` calculate
        self.generated_counts: dict[str, int] = {}
        calculations = {
            str(q.get("name")): str((q.get("bind") or {}).get("calculate", "")).strip()
            for q in _walk(form.get("children", []))
            if q.get("type") == "calculate"
        }
        for node in _walk(form.get("children", [])):
            count_ref = str((node.get("control") or {}).get("jr:count", ""))
            counter = f"{node.get('name')}_count"
            if node.get("type") == "repeat" and count_ref == "${" + counter + "}":
                if re.fullmatch(r"[0-9]+", calculations.get(counter, "")):
                    self.generated_counts[counter] = int(calculations[counter])
        self.companions: dict[str, str] = {}
        self.find_companions(form.get("children", []))
        self.or_other_lists = {
            str(q.get("itemset") or q.get("list_name"))
            for q in _walk(form.get("children", []))
            if q.get("name") in self.companions
        }

    # --------------------------------------------------------------- issues

    def issue(self, name: str, reason: str, severity: str = ERROR, sheet: str = "survey") -> None:
        """Record an issue, with the sheet row of the name when known."""
        row = self.survey_rows.get(name) if sheet == "survey" else None
        self.issues.append(ImportIssue(sheet, row, name, reason, severity))

    # ------------------------------------------------------------ languages

    def language_code(self, label: object) -> str | None:
        """'French (fr)' → 'fr', 'fr' → 'fr', 'chinese' → 'zh'; any other name gets a private
        code 'und-<name>' (reported once)."""
        if not isinstance(label, str) or not label or label == "default":
            return None
        match = _LANG_CODE.search(label)
        if match:
            return match.group(1).lower()
        low = label.strip().lower()
        if low in _LANG_NAMES:
            return _LANG_NAMES[low]
        if _BARE_CODE.match(low):
            return low
        slug = re.sub(r"[^a-z0-9]", "", low)[:8]
        return f"und-{slug}" if len(slug) >= 2 else None

    def piped(self, text: str, name: str) -> str:
        """${name} piped into a text follows renames; a dropped field pipes as nothing."""

        def rewrite(match: re.Match[str]) -> str:
            ref = match.group(1)
            if ref in self.dropped or ref in self.note_names:
                self.issue(name, f"piped field '{ref}' was not imported; shown empty", WARNING)
                return ""
            return "${" + self.renames.get(ref, ref) + "}"

        return _REF_RE.sub(rewrite, text).strip()  # a dropped pipe leaves no trailing space

    def text(self, value: object, name: str) -> dict[str, str] | None:
        """pyxform label/hint (string or per-language dict) → our language map."""
        if value is None or value == "" or value == {}:
            return None
        if isinstance(value, str):
            return {self.default_language: self.piped(value, name)}
        if not isinstance(value, dict):
            return None
        out: dict[str, str] = {}
        for key, text in value.items():
            code = self.default_language if key == "default" else self.language_code(key)
            if code is None:
                if key not in self.unknown_languages:
                    self.unknown_languages.add(key)
                    self.issue(
                        name,
                        f"language '{key}' has no code like 'Indonesian (id)'; its texts "
                        "were not imported",
                        WARNING,
                    )
                continue
            if code.startswith("und-") and key not in self.unknown_languages:
                self.unknown_languages.add(key)
                self.issue(
                    name, f"language '{key}' has no known code; imported as '{code}'", WARNING
                )
            if not isinstance(text, str) or not text.strip():
                continue
            if code not in self.languages:
                self.languages.append(code)
            out[code] = self.piped(text, name)
        return out or None

    # ------------------------------------------------------------------ ids

    def new_id(self, name: str) -> str:
        """A valid unique id for an XLSForm name; renames are reported and remembered."""
        candidate = re.sub(r"[^a-z0-9_]", "_", name.strip().lower())
        candidate = re.sub(r"_+", "_", candidate).strip("_") or "q"
        if not candidate[0].isalpha():
            candidate = f"q_{candidate}"
        base, n = candidate, 2
        while candidate in self.used_ids or candidate == "choice":
            candidate = f"{base}_{n}"
            n += 1
        self.used_ids.add(candidate)
        if candidate != name:
            self.renames[name] = candidate
            self.issue(
                name, f"renamed to '{candidate}' (ids must match ^[a-z][a-z0-9_]*$)", WARNING
            )
        return candidate

    # ---------------------------------------------------------- expressions

    def expression(
        self, text: object, name: str, attr: str, choice_filter: bool | set[str] = False
    ) -> str | None:
        """Rewrite renamed references, parse with our parser; unsupported → issue."""
        if text is None or (isinstance(text, str) and not text.strip()):
            return None
        if not isinstance(text, str):
            text = str(text)
        original = text

        def rewrite(match: re.Match[str]) -> str:
            """Replace one ${name} reference by its new id; a note reads as empty."""
            ref = match.group(1)
            if ref in self.note_names:
                return "''"
            return "${" + self.renames.get(ref, ref) + "}"

        text = _REF_RE.sub(rewrite, text)
        text = re.sub(r"position\(\s*\.\.\s*\)", "position()", text)
        if choice_filter is not False and choice_filter is not None:
            columns = choice_filter if isinstance(choice_filter, set) else set()
            text, words = _replace_bare_name(text, columns)
            for word in words:
                self.issue(name, f"{attr}: bare word '{word}' read as the text '{word}'", WARNING)
        try:
            expr = parse(text)
        except ParseError as exc:
            self.issue(
                name,
                f"{attr} not imported, unsupported expression {_short(original)}: {exc.message}",
            )
            return None
        lost = sorted(ref for ref in expr.references if ref.split(".")[0] in self.dropped)
        if lost:
            self.issue(
                name, f"{attr} not imported: it refers to {', '.join(lost)}, which was not imported"
            )
            return None
        return text

    # ---------------------------------------------------------------- lists

    def choice_list(self, question: dict[str, Any], name: str) -> str | None:
        """Convert a choice list once; bad codes and extra columns are reported."""
        list_name = question.get("itemset") or question.get("list_name")
        choices = question.get("choices")
        if choices is None and list_name:
            choices = (self.form.get("choices") or {}).get(list_name)
        if not choices:
            self.issue(name, "select without choices")
            return None
        list_name = str(list_name or name)
        list_id = re.sub(r"[^a-z0-9_]", "_", list_name.lower()).strip("_") or "list"
        if not list_id[0].isalpha():
            list_id = f"l_{list_id}"
        if list_id in self.choice_lists:
            return list_id
        entries: list[dict[str, Any]] = []
        for choice in choices:
            code = str(choice.get("name", ""))
            generated = list_name in self.or_other_lists and (
                (list_name, "other") not in self.choice_rows
            )
            if code == "other" and generated:
                continue
            row = self.choice_rows.get((list_name, code))
            if not CODE_RE.match(code):
                self.issues.append(
                    ImportIssue(
                        "choices",
                        row,
                        f"{list_name}/{code}",
                        "choice name may only contain letters, digits, '_', '.' and '-'; skipped",
                    )
                )
                continue
            label = self.text(choice.get("label"), name) or {self.default_language: code}
            entry: dict[str, Any] = {"code": code, "label": label}
            points = _number(choice.get("points"))
            if points is not None:
                entry["points"] = points
            for column, value in choice.items():
                if column in _CHOICE_KNOWN_COLUMNS:
                    continue
                if ID_RE.match(column) and isinstance(value, str | int | float):
                    entry.setdefault("properties", {})[column] = str(value)
                    self.choice_columns.setdefault(list_id, set()).add(column)
                    continue
                if (list_name, column) not in self.reported_choice_columns:
                    self.reported_choice_columns.add((list_name, column))
                    self.issues.append(
                        ImportIssue(
                            "choices",
                            row,
                            f"{list_name}/{code}",
                            f"choice column '{column}' is not supported; its values were dropped",
                            WARNING,
                        )
                    )
            entries.append(entry)
        self.choice_lists[list_id] = entries
        return list_id

    def likert_scale(self, list_id: str) -> str | None:
        """A scale for a list whose codes are consecutive integers, else None."""
        entries = self.choice_lists.get(list_id, [])
        codes = [e["code"] for e in entries]
        if not codes or not all(re.fullmatch(r"-?[0-9]+", c) for c in codes):
            return None
        numbers = [int(c) for c in codes]
        if numbers != list(range(numbers[0], numbers[0] + len(numbers))) or len(numbers) < 2:
            return None
        if list_id not in self.scales:
            self.scales[list_id] = {
                "min": numbers[0],
                "max": numbers[-1],
                "labels": {e["code"]: e["label"] for e in entries},
            }
        return list_id

    # ------------------------------------------------------------ questions

    def convert(self) -> dict[str, Any]:
        """Top-level groups become pages; loose questions are gathered into pages."""
        pages: list[dict[str, Any]] = []
        loose: list[dict[str, Any]] = []

        def flush() -> None:
            """Close the current page of loose (ungrouped) questions."""
            if loose:
                number = len(pages) + 1
                title = "Bagian" if self.default_language == "id" else "Part"
                pages.append(
                    {
                        "id": self.new_id(f"page_{number}"),
                        "title": {self.default_language: f"{title} {number}"},
                        "items": list(loose),
                    }
                )
                loose.clear()

        for child in self.form.get("children", []):
            kind = child.get("type")
            if kind == "group" and child.get("name") == "meta":
                self.meta_group(child)
                continue
            if kind == "group":
                flush()
                page = self.page(child)
                if page is not None:
                    pages.append(page)
                pages.extend(self.extra_pages)
                self.extra_pages.clear()
                continue
            found = self.items(child, None)
            if self.extra_pages:
                flush()
                pages.extend(self.extra_pages)
                self.extra_pages.clear()
            loose.extend(found)
        flush()

        title = self.form.get("title") or self.form.get("name") or "Imported form"
        survey_id = self.survey_id or re.sub(
            r"[^a-z0-9_]", "_", str(self.form.get("id_string") or "imported_form").lower()
        ).strip("_")
        if not ID_RE.match(survey_id):
            survey_id = f"form_{survey_id}".strip("_")
        version: int = 1
        raw_version = self.form.get("version")
        if raw_version not in (None, ""):
            try:
                version = int(str(raw_version))
            except ValueError:
                self.issue(
                    "version",
                    f"version '{raw_version}' is not an integer; set to 1",
                    WARNING,
                    sheet="settings",
                )
            if version < 1:
                version = 1
        data: dict[str, Any] = {
            "id": survey_id,
            "version": version,
            "title": self.text(title, "form_title") or {self.default_language: str(title)},
            "languages": list(self.languages),
            "default_language": self.default_language,
            "kind": str(self.form.get("kind") or "generic").strip(),
        }
        raters = str(self.form.get("raters") or "").replace(",", " ").split()
        if raters:
            data["raters"] = raters  # settings column: who may answer (self, stakeholder, …)
        if self.scales:
            data["scales"] = self.scales
        if self.choice_lists:
            data["choice_lists"] = self.choice_lists
        data["pages"] = pages
        quiz = self.quiz_settings()
        if quiz:
            data["quiz"] = quiz
        return data

    def quiz_settings(self) -> dict[str, Any]:
        """Settings columns pass_mark / pass_percent / show_result / show_correct → quiz."""
        quiz: dict[str, Any] = {}
        for key in ("pass_mark", "pass_percent"):
            raw = self.form.get(key)
            number = _number(raw)
            if number is not None:
                quiz[key] = number
            elif raw not in (None, ""):
                self.issue(key, f"{key} '{raw}' is not a number; ignored", WARNING, "settings")
        for key in ("show_result", "show_correct"):
            raw = self.form.get(key)
            if raw not in (None, ""):
                quiz[key] = str(raw).strip().lower() in ("yes", "true", "true()", "1")
        return quiz

    def meta_group(self, group: dict[str, Any]) -> None:
        """pyxform's own instanceID is skipped; other meta fields are reported."""
        for child in group.get("children", []):
            if child.get("name") == "instanceID":
                continue  # added by pyxform itself, not part of the form
            self.issue(
                child.get("name", "meta"),
                "meta fields are not kept by the portal; dropped",
                WARNING,
            )

    def page(self, group: dict[str, Any]) -> dict[str, Any] | None:
        """A top-level group as a page (its relevance becomes the page's)."""
        name = str(group.get("name", "group"))
        page_id = self.new_id(name)
        page: dict[str, Any] = {
            "id": page_id,
            "title": self.text(group.get("label"), name) or {self.default_language: name},
        }
        bind = group.get("bind") or {}
        relevant = self.expression(bind.get("relevant"), name, "relevant")
        if relevant:
            page["relevant"] = relevant
        self.other_bind(bind, name, ("relevant",))
        self.appearance(group, name)
        items: list[dict[str, Any]] = []
        for child in group.get("children", []):
            items.extend(self.items(child, None))
        if not items:
            self.issue(name, "group has no importable questions; page dropped")
            return None
        page["items"] = items
        return page

    def items(self, node: dict[str, Any], parent_relevant: str | None) -> list[dict[str, Any]]:
        """Items for one node: repeats are dropped, nested groups flattened."""
        kind = str(node.get("type", ""))
        if kind in ("repeat", "loop"):
            if self.in_repeat:
                self.drop_tree(node, "repeats inside repeats are not supported (depth limit 1)")
                return []
            page = self.repeat_page(node)
            if page is not None:
                self.extra_pages.append(page)
            return []
        if kind == "group":
            if self.group_depth >= MAX_GROUP_DEPTH:
                self.drop_tree(node, f"groups nest at most {MAX_GROUP_DEPTH} deep")
                return []
            self.group_depth += 1
            try:
                return self.nested_group(node, parent_relevant)
            finally:
                self.group_depth -= 1
        item = self.question(node)
        if item is None:
            return []
        if parent_relevant:
            own = item.get("relevant")
            item["relevant"] = f"({parent_relevant}) and ({own})" if own else parent_relevant
        return [item]

    def repeat_page(self, node: dict[str, Any]) -> dict[str, Any] | None:
        """A repeat (or loop over choices) as a repeated page: repeat_count → count, else an
        open-ended repeat ("add another") of at most 20 instances."""
        name = str(node.get("name", "repeat"))
        page_id = self.new_id(name)
        repeat: dict[str, Any] = {"min": 1, "max": 20}
        count = (node.get("control") or {}).get("jr:count")
        if f"{name}_count" in self.generated_counts:
            count = self.generated_counts[f"{name}_count"]
        if node.get("type") == "loop":
            columns = node.get("columns") or []
            repeat = {
                "count": max(1, min(len(columns), 100)),
                "max": max(1, min(len(columns), 100)),
            }
            self.issue(
                name, "loop over choices imported as a repeat, one instance per choice", WARNING
            )
        elif node.get("repeat_min") not in (None, "") or node.get("repeat_max") not in (None, ""):
            low, high = _number(node.get("repeat_min")), _number(node.get("repeat_max"))
            high = int(high) if high is not None else 20
            repeat = {"min": int(low) if low is not None else 0, "max": high}
        elif count not in (None, ""):
            number = _number(count)
            if number is not None and float(number).is_integer():
                repeat = {
                    "count": max(0, min(int(number), 100)),
                    "max": max(1, min(int(number), 100)),
                }
            else:
                expr = self.expression(count, name, "repeat_count")
                repeat = {"count": expr, "max": 50} if expr else repeat
        page: dict[str, Any] = {
            "id": page_id,
            "title": self.text(node.get("label"), name) or {self.default_language: name},
            "repeat": repeat,
        }
        for key in node:
            if key not in _KNOWN_QUESTION_KEYS and key not in ("repeat_min", "repeat_max"):
                self.issue(name, f"column '{key}' is not supported; dropped", WARNING)
        bind = node.get("bind") or {}
        relevant = self.expression(bind.get("relevant"), name, "relevant")
        if relevant:
            page["relevant"] = relevant
        self.other_bind(bind, name, ("relevant",))
        self.appearance(node, name)
        self.in_repeat = True
        try:
            items = [i for child in node.get("children", []) for i in self.items(child, None)]
        finally:
            self.in_repeat = False
        if not items:
            self.issue(name, "repeat has no importable questions; dropped", WARNING)
            self.dropped.add(page_id)
            return None
        page["items"] = items
        return page

    def nested_group(
        self, group: dict[str, Any], parent_relevant: str | None
    ) -> list[dict[str, Any]]:
        """Flatten a nested group: label → note, relevance and-ed into children."""
        name = str(group.get("name", "group"))
        bind = group.get("bind") or {}
        relevant = self.expression(bind.get("relevant"), name, "relevant")
        if parent_relevant and relevant:
            relevant = f"({parent_relevant}) and ({relevant})"
        elif parent_relevant:
            relevant = parent_relevant
        self.other_bind(bind, name, ("relevant",))
        self.appearance(group, name)
        out: list[dict[str, Any]] = []
        label = self.text(group.get("label"), name)
        if label:
            note: dict[str, Any] = {"id": self.new_id(name), "type": "note", "label": label}
            if relevant:
                note["relevant"] = relevant
            out.append(note)
        self.issue(name, "nested group flattened into its page", WARNING)
        children = group.get("children", [])
        for child in children:
            out.extend(self.items(child, relevant))
        return out

    def drop_tree(self, node: dict[str, Any], reason: str) -> None:
        """Report a dropped container and every question inside it."""
        name = str(node.get("name", ""))
        self.dropped.add(self.renames.get(name, name))
        self.issue(name, f"{node.get('type')} '{name}' not imported: {reason}")
        for child in node.get("children", []):
            child_name = str(child.get("name", ""))
            self.dropped.add(child_name)
            if child.get("children"):
                self.drop_tree(child, f"inside {node.get('type')} '{name}'")
            else:
                self.issue(
                    child_name,
                    f"question not imported: inside {node.get('type')} '{name}' ({reason})",
                )

    def question(self, q: dict[str, Any]) -> dict[str, Any] | None:
        """One question → one item, or None with an issue saying why."""
        kind = str(q.get("type", ""))
        name = str(q.get("name", ""))
        bind = dict(q.get("bind") or {})
        if name in self.generated_counts:
            return None  # written by pyxform for a constant repeat_count
        if kind in _METADATA_TYPES or "jr:preload" in bind:
            self.dropped.add(name)
            self.issue(name, f"metadata field '{kind}' is not kept by the portal; dropped", WARNING)
            return None
        if kind == "include":
            self.issue(name, "included forms are not imported; a note stands in", WARNING)
            return {
                "id": self.new_id(name),
                "type": "note",
                "label": {self.default_language: f"(include: {name})"},
            }
        alias_constraint = _CONSTRAINTS.get(kind)
        if kind in _ALIASES:
            kind, note = _ALIASES[kind]
            if note:
                self.issue(name, note, WARNING)
        if kind == "note" and bind.get("calculate"):
            kind = "text"  # a note showing a calculation: a read-only computed text
        if kind == "hidden":
            kind = "calculate"
            bind.setdefault("calculate", "''")
            self.issue(name, "hidden field kept as an empty calculated value", WARNING)
        if kind == "text" and name in self.companions.values():
            return None  # represented by `other: true` on its select
        appearance = self.appearance_value(q)
        item_type: str | None = None
        list_id: str | None = None
        scale: str | None = None
        or_other = False
        if kind == "text":
            item_type = "textarea" if "multiline" in appearance else "text"
        elif kind in _SIMPLE_TYPES:
            item_type = _SIMPLE_TYPES[kind]
        elif kind == "calculate":
            item_type = "calculate"
        elif kind in ("select one", "select all that apply"):
            or_other = name in self.companions
            list_id = self.choice_list(q, name)
            if list_id is None:
                self.dropped.add(name)
                return None
            item_type = "single" if kind == "select one" else "multiple"
            if item_type == "single" and "likert" in appearance and not or_other:
                scale = self.likert_scale(list_id)
                if scale:
                    item_type = "rating"
        if item_type is None:
            self.dropped.add(name)
            self.issue(name, f"question type '{kind}' is not supported; dropped", WARNING)
            return None

        item: dict[str, Any] = {"id": self.new_id(name), "type": item_type}
        if or_other:
            self.renames[self.companions[name]] = f"{item['id']}.other"
        label = self.text(q.get("label"), name)
        if label:
            item["label"] = label
        elif item_type != "calculate":
            item["label"] = {self.default_language: name}
            self.issue(name, "question has no label; its name is used as the label", WARNING)
        hint = self.text(q.get("hint"), name)
        if hint:
            item["hint"] = hint
        if item_type == "rating":
            item["scale"] = scale
        elif list_id is not None:
            item["choice_list"] = list_id
            if or_other:
                item["other"] = True
        competency = q.get("competency")
        if competency not in (None, ""):
            if item_type == "rating":
                item["competency"] = str(competency)
            else:
                self.issue(
                    name,
                    "competency only applies to rating items (likert selects "
                    "with integer codes); dropped",
                )
        self.binds(item, bind, name, item_type)
        if alias_constraint and "constraint" not in item and "calculate" not in item:
            item["constraint"] = alias_constraint
        if item_type == "calculate" and "calculate" not in item:
            self.dropped.update((name, item["id"]))
            self.issue(name, "calculate question dropped because its calculation was not imported")
            return None
        if "choice_filter" in q:
            columns = self.choice_columns.get(list_id or "", set())
            expr = self.expression(q["choice_filter"], name, "choice_filter", columns | {"name"})
            if expr and item_type in ("single", "multiple"):
                item["choice_filter"] = expr
        self.scored(item, q, name)
        self.appearance(q, name)
        for key in ("default", "parameters", "media", "guidance_hint", "trigger"):
            value = q.get(key)
            if value not in (None, "", {}, []):
                self.issue(name, f"'{key}' is not supported; ignored", WARNING)
        for key in q:
            if key not in _KNOWN_QUESTION_KEYS and key not in (
                "competency",
                "correct",
                "points",
                "default",
                "parameters",
                "media",
                "guidance_hint",
                "trigger",
            ):
                self.issue(name, f"column '{key}' is not supported; dropped", WARNING)
        return item

    def scored(self, item: dict[str, Any], q: dict[str, Any], name: str) -> None:
        """Survey columns ``correct`` (codes separated by spaces for multiple) and ``points``."""
        correct = q.get("correct")
        if correct in (None, ""):
            if q.get("points") not in (None, ""):
                self.issue(name, "points without a correct answer; ignored", WARNING)
            return
        if item["type"] not in ("single", "multiple", "integer", "decimal", "text"):
            self.issue(name, f"a {item['type']} question cannot have a correct answer; ignored")
            return
        values = str(correct).split() if item["type"] == "multiple" else [str(correct).strip()]
        item["correct"] = values if item["type"] == "multiple" else values[0]
        points = _number(q.get("points"))
        if points is not None:
            item["points"] = points
        elif q.get("points") not in (None, ""):
            self.issue(name, f"points '{q.get('points')}' is not a number; ignored", WARNING)

    def binds(self, item: dict[str, Any], bind: dict[str, Any], name: str, item_type: str) -> None:
        """required/relevant/constraint/calculate and their messages."""
        required = bind.get("required")
        if isinstance(required, str) and required.strip():
            flag = required.strip().lower()
            if flag in ("yes", "true", "true()"):
                item["required"] = True
            elif flag not in ("no", "false", "false()"):
                expr = self.expression(required, name, "required")
                if expr:
                    item["required"] = expr
        if item_type == "calculate" or bind.get("calculate"):
            expr = self.expression(bind.get("calculate"), name, "calculate")
            if expr and item_type in ("calculate", "integer", "decimal", "text"):
                item["calculate"] = expr
                item.pop("required", None)
            elif expr:
                self.issue(name, f"calculation on a {item_type} question is not supported")
        for attr in ("relevant", "constraint"):
            expr = self.expression(bind.get(attr), name, attr)
            if expr:
                item[attr] = expr
        messages = (
            ("jr:constraintMsg", "constraint_message"),
            ("jr:requiredMsg", "required_message"),
        )
        for key, target in messages:
            text = self.text(bind.get(key), name)
            if text and (target != "constraint_message" or "constraint" in item):
                item[target] = text
        if item.get("calculate") and "constraint" in item:
            self.issue(name, "constraint on a calculated value is not supported; dropped")
            item.pop("constraint")
            item.pop("constraint_message", None)
        self.other_bind(
            bind,
            name,
            (
                "required",
                "calculate",
                "relevant",
                "constraint",
                "jr:constraintMsg",
                "jr:requiredMsg",
            ),
        )

    def other_bind(self, bind: dict[str, Any], name: str, handled: Iterable[str]) -> None:
        """Report bind attributes we do not support (readonly, preloads …)."""
        for key, value in bind.items():
            if key in handled or value in (None, ""):
                continue
            if key == "readonly" and str(value).strip().lower() in ("false()", "no", "false"):
                continue
            self.issue(name, f"'{key}' ({value}) is not supported; ignored", WARNING)

    def appearance_value(self, node: dict[str, Any]) -> str:
        """The question's appearance string ('' if none)."""
        return str((node.get("control") or {}).get("appearance") or "")

    def appearance(self, node: dict[str, Any], name: str) -> None:
        """Appearances other than multiline/likert/field-list are reported."""
        control = node.get("control") or {}
        for key, value in control.items():
            if key == "appearance":
                extra = [a for a in str(value).split() if a not in _CONSUMED_APPEARANCES]
                if extra:
                    self.issue(
                        name, f"appearance '{' '.join(extra)}' is not supported; ignored", WARNING
                    )
            elif key not in ("bodyless", "jr:count"):
                self.issue(name, f"'{key}' ({value}) is not supported; ignored", WARNING)

    # -------------------------------------------------------------- or_other

    def find_companions(self, children: list[dict[str, Any]]) -> None:
        """Find pyxform's generated `<name>_other` texts of or_other selects."""
        for node in _walk(children):
            name = str(node.get("name", ""))
            if node.get("type") != "text" or not name.endswith("_other"):
                continue
            base = name[: -len("_other")]
            relevant = str((node.get("bind") or {}).get("relevant", "")).replace(" ", "")
            if relevant == f"selected(../{base},'other')":  # only pyxform writes ../ paths
                self.companions[base] = name


def _number(value: object) -> float | int | None:
    """A spreadsheet number cell (or its text); None when empty or not a number."""
    if value in (None, "") or isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def _walk(children: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    """Every node of pyxform's tree, depth first."""
    for child in children:
        yield child
        yield from _walk(child.get("children", []))


def _replace_bare_name(text: str, columns: set[str] | None = None) -> tuple[str, list[str]]:
    """In choice_filter, XLSForm's bare `name` (the choice's name column) → ${choice}, and a
    bare extra column of the choices sheet (`cf`) → ${choice.cf}."""
    columns = columns or set()
    literal: list[str] = []
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "'\"":
            end = text.find(ch, i + 1)
            end = len(text) if end < 0 else end + 1
            out.append(text[i:end])
            i = end
            continue
        if ch == "$" and text.startswith("${", i):
            end = text.find("}", i)
            end = len(text) if end < 0 else end + 1
            out.append(text[i:end])
            i = end
            continue
        match = re.match(r"[A-Za-z_][A-Za-z0-9_:-]*", text[i:])
        if match:
            word = match.group()
            following = text[i + len(word) :].lstrip()
            if following.startswith("(") or word in ("and", "or", "div", "mod"):
                out.append(word)
            elif word == "name":
                out.append("${choice}")
            elif word in columns:
                out.append("${choice." + word + "}")
            elif columns and word not in ("true", "false"):
                out.append(f"'{word}'")  # XPath reads an unknown bare name as empty
                literal.append(word)
            else:
                out.append(word)
            i += len(word)
            continue
        out.append(ch)
        i += 1
    return "".join(out), literal


def _formula_issues(formulas: list[FormulaCell]) -> list[ImportIssue]:
    """Formulas are never evaluated: the saved value is used (a warning), none is an error."""
    issues: list[ImportIssue] = []
    for formula in formulas[:MAX_FORMULAS_REPORTED]:
        sheet = formula.sheet.strip().lower()
        if formula.saved in (None, ""):
            reason = (
                f"{formula.where}: formula {_short(formula.formula)} is not evaluated and has "
                "no saved value; the cell reads as empty"
            )
            issues.append(ImportIssue(sheet, formula.row, formula.cell, reason, ERROR))
        else:
            reason = (
                f"{formula.where}: formula {_short(formula.formula)} is not evaluated; its "
                f"saved value {_short(str(formula.saved))} is used"
            )
            issues.append(ImportIssue(sheet, formula.row, formula.cell, reason, WARNING))
    if len(formulas) > MAX_FORMULAS_REPORTED:
        more = len(formulas) - MAX_FORMULAS_REPORTED
        issues.append(
            ImportIssue("-", None, "-", f"{more} more formula cell(s) not listed", WARNING)
        )
    return issues


def _short(text: str, limit: int = 80) -> str:
    """A quoted text cut to ``limit`` characters for a message."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def dump_yaml(data: dict[str, Any], header: str = "") -> str:
    """YAML text for a definition dict; codes that look like numbers/booleans get quoted."""
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return header + body


def convert_xlsform(
    path: str | Path,
    *,
    default_language: str = "id",
    survey_id: str | None = None,
) -> ImportResult:
    """Convert an XLSForm to our definition data + YAML; every unsupported part is an issue."""
    path = Path(path)
    refuse_bad_file(path)
    formulas = scan_sheets(path)
    xls2json = _load_pyxform()
    from pyxform.errors import PyXFormError

    warnings: list[str] = []
    try:
        form = xls2json.parse_file_to_json(str(path), warnings=warnings)
    except PyXFormError as exc:
        raise XLSFormError(f"{path.name}: pyxform could not read the form: {exc}") from exc
    except (OSError, ValueError) as exc:
        raise XLSFormError(f"{path.name}: cannot read the form: {exc}") from exc
    except RecursionError as exc:
        raise XLSFormError(f"{path.name}: the form nests groups too deeply") from exc
    survey_rows, choice_rows = _sheet_rows(path)
    converter = _Converter(form, survey_rows, choice_rows, default_language, survey_id)
    data = converter.convert()
    issues = _formula_issues(formulas) + list(converter.issues)
    for warning in warnings:
        for line in str(warning).splitlines():
            if line.strip():
                row_match = re.search(r"\[row\s*:\s*(\d+)\]", line)
                row = int(row_match.group(1)) if row_match else None
                issues.append(ImportIssue("survey", row, "-", f"pyxform: {line.strip()}", WARNING))
    _definition, problems = definition_from_data(data, file=path.name)
    for problem in problems:
        name = problem.item.split(".")[0]
        original = next((k for k, v in converter.renames.items() if v == name), name)
        issues.append(
            ImportIssue(
                "survey",
                survey_rows.get(original),
                problem.item,
                f"after conversion: {problem.reason}",
                problem.severity,
            )
        )
    error_count = sum(1 for i in issues if i.severity == ERROR)
    header = (
        f"# Imported from {path.name} by `flask surveys import-xlsform`.\n"
        f"# {len(issues)} import issue(s), {error_count} error(s): review them before use.\n"
    )
    return ImportResult(data=data, yaml_text=dump_yaml(data, header), issues=tuple(issues))

"""Bad XLSForm input: row limits with bounded memory, formulas, nesting and expression limits."""

from __future__ import annotations

import re
import time
import tracemalloc
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.surveys.definition import ERROR, WARNING, definition_from_data
from app.surveys.expressions import MAX_DEPTH, MAX_LENGTH
from app.surveys.xlsform import XLSFormError, convert_xlsform
from app.surveys.xlsform_guard import MAX_SHEET_ROWS


def write_form(
    path: Path, survey: list[list[object]], choices: list[list[object]] | None = None
) -> Path:
    """An .xlsx with a survey sheet (and a choices sheet when given)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    if choices:
        other = workbook.create_sheet("choices")
        for row in choices:
            other.append(row)
    workbook.save(path)
    return path


def one_language(survey_id: str, pages: list[dict[str, object]]) -> dict[str, object]:
    """A minimal Indonesian-only definition with the given pages."""
    return {
        "id": survey_id,
        "version": 1,
        "title": survey_id,
        "languages": ["id"],
        "default_language": "id",
        "kind": "generic",
        "pages": pages,
    }


def test_a_sheet_of_100000_rows_is_refused_early_with_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "huge.xlsx"
    workbook = Workbook(write_only=True)
    survey = workbook.create_sheet("survey")
    survey.append(["type", "name", "label"])
    for n in range(100_000):
        survey.append(["text", f"q{n}", f"Q {n}"])
    workbook.save(path)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(XLSFormError, match=f"more than {MAX_SHEET_ROWS:,} rows"):
            convert_xlsform(path)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 30
    assert peak < 40 * 2**20, f"peak {peak / 2**20:.1f} MB"


def test_a_long_csv_form_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("survey,type,name,label\n" + ",text,q,Q\n" * (MAX_SHEET_ROWS + 1))
    with pytest.raises(XLSFormError, match="sheet 'long' has more than"):
        convert_xlsform(path)


def test_a_form_at_the_limit_is_not_refused_for_its_size(tmp_path: Path) -> None:
    rows: list[list[object]] = [["type", "name", "label"], ["text", "a", "A"]]
    result = convert_xlsform(write_form(tmp_path / "small.xlsx", rows))
    assert not result.errors


def test_formulas_are_neutralised_with_the_cell_named(tmp_path: Path) -> None:
    path = write_form(
        tmp_path / "formulas.xlsx",
        [
            ["type", "name", "label"],
            ["text", "nama", '=CONCATENATE("Na","ma")'],
            ["integer", "umur", '=HYPERLINK("http://x","Umur")'],
        ],
    )
    result = convert_xlsform(path)
    # openpyxl saves no computed values: both formulas read as empty cells, named
    cells = {issue.name: issue for issue in result.issues if "formula" in issue.reason}
    assert set(cells) == {"C2", "C3"}
    assert cells["C2"].severity == ERROR
    assert cells["C2"].row == 2
    assert "survey!C2" in cells["C2"].reason and "CONCATENATE" in cells["C2"].reason
    assert "=CONCATENATE" not in result.yaml_text


def test_a_formula_with_a_saved_value_uses_the_value(tmp_path: Path) -> None:
    import zipfile

    path = write_form(tmp_path / "saved.xlsx", [["type", "name", "label"], ["text", "a", "=1+1"]])
    # add the value Excel would have saved (<v>) next to the formula
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    found = re.search(rb'<c r="C2"[^>]*>.*?</c>', parts[sheet])  # openpyxl's spelling varies
    assert found is not None and b"<f>1+1</f>" in found.group(0)
    saved = b'<c r="C2" t="str"><f>1+1</f><v>Dua</v></c>'
    parts[sheet] = parts[sheet].replace(found.group(0), saved)
    with zipfile.ZipFile(path, "w") as target:
        for name, content in parts.items():
            target.writestr(name, content)
    result = convert_xlsform(path)
    issue = next(i for i in result.issues if i.name == "C2")
    assert issue.severity == WARNING
    assert "saved value 'Dua' is used" in issue.reason
    assert result.data["pages"][0]["items"][0]["label"] == {"id": "Dua"}


def test_nested_repeat_is_refused_with_the_item_named(tmp_path: Path) -> None:
    path = write_form(
        tmp_path / "nested.xlsx",
        [
            ["type", "name", "label"],
            ["begin repeat", "anggota", "Anggota"],
            ["text", "nama", "Nama"],
            ["begin repeat", "anak", "Anak"],
            ["text", "nama_anak", "Nama anak"],
            ["end repeat", "", ""],
            ["end repeat", "", ""],
        ],
    )
    result = convert_xlsform(path)
    errors = {issue.name: issue for issue in result.errors}
    assert "depth limit 1" in errors["anak"].reason
    assert errors["anak"].row == 4
    assert "inside repeat 'anak'" in errors["nama_anak"].reason


def test_groups_nested_beyond_the_limit_are_refused_with_the_group_named(tmp_path: Path) -> None:
    rows: list[list[object]] = [["type", "name", "label"]]
    depth = 14
    rows += [["begin group", f"g{n}", f"G{n}"] for n in range(depth)]
    rows.append(["text", "deep", "Deep"])
    rows += [["end group", "", ""] for _ in range(depth)]
    result = convert_xlsform(write_form(tmp_path / "deep.xlsx", rows))
    errors = {issue.name: issue.reason for issue in result.errors}
    assert "groups nest at most 10 deep" in errors["g10"]
    assert "deep" in errors


def test_a_long_expression_is_refused_with_the_item_named_and_cut(tmp_path: Path) -> None:
    long = " or ".join(["${a} = 'x'"] * 300)
    assert len(long) > MAX_LENGTH
    rows = [["type", "name", "label", "relevant"], ["text", "a", "A", ""], ["text", "b", "B", long]]
    result = convert_xlsform(write_form(tmp_path / "long.xlsx", rows))
    issue = next(i for i in result.errors if i.name == "b")
    assert f"longer than {MAX_LENGTH} characters" in issue.reason
    assert issue.row == 3
    assert len(issue.reason) < 300


def test_yaml_expressions_over_the_limits_are_refused_at_load() -> None:
    deep = "(" * (MAX_DEPTH + 5) + "1" + ")" * (MAX_DEPTH + 5)
    data = one_language(
        "limits",
        [
            {
                "id": "p",
                "title": "P",
                "items": [
                    {"id": "a", "type": "integer", "label": "A"},
                    {"id": "b", "type": "integer", "label": "B", "relevant": deep},
                    {"id": "c", "type": "text", "label": "C", "relevant": "1 = " * 600 + "1"},
                ],
            }
        ],
    )
    definition, problems = definition_from_data(data)
    assert definition is None
    reasons = {p.item: p.reason for p in problems if p.severity == ERROR}
    assert "nested too deeply" in reasons["b"]
    assert f"longer than {MAX_LENGTH}" in reasons["c"]


def test_yaml_repeat_inside_a_repeat_is_refused_with_the_item_named() -> None:
    data = one_language(
        "nested",
        [
            {
                "id": "anggota",
                "title": "Anggota",
                "repeat": {"max": 5},
                "items": [
                    {"id": "nama", "type": "text", "label": "Nama"},
                    {"id": "anak", "type": "repeat", "label": "Anak", "repeat": {"max": 3}},
                ],
            }
        ],
    )
    definition, problems = definition_from_data(data)
    assert definition is None
    assert any(p.item == "anak" and "nest at most 1 deep" in p.reason for p in problems)

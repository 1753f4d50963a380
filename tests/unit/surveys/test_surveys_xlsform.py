"""XLSForm import: supported constructs convert, everything else is reported item by item."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.surveys.definition import ERROR, WARNING, definition_from_text
from app.surveys.logic import evaluate_all
from app.surveys.xlsform import ImportIssue, ImportResult, XLSFormError, convert_xlsform

SURVEY_HEADER = [
    "type",
    "name",
    "label::Indonesian (id)",
    "label::English (en)",
    "relevant",
    "constraint",
    "constraint_message::Indonesian (id)",
    "constraint_message::English (en)",
    "required",
    "calculation",
    "appearance",
    "competency",
    "choice_filter",
]
SURVEY_ROWS = [
    # row 2
    ["begin group", "umum", "Umum", "General", "", "", "", "", "", "", "field-list", "", ""],
    ["select_one yn", "setuju", "Setuju", "Agree", "", "", "", "", "yes", "", "", "", ""],
    [
        "integer",
        "Umur",
        "Umur",
        "Age",
        "${setuju} = 'ya'",
        ". >= 18",
        "Minimal 18",
        "At least 18",
        "",
        "",
        "",
        "",
        "",
    ],
    [
        "select_one lv",
        "integritas",
        "Integritas",
        "Integrity",
        "",
        "",
        "",
        "",
        "yes",
        "",
        "likert",
        "M.01",
        "",
    ],
    ["select_one kota or_other", "kota", "Kota", "City", "", "", "", "", "", "", "", "", ""],
    [
        "text",
        "catatan_kota",
        "Catatan",
        "Note",
        "selected(${kota}, 'other')",
        "",
        "",
        "",
        "",
        "",
        "multiline",
        "",
        "",
    ],
    ["geopoint", "lokasi", "Lokasi", "Location", "", "", "", "", "", "", "", "", ""],
    ["text", "alamat", "Alamat", "Address", "${lokasi} != ''", "", "", "", "", "", "", "", ""],
    [
        "calculate",
        "harga",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "pulldata('harga', 'nilai', 'id', 1)",
        "",
        "",
        "",
    ],
    ["calculate", "dua_kali", "", "", "", "", "", "", "", "${Umur} * 2", "", "", ""],
    ["end group", "", "", "", "", "", "", "", "", "", "", "", ""],
    # row 13
    [
        "select_multiple kota",
        "dikunjungi",
        "Dikunjungi",
        "Visited",
        "",
        "",
        "",
        "",
        "",
        "",
        "minimal",
        "",
        "",
    ],
    [
        "select_one kota",
        "favorit",
        "Favorit",
        "Favourite",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "selected(${dikunjungi}, name)",
    ],
    ["begin repeat", "anak", "Anak", "Children", "", "", "", "", "", "", "", "", ""],
    ["text", "nama_anak", "Nama anak", "Child's name", "", "", "", "", "", "", "", "", ""],
    ["end repeat", "", "", "", "", "", "", "", "", "", "", "", ""],
    ["start", "mulai", "", "", "", "", "", "", "", "", "", "", ""],
]
CHOICE_ROWS = [
    ["list_name", "name", "label::Indonesian (id)", "label::English (en)", "skor"],
    ["yn", "ya", "Ya", "Yes", "1"],
    ["yn", "tidak", "Tidak", "No", "0"],
    *[["lv", str(i), f"Level {i}", f"Level {i}", ""] for i in range(1, 6)],
    ["kota", "jakarta", "Jakarta", "Jakarta", ""],
    ["kota", "bandung", "Bandung", "Bandung", ""],
    ["kota", "medan", "Medan", "Medan", ""],
]


@pytest.fixture(scope="module")
def xlsx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small XLSForm with supported and unsupported constructs."""
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    for row in [SURVEY_HEADER, *SURVEY_ROWS]:
        survey.append(row)
    choices = workbook.create_sheet("choices")
    for row in CHOICE_ROWS:
        choices.append(row)
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append(["Formulir Uji", "formulir-uji", "7", "Indonesian (id)"])
    path = tmp_path_factory.mktemp("xlsform") / "formulir_uji.xlsx"
    workbook.save(path)
    return path


@pytest.fixture(scope="module")
def result(xlsx: Path) -> ImportResult:
    """The converted form."""
    return convert_xlsform(xlsx)


def find(issues: tuple[ImportIssue, ...], name: str, text: str) -> ImportIssue:
    """The issue about `name` whose reason contains `text`."""
    for issue in issues:
        if issue.name == name and text in issue.reason:
            return issue
    raise AssertionError(
        f"no issue for {name!r} with {text!r}:\n" + "\n".join(str(i) for i in issues)
    )


def items_by_id(result: ImportResult) -> dict[str, dict[str, object]]:
    """Converted items keyed by id."""
    return {item["id"]: item for page in result.data["pages"] for item in page["items"]}


class TestConvertedDefinition:
    def test_settings(self, result: ImportResult) -> None:
        data = result.data
        assert data["id"] == "formulir_uji"
        assert data["version"] == 7
        assert data["languages"] == ["id", "en"]
        assert data["default_language"] == "id"

    def test_groups_become_pages_and_loose_questions_a_page(self, result: ImportResult) -> None:
        pages = result.data["pages"]
        assert [p["id"] for p in pages] == ["umum", "page_2", "anak"]
        assert pages[2]["repeat"] == {"min": 1, "max": 20}
        assert pages[0]["title"] == {"id": "Umum", "en": "General"}

    def test_question_types(self, result: ImportResult) -> None:
        items = items_by_id(result)
        assert items["setuju"]["type"] == "single"
        assert items["setuju"]["required"] is True
        assert items["umur"]["type"] == "integer"
        assert items["catatan_kota"]["type"] == "textarea"
        assert items["dikunjungi"]["type"] == "multiple"
        assert items["dua_kali"] == {
            "id": "dua_kali",
            "type": "calculate",
            "calculate": "${umur} * 2",
        }

    def test_bind_expressions_and_messages(self, result: ImportResult) -> None:
        umur = items_by_id(result)["umur"]
        assert umur["relevant"] == "${setuju} = 'ya'"
        assert umur["constraint"] == ". >= 18"
        assert umur["constraint_message"] == {"id": "Minimal 18", "en": "At least 18"}

    def test_likert_with_integer_codes_becomes_rating_with_competency(
        self, result: ImportResult
    ) -> None:
        item = items_by_id(result)["integritas"]
        assert item["type"] == "rating"
        assert item["scale"] == "lv"
        assert item["competency"] == "M.01"
        assert result.data["scales"]["lv"]["min"] == 1
        assert result.data["scales"]["lv"]["max"] == 5

    def test_or_other_becomes_other(self, result: ImportResult) -> None:
        items = items_by_id(result)
        assert items["kota"]["other"] is True
        assert "kota_other" not in items
        assert items["catatan_kota"]["relevant"] == "selected(${kota}, 'other')"
        codes = [c["code"] for c in result.data["choice_lists"]["kota"]]
        assert codes == ["jakarta", "bandung", "medan"]

    def test_choice_filter_name_becomes_choice_variable(self, result: ImportResult) -> None:
        assert items_by_id(result)["favorit"]["choice_filter"] == (
            "selected(${dikunjungi}, ${choice})"
        )

    def test_renamed_ids_are_reported_and_references_follow(self, result: ImportResult) -> None:
        issue = find(result.issues, "Umur", "renamed to 'umur'")
        assert issue.severity == WARNING
        assert issue.row == 4

    def test_yaml_output_loads_and_runs(self, result: ImportResult) -> None:
        assert result.yaml_text.startswith("# Imported from formulir_uji.xlsx")
        assert "code: '1'" in result.yaml_text  # numeric-looking codes stay strings
        defn = definition_from_text(result.yaml_text, "formulir_uji.yaml")
        state = evaluate_all(
            defn, {"setuju": "ya", "umur": "17", "integritas": "4", "kota": "other"}, "en"
        )
        assert state.errors["umur"] == "At least 18"
        assert state.errors["kota.other"] == "Please specify the other option"
        assert state.calculated["dua_kali"] == 34
        assert not any(
            "after conversion" in i.reason and i.severity == ERROR for i in result.issues
        )


class TestReportedIssues:
    def test_geopoint_is_reported_with_row_and_name(self, result: ImportResult) -> None:
        issue = find(result.issues, "lokasi", "geopoint is kept as text")
        assert (issue.sheet, issue.row, issue.severity) == ("survey", 8, WARNING)
        assert items_by_id(result)["lokasi"]["type"] == "text"
        assert "regex" in items_by_id(result)["lokasi"]["constraint"]

    def test_expression_using_a_dropped_question_is_reported(self, result: ImportResult) -> None:
        find(result.issues, "harga", "unknown function 'pulldata'")
        assert "harga" not in items_by_id(result)
        assert items_by_id(result)["alamat"]["relevant"]  # lokasi is imported now

    def test_pulldata_is_reported(self, result: ImportResult) -> None:
        issue = find(result.issues, "harga", "unknown function 'pulldata'")
        assert issue.row == 10
        find(result.issues, "harga", "calculate question dropped")
        assert "harga" not in items_by_id(result)

    def test_repeat_and_each_child_are_reported(self, result: ImportResult) -> None:
        repeat = next(p for p in result.data["pages"] if p["id"] == "anak")
        assert [i["id"] for i in repeat["items"]] == ["nama_anak"]

    def test_metadata_is_reported(self, result: ImportResult) -> None:
        issue = find(result.issues, "mulai", "metadata field 'start'")
        assert (issue.row, issue.severity) == (18, WARNING)

    def test_presentation_losses_are_warnings(self, result: ImportResult) -> None:
        issue = find(result.issues, "dikunjungi", "appearance 'minimal' is not supported")
        assert issue.severity == WARNING
        choices = result.data["choice_lists"]["yn"]
        assert choices[0]["properties"]["skor"]  # extra choice columns are kept

    def test_errors_property(self, result: ImportResult) -> None:
        names = {issue.name for issue in result.errors}
        assert names == {"harga"}  # only the pulldata calculation changes meaning


def test_missing_pyxform_gives_clear_error(xlsx: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyxform", None)
    monkeypatch.setitem(sys.modules, "pyxform.xls2json", None)
    with pytest.raises(XLSFormError, match="optional package pyxform"):
        convert_xlsform(xlsx)


def test_unreadable_form_is_an_xlsform_error(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.active.title = "survey"
    workbook.active.append(["type", "name", "label"])
    workbook.active.append(["select_one missing_list", "q", "Q"])
    path = tmp_path / "bad.xlsx"
    workbook.save(path)
    with pytest.raises(XLSFormError, match="bad.xlsx"):
        convert_xlsform(path)

"""`flask surveys check` and `flask surveys import-xlsform` on a minimal Flask app."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from openpyxl import Workbook

from app.surveys.cli import cli as surveys_cli
from app.surveys.cli import run_check
from app.surveys.definition import load_definition

BUNDLED_DIR = Path(__file__).resolve().parents[3] / "surveys"


def cli_runner(surveys_dir: Path) -> FlaskCliRunner:
    """A bare Flask app with only the surveys command group registered."""
    app = Flask(__name__)
    app.config["SURVEYS_DIR"] = str(surveys_dir)
    app.cli.add_command(surveys_cli)
    return app.test_cli_runner()


@pytest.fixture
def surveys_dir(tmp_path: Path) -> Path:
    """An empty surveys directory."""
    path = tmp_path / "surveys"
    path.mkdir()
    return path


class TestCheck:
    def test_valid_directory_exits_zero(self, sv: SimpleNamespace, surveys_dir: Path) -> None:
        (surveys_dir / "uji.yaml").write_text(sv.to_yaml(sv.data()), encoding="utf-8")
        result = cli_runner(surveys_dir).invoke(args=["surveys", "check"])
        assert result.exit_code == 0, result.output
        assert result.output.splitlines() == ["1 file(s) checked: 0 error(s), 0 warning(s)"]

    def test_warnings_are_printed_but_exit_zero(
        self, sv: SimpleNamespace, surveys_dir: Path
    ) -> None:
        data = sv.data()
        data["pages"][0]["items"][1]["label"] = {"id": "Umur"}
        (surveys_dir / "uji.yaml").write_text(sv.to_yaml(data), encoding="utf-8")
        result = cli_runner(surveys_dir).invoke(args=["surveys", "check"])
        assert result.exit_code == 0
        assert "uji.yaml: umur: warning: missing 'en' translation of label" in (
            result.output.splitlines()
        )

    def test_errors_are_printed_as_file_item_reason_and_exit_one(
        self, sv: SimpleNamespace, surveys_dir: Path
    ) -> None:
        (surveys_dir / "uji.yaml").write_text(sv.to_yaml(sv.data()), encoding="utf-8")
        bad = sv.data(id="rusak")
        bad["pages"][0]["items"][1]["relevant"] = "${nope} = 1"
        (surveys_dir / "rusak.yaml").write_text(sv.to_yaml(bad), encoding="utf-8")
        result = cli_runner(surveys_dir).invoke(args=["surveys", "check"])
        assert result.exit_code == 1
        lines = result.output.splitlines()
        assert "rusak.yaml: umur: relevant: unknown field 'nope'" in lines
        assert lines[-1] == "2 file(s) checked: 1 error(s), 0 warning(s)"

    def test_strict_competencies(self, sv: SimpleNamespace, surveys_dir: Path) -> None:
        data = sv.data()
        data["pages"][1]["items"][0]["rows"][0]["competency"] = "TEK.01"
        (surveys_dir / "uji.yaml").write_text(sv.to_yaml(data), encoding="utf-8")
        runner = cli_runner(surveys_dir)
        assert runner.invoke(args=["surveys", "check"]).exit_code == 0
        strict = runner.invoke(args=["surveys", "check", "--strict-competencies"])
        assert strict.exit_code == 1
        assert "uji.yaml: grid.k01: unknown competency code 'TEK.01'" in strict.output

    def test_bundled_instruments_pass_strict_check(self) -> None:
        result = cli_runner(BUNDLED_DIR).invoke(args=["surveys", "check", "--strict-competencies"])
        assert result.exit_code == 0, result.output
        files = len(list(BUNDLED_DIR.glob("*.yaml")))
        assert result.output.strip() == f"{files} file(s) checked: 0 error(s), 0 warning(s)"

    def test_run_check_without_flask(self, tmp_path: Path) -> None:
        lines: list[str] = []
        assert run_check(tmp_path / "absent", echo=lines.append) == 1
        assert lines[0].endswith("-: surveys directory does not exist")


def write_xlsform(path: Path, with_geopoint: bool) -> Path:
    """A tiny XLSForm, optionally with an unsupported geopoint question."""
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    survey.append(["type", "name", "label::Indonesian (id)", "label::English (en)"])
    survey.append(["text", "nama", "Nama", "Name"])
    if with_geopoint:
        survey.append(["geopoint", "lokasi", "Lokasi", "Location"])
    settings = workbook.create_sheet("settings")
    settings.append(["form_id", "form_title"])
    settings.append(["impor_uji", "Impor"])
    workbook.save(path)
    return path


class TestImport:
    def test_import_to_file(self, surveys_dir: Path, tmp_path: Path) -> None:
        source = write_xlsform(tmp_path / "form.xlsx", with_geopoint=True)
        target = surveys_dir / "impor_uji.yaml"
        runner = cli_runner(surveys_dir)
        result = runner.invoke(
            args=["surveys", "import-xlsform", str(source), "--out", str(target)]
        )
        assert result.exit_code == 0  # the geopoint is kept as text, with a warning
        assert "survey row 3: lokasi: warning: geopoint is kept as text" in result.output
        defn = load_definition(target)
        assert [item.id for item in defn.items] == ["nama", "lokasi"]
        again = runner.invoke(args=["surveys", "import-xlsform", str(source), "--out", str(target)])
        assert again.exit_code == 2
        assert "exists" in again.output

    def test_import_to_stdout_exits_zero_without_errors(
        self, surveys_dir: Path, tmp_path: Path
    ) -> None:
        source = write_xlsform(tmp_path / "form.xlsx", with_geopoint=False)
        result = cli_runner(surveys_dir).invoke(args=["surveys", "import-xlsform", str(source)])
        assert result.exit_code == 0, result.output
        assert "id: impor_uji" in result.output
